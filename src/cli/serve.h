// `leadproc serve`: the composition root. Opens the store, migrates, wires the use cases to the
// HTTP routes and serves until SIGTERM/SIGINT.
#pragma once

#include <vector>

#include "app/context.h"
#include "cli/settings.h"
#include "http/metrics.h"
#include "http/router.h"
#include "jobs/jobs.h"

namespace leadproc::cli {

int serve(const Settings& settings);

// Registers every route of the API on `router` and the guard that enforces their access rules
// (the benchmark-only routes too with `bench_endpoints`). `ctx`, `metrics` and `job_list` must
// outlive the router. serve() uses it; so do the HTTP fuzz targets (fuzz/app_fixture.cpp).
void register_api(http::Router& router, AppContext& ctx, http::Metrics& metrics,
                  const std::vector<jobs::Job>& job_list, bool bench_endpoints);

// `leadproc migrate`: applies pending migrations and prints the schema version.
int migrate(const Settings& settings);

// `leadproc routes`: prints every route of the API as a JSON array of {method, pattern, name,
// access} (access: Access::describe(), null for a route without a rule), the benchmark-only ones
// too when settings.bench_endpoints is on. Opens no database.
int print_routes(const Settings& settings);

}  // namespace leadproc::cli
