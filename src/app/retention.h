// Retention (docs/operations.md "Retention"): what leadproc deletes so that its database does not
// grow without bound, and why each thing may go. The `retention` job (jobs/jobs.h) runs it every
// hour, in batches of one write transaction each, so that the SQLite writer is held for one batch
// at a time, never for a whole backlog (a first run over a large backlog deletes at most
// kRetentionMaxBatches batches of each kind; the next runs go on).
// - Idempotency records older than the replay window (kIdempotencyWindow, app/ingest_lead.h) and
//   an hour more (another instance's clock): a key older than the window creates a lead anyway.
// - Outbox events older than `days` (LEADPROC_RETENTION_DAYS) that were fanned out and that every
//   enabled subscription has had (WebhookWrites::purge_outbox), with their deliveries and
//   delivery log: a dead letter older than `days` can no longer be replayed.
// - The runs of each job older than `days` (GET /api/v1/jobs shows the latest ones).
// `days` 0 keeps the outbox and the job runs forever; idempotency records always go.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

inline constexpr int kRetentionBatch = 5000;
inline constexpr int kRetentionMaxBatches = 100;
// LEADPROC_RETENTION_DAYS's largest value (ten years); its default is AppConfig::retention_days.
inline constexpr int kMaxRetentionDays = 3650;

struct RetentionCounts {
  std::int64_t idempotency_records = 0;
  std::int64_t outbox_events = 0;
  std::int64_t job_runs = 0;
};

// Deletes what the rules above let go as of ctx.now(); `jobs` names the jobs whose runs are
// kept `days`.
Result<RetentionCounts> apply_retention(AppContext& ctx, int days,
                                        const std::vector<std::string>& jobs);

}  // namespace leadproc
