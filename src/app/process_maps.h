// Configuration API: process destination maps (the spec's `processdestinationmaps`; PRODUCT.md
// "Process"). One non-deleted map per process. Every function runs one store transaction.
//
// The input (ProcessMapInput; the HTTP body is decoded by http/decode_process_maps.h): `process`
// and `destinations`, a list of entries:
//   destination      a reference (app/destinations.h) to a non-deleted destination, stored with
//                    its current name,
//   `isActive`       default true,
//   `loadShare`      integer 0..100, default 100 (the weight when a destination is split across
//                    processes),
//   `counter`        integer split credit; default: the stored entry's counter for the same
//                    destination when the map is being changed, else 0,
//   `sheetName`, `wabaNumber`  strings, WEST only (422 on another process; dropped when a map
//                    moves away from WEST).
// A destination appears at most once per map (422 naming the repeated entry).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/destinations.h"

namespace leadproc {

// One entry of a map as given (absent: nullopt, the defaults above).
struct ProcessMapEntryInput {
  std::optional<DestinationRef> destination;  // nullopt: the decoder found none and said why
  std::optional<bool> is_active;
  std::optional<std::int64_t> load_share;
  std::optional<std::int64_t> counter;
  std::optional<std::string> sheet_name;
  std::optional<std::string> waba_number;
};

// A map to create or replace (both fields required), or the changes of a PATCH.
struct ProcessMapInput {
  std::optional<FiltrationProcess> process;
  std::optional<std::vector<ProcessMapEntryInput>> destinations;  // given: replaces the list
  std::vector<FieldError> decode_errors;                          // what the decoder found
};

// 201; 409 if a non-deleted map for the process exists.
Result<ProcessDestinationMap> create_process_map(AppContext& ctx, const ProcessMapInput& in);
// Non-deleted maps.
Result<std::vector<ProcessDestinationMap>> list_process_maps(AppContext& ctx);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<ProcessDestinationMap> get_process_map(AppContext& ctx, const Id& id);
// PUT: `process` and `destinations` both required; the entries replace the stored ones.
Result<ProcessDestinationMap> replace_process_map(AppContext& ctx, const Id& id,
                                                  const ProcessMapInput& in);
// PATCH: each of `process`, `destinations` optional; a given `destinations` replaces the list.
Result<ProcessDestinationMap> update_process_map(AppContext& ctx, const Id& id,
                                                 const ProcessMapInput& in);
// Soft delete.
Status delete_process_map(AppContext& ctx, const Id& id);

}  // namespace leadproc
