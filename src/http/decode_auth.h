// The bodies of the admin's authentication routes (docs/api-auth.md) as the use cases' inputs:
// POST /api/v1/api-keys {"name", "platform"} and POST /api/v1/login-throttles/clear
// {"email", "address"}. JSON types and the platform's wire value only; the rules are
// app/auth.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/auth.h"

namespace leadproc::http {

ApiKeyInput decode_api_key(const boost::json::object& body);
ThrottleClearInput decode_throttle_clear(const boost::json::object& body);

}  // namespace leadproc::http
