// Configuration API: destinations (the spec's `destinations` collection). Every function runs one
// store transaction; validation failures are one 422 naming every bad field.
//
// The input (DestinationInput; the HTTP body is decoded by http/decode_destinations.h): `name`
// (required on create, trimmed, non-empty, at most 200 characters, unique case-insensitively among
// non-deleted destinations, else 409), `slugs` (trimmed, lower-cased, de-duplicated; a slug is one
// URL path segment), `preference` (in [0.1, 1.0], default 1.0).
//
// This header also holds the small helpers the other configuration use cases share (ids,
// resolving a destination reference).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/input.h"

namespace leadproc {

// A destination to create, or the changes of a PATCH (absent: nullopt).
struct DestinationInput {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> slugs;  // as given; an empty list clears
  Patch<double> preference;                       // cleared: back to the default, 1.0
  std::vector<FieldError> decode_errors;          // what the decoder found
};

Result<Destination> create_destination(AppContext& ctx, const DestinationInput& in);
// Non-deleted destinations.
Result<std::vector<Destination>> list_destinations(AppContext& ctx);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<Destination> get_destination(AppContext& ctx, const Id& id);
// PATCH: only the given fields change. A rename is carried, in the same transaction, into the
// denormalised names of process-map entries, availabilities and marked web URLs.
Result<Destination> update_destination(AppContext& ctx, const Id& id, const DestinationInput& in);
// Soft delete. 409 while a non-deleted process map still lists the destination (remove it from
// the map first). Web URLs marked with it become unmarked again (consumed=false), so they return
// to the admins' to-do list; availabilities keep the stale reference, which matches no lead.
Status delete_destination(AppContext& ctx, const Id& id);

// Pure: slugs trimmed, lower-cased, de-duplicated (first occurrence kept). An empty slug or one
// containing '/' adds a FieldError "<field>[i]".
std::vector<std::string> normalize_slugs(const std::vector<std::string>& raw,
                                         std::vector<FieldError>& errors,
                                         const std::string& field = "slugs");

// helpers shared by the configuration use cases

// The id in canonical (lower-case) form, or nullopt if `s` is not 24 hex digits.
std::optional<Id> canonical_id(std::string_view s);

// A reference to a destination as a request gives it: a string that is an _id or else a name, or
// an object with `_id` (wins) or `name` (http/decode_destinations.h).
struct DestinationRef {
  enum class By { kIdOrName, kId, kName };
  By by = By::kIdOrName;
  std::string value;
};

// Resolves a reference to a non-deleted destination (names case-insensitively). When it resolves
// to nothing, adds a FieldError at `field` (kIdOrName), `field`._id or `field`.name and returns
// nullopt. Store failures are returned as errors.
Result<std::optional<Destination>> resolve_destination_ref(ReadTx& tx, const DestinationRef& ref,
                                                           const std::string& field,
                                                           std::vector<FieldError>& errors);

}  // namespace leadproc
