// `leadproc serve`: the composition root. Opens the store, migrates, wires the use cases to the
// HTTP routes and serves until SIGTERM/SIGINT.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include "app/context.h"
#include "app/live_events.h"
#include "cli/settings.h"
#include "http/metrics.h"
#include "http/router.h"
#include "jobs/jobs.h"

namespace leadproc::cli {

int serve(const Settings& settings);

// The routes that exist only when a setting asks for them.
struct OptionalRoutes {
  bool bench = false;  // LEADPROC_BENCH_ENDPOINTS: POST /api/v1/_bench/echo
  // LEADPROC_TEST_CLOCK: POST /api/v1/_test/clock, moving the clock with this (AppRuntime::
  // advance_clock); empty: no such route.
  std::function<Timestamp(std::chrono::milliseconds)> advance_clock;
  // Not a route: asks the Meta lead fetcher (jobs/meta_leads.h) for a pass; empty: none (routes
  // are registered without a running fetcher, e.g. `leadproc routes`).
  std::function<void()> wake_intake;
  // Not a route: asks the webhook sender (jobs/webhook_sender.h) for a round (after a
  // subscription changes or dead letters are replayed); empty: none.
  std::function<void()> wake_webhooks;
};

// Registers every route of the API on `router` and the guard that enforces their access rules
// (the optional routes too as `optional` asks). `ctx`, `metrics`, `job_list` and `live` (the bus
// of the event streams) must outlive the
// router. serve() uses it; so do the HTTP fuzz targets (fuzz/app_fixture.cpp).
void register_api(http::Router& router, AppContext& ctx, http::Metrics& metrics,
                  const std::vector<jobs::Job>& job_list, LiveBus& live,
                  const OptionalRoutes& optional);

// `leadproc migrate`: applies pending migrations and prints the schema version.
int migrate(const Settings& settings);

// `leadproc routes`: prints every route of the API as a JSON array of {method, pattern, name,
// access} (access: Access::describe(), null for a route without a rule), the benchmark-only and
// test-clock ones too when settings.bench_endpoints / settings.test_clock are on. Opens no
// database.
int print_routes(const Settings& settings);

// `leadproc openapi`: prints the OpenAPI 3.1 document (GET /api/v1/openapi.json), the
// benchmark-only routes too when settings.bench_endpoints is on. With `check`: prints what is
// out of step between the routes and src/http/openapi_description.json and answers 1 if
// anything is, 0 if nothing. Opens no database.
int print_openapi(const Settings& settings, bool check);

}  // namespace leadproc::cli
