// Configuration API: process destination maps (the spec's `processdestinationmaps`; PRODUCT.md
// "Process"). One non-deleted map per process. Every function runs one store transaction.
//
// Body fields: `process` (PSV, WEST, NO-FILTER, UNKNOWN, UPCOMING) and `destinations`, a list of
// entries, each an object (or just a name / _id string, taking the defaults):
//   `_id` or `name`  the destination (non-deleted; `_id` wins; stored with its current name),
//   `isActive`       default true,
//   `loadShare`      integer 0..100, default 100 (the weight when a destination is split across
//                    processes),
//   `counter`        integer split credit; default: the stored entry's counter for the same
//                    destination when the map is being changed, else 0,
//   `sheetName`, `wabaNumber`  strings, WEST only (422 on another process; dropped when a map
//                    moves away from WEST).
// A destination appears at most once per map (422 naming the repeated entry). `deleted: true`
// is refused (422, use DELETE); unknown fields are ignored.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "app/context.h"

namespace leadproc {

// 201; 409 if a non-deleted map for the process exists.
Result<ProcessDestinationMap> create_process_map(AppContext& ctx, const boost::json::object& body);
// Non-deleted maps.
Result<std::vector<ProcessDestinationMap>> list_process_maps(AppContext& ctx);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<ProcessDestinationMap> get_process_map(AppContext& ctx, const Id& id);
// PUT: `process` and `destinations` both required; the entries replace the stored ones.
Result<ProcessDestinationMap> replace_process_map(AppContext& ctx, const Id& id,
                                                  const boost::json::object& body);
// PATCH: each of `process`, `destinations` optional; a given `destinations` replaces the list.
Result<ProcessDestinationMap> update_process_map(AppContext& ctx, const Id& id,
                                                 const boost::json::object& body);
// Soft delete.
Status delete_process_map(AppContext& ctx, const Id& id);

}  // namespace leadproc
