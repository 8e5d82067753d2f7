// Configuration API: destinations (the spec's `destinations` collection). Every function runs one
// store transaction; validation failures are one 422 naming every bad field.
//
// Body fields: `name` (required on create, trimmed, non-empty, unique case-insensitively among
// non-deleted destinations, else 409), `slugs` (strings, trimmed, lower-cased, de-duplicated; a
// slug is one URL path segment), `preference` (number in [0.1, 1.0], default 1.0). `deleted: true`
// is refused (422, use DELETE); other unknown fields are ignored, as the existing (Mongoose)
// API does.
//
// This header also holds the small helpers the other configuration use cases share (ids, trimming,
// resolving a destination reference).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"

namespace leadproc {

// ---- destinations ----

Result<Destination> create_destination(AppContext& ctx, const boost::json::object& body);
// Non-deleted destinations.
Result<std::vector<Destination>> list_destinations(AppContext& ctx);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<Destination> get_destination(AppContext& ctx, const Id& id);
// PATCH: only the given fields change. A rename is carried, in the same transaction, into the
// denormalised names of process-map entries, availabilities and marked web URLs.
Result<Destination> update_destination(AppContext& ctx, const Id& id,
                                       const boost::json::object& body);
// Soft delete. 409 while a non-deleted process map still lists the destination (remove it from
// the map first). Web URLs marked with it become unmarked again (consumed=false), so they return
// to the admins' to-do list; availabilities keep the stale reference, which matches no lead.
Status delete_destination(AppContext& ctx, const Id& id);

// Pure: slugs trimmed, lower-cased, de-duplicated (first occurrence kept). An empty slug or one
// containing '/' adds a FieldError "<field>[i]".
std::vector<std::string> normalize_slugs(const std::vector<std::string>& raw,
                                         std::vector<FieldError>& errors,
                                         const std::string& field = "slugs");

// ---- helpers shared by the configuration use cases ----

// The id in canonical (lower-case) form, or nullopt if `s` is not 24 hex digits.
std::optional<Id> canonical_id(std::string_view s);

// True iff `key` is present with the value null (PATCH: "clear this field").
bool is_explicit_null(const boost::json::object& o, std::string_view key);

// Resolves a destination reference to a non-deleted destination: a string (an _id, else a name,
// case-insensitive) or an object with `_id` (wins) or `name`. When it resolves to nothing, adds a
// FieldError at `field` (or `field`._id / `field`.name) and returns nullopt. Store failures are
// returned as errors.
Result<std::optional<Destination>> resolve_destination_ref(ReadTx& tx,
                                                           const boost::json::value& ref,
                                                           const std::string& field,
                                                           std::vector<FieldError>& errors);

}  // namespace leadproc
