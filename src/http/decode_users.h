// The body of POST /api/v1/users and PATCH /api/v1/users/{id} (docs/api-config.md "Users") as
// the use case's UserInput: JSON types, null versus absent, and the fields the API refuses
// (`credentials`: never settable, never shown, the JSON has `hasCredentials`; `deleted: true`:
// use DELETE; PATCH: null for email, department or isActive). Unknown fields are ignored. The
// rules of a user (an address shape, lengths, the password policy) are app/users.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/users.h"

namespace leadproc::http {

// `creating`: POST (email and department required) rather than PATCH.
UserInput decode_user(const boost::json::object& body, bool creating);

// The body of POST /api/v1/users/{id}/deactivate: body["handover"] (absent or null: kNone);
// problems are added to `errors` under "handover.to" / "handover.roundRobin" / "handover".
Handover decode_handover(const boost::json::object& body, std::vector<FieldError>& errors);

}  // namespace leadproc::http
