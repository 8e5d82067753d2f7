// The API's route tables, one function per area; src/cli/serve.cpp calls them all. Handlers are
// blocking functions run on the worker pool (never on the network threads).
#pragma once

#include "app/context.h"
#include "http/metrics.h"
#include "http/router.h"

namespace leadproc::http {

// /api/v1/users, /destinations, /process-destination-maps, /availabilities, /weburls
void register_config_routes(Router& router, AppContext& ctx);

// /api/v1/leads, /api/v1/opportunities (reading), activities
void register_lead_routes(Router& router, AppContext& ctx, Metrics& metrics);

// /healthz, /readyz, /metrics
void register_ops_routes(Router& router, AppContext& ctx, Metrics& metrics);

}  // namespace leadproc::http
