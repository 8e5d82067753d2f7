// `leadproc demo-data`: destinations, process maps for PSV, WEST, NO-FILTER and UPCOMING, users
// and POCs for each pool, and a few web URLs, so that `make run` routes leads at once.
// Idempotent: does nothing if the demo destinations exist already.
#pragma once

#include "cli/settings.h"

namespace leadproc::cli {

int load_demo_data(const Settings& settings);

}  // namespace leadproc::cli
