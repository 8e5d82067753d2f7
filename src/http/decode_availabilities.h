// The body of POST /api/v1/availabilities and PATCH /api/v1/availabilities/{id}
// (docs/api-config.md "Availabilities") as the use case's AvailabilityInput: `personId`,
// `process` (Sales, PSV, West, JunkAutomation), `isAvailable`, `source` (platform values),
// `destinations` (each a name, an _id, or {_id | name}), `seq` (integer or null), `shifts`, `leave`
// (codec/work_schedule_json.h) and the routing rules `cap`, `dailyQuota`, `weight`, `languages`,
// `nightDesk` (codec/poc_rules_json.h, which also bounds them). A PATCH's null `source`,
// `destinations`, `seq` clears them; its null `personId` or `process` is refused. Refused:
// `checkedOutUntil` (the agent's check-in and check-out set it), `leadCount` and `totalCount` (the
// system's), `deleted: true` (use DELETE). Unknown fields are ignored.
#pragma once

#include <boost/json/object.hpp>

#include "app/availabilities.h"

namespace leadproc::http {

// `creating`: POST (personId and process required) rather than PATCH.
AvailabilityInput decode_availability(const boost::json::object& body, bool creating);

}  // namespace leadproc::http
