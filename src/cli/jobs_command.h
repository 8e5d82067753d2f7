// `leadproc jobs run NAME` and `leadproc jobs list` (docs/api-scoring-jobs.md "Jobs").
#pragma once

#include <string>

#include "cli/settings.h"

namespace leadproc::cli {

// Runs the job now (slot = now, claimed like a scheduled run) and prints its run as JSON
// ({"job", "slot", "outcome", "counts", "error"}). Exit code 0 when it ran and succeeded, 1 when
// it failed or the store did, 2 for an unknown job, 3 when the slot was already claimed.
int run_job_command(const Settings& settings, const std::string& name);

// Prints every job with its schedule and latest runs as JSON (the body of GET /api/v1/jobs).
int list_jobs_command(const Settings& settings);

}  // namespace leadproc::cli
