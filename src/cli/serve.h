// `leadproc serve`: the composition root. Opens the store, migrates, wires the use cases to the
// HTTP routes and serves until SIGTERM/SIGINT.
#pragma once

#include "cli/settings.h"

namespace leadproc::cli {

int serve(const Settings& settings);

// `leadproc migrate`: applies pending migrations and prints the schema version.
int migrate(const Settings& settings);

}  // namespace leadproc::cli
