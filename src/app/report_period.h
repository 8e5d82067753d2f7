// The rule every report's period follows, written once: [from, to) with from before to, and at
// most 366 days (a year of rows is the most a report reads at once).
#pragma once

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// ok, or a 422 naming `to`.
Status check_report_period(Timestamp from, Timestamp to);

}  // namespace leadproc
