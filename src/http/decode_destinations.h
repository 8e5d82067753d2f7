// The body of POST /api/v1/destinations and PATCH /api/v1/destinations/{id} (docs/api-config.md
// "Destinations") as the use case's DestinationInput, and a destination reference as the other
// configuration bodies give one. JSON types and null versus absent only: a PATCH's null `slugs`
// clears them and a null `preference` restores the default; a null `name` is refused, and so is
// `deleted: true` (use DELETE); unknown fields are ignored, as the existing (Mongoose) API does.
// The rules of a destination are app/destinations.h's.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/destinations.h"

namespace leadproc::http {

// `creating`: POST (name required) rather than PATCH.
DestinationInput decode_destination(const boost::json::object& body, bool creating);

// A reference: a string (an _id or else a name) or an object with `_id` (wins) or `name`. A value
// of another shape adds a FieldError at `field` (or `field`._id / `field`.name) and gives nullopt.
std::optional<DestinationRef> decode_destination_ref(const boost::json::value& v,
                                                     const std::string& field,
                                                     std::vector<FieldError>& errors);

}  // namespace leadproc::http
