// The running application that the fuzz targets of the HTTP API share: a fresh SQLite database
// in a temporary directory, loaded with the demo data (destinations, process maps, users, the
// demo ingest key) so that requests reach the routing and storage code, and the full route table
// of `leadproc serve` with its access guard. Built once per process (libFuzzer calls a target
// millions of times); the database grows as inputs are ingested, as a live one does.
#pragma once

#include <string_view>

#include "app/context.h"
#include "http/metrics.h"
#include "http/router.h"

namespace leadproc::fuzz {

// The demo ingest key (src/cli/demo_data.cpp): a request with `X-Api-Key: <this>` may POST leads.
inline constexpr std::string_view kDemoKey = "lpk_demo-website-form-key-not-for-production";

struct App {
  AppContext& ctx;
  http::Router& router;
  http::Metrics& metrics;
};

// The process-wide application; the first call builds it (aborts if it cannot: a fuzz run
// without its fixture would test nothing).
App& app();

}  // namespace leadproc::fuzz
