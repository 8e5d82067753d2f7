// `leadproc serve`: the composition root. Opens the store, migrates, wires the use cases to the
// HTTP routes and serves until SIGTERM/SIGINT.
#pragma once

#include "cli/settings.h"

namespace leadproc::cli {

int serve(const Settings& settings);

// `leadproc migrate`: applies pending migrations and prints the schema version.
int migrate(const Settings& settings);

// `leadproc routes`: prints every route of the API as a JSON array of {method, pattern, name,
// access} (access: Access::describe(), null for a route without a rule), the benchmark-only ones
// too when settings.bench_endpoints is on. Opens no database.
int print_routes(const Settings& settings);

}  // namespace leadproc::cli
