// The body of POST, PUT and PATCH of /api/v1/process-destination-maps (docs/api-config.md
// "Process destination maps") as the use case's ProcessMapInput: `process` (PSV, WEST, NO-FILTER,
// UNKNOWN, UPCOMING) and `destinations`, a list whose entries are a destination reference (a name
// or _id string, taking the defaults) or an object with `_id` or `name` and `isActive`,
// `loadShare`, `counter`, `sheetName`, `wabaNumber`. JSON types and null versus absent only; a
// PATCH's null `destinations` empties the list and its null `process` is refused, and so is
// `deleted: true` (use DELETE); unknown fields are ignored. The rules of a map are
// app/process_maps.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/process_maps.h"

namespace leadproc::http {

// `whole`: POST or PUT (process and destinations required) rather than PATCH.
ProcessMapInput decode_process_map(const boost::json::object& body, bool whole);

}  // namespace leadproc::http
