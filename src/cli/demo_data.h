// `leadproc demo-data`: destinations, process maps for PSV, WEST, NO-FILTER and UPCOMING, users
// and POCs for each pool, and a few web URLs, so that `make run` routes leads at once.
// Users get the demo password and an API key for a website form is stored; both are printed
// (README "First admin and demo logins").
// Idempotent: loads nothing if the demo destinations exist already (but prints the logins).
#pragma once

#include "cli/settings.h"

namespace leadproc::cli {

int load_demo_data(const Settings& settings);

}  // namespace leadproc::cli
