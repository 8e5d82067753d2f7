// The API's OpenAPI 3.1 document (GET /api/v1/openapi.json, `leadproc openapi`).
//
// It is assembled from two sources so that it cannot drift from the code:
// - the router's routes (method, pattern, name, access rule): every path, method, operationId,
//   path parameter and security requirement comes from what is really registered;
// - src/http/openapi_description.json, keyed by route name (`x-operations`): each operation's
//   summary, query parameters, request body and success answers, and the component schemas.
//   Two markers in it are filled in from the code the decoders use: `"x-enum": "<table>"`
//   becomes the enum's wire values (domain/enums.h) and `"x-limit": "<field>"` becomes the
//   field's size limit (domain/field_limits.h), so the document states the limits enforced.
// Every operation also answers `default`: an RFC 9457 problem (every 4xx and 5xx).
//
// tests/api/openapi_test.cpp checks that every route is described and every description names a
// route (openapi_coverage), and tests/openapi validates the answers the API test suite recorded
// against the document's schemas.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace leadproc::http {

// The document for `routes` (Router::routes()) as JSON text. Throws std::invalid_argument when
// the description is not valid JSON or names an enum table or a field limit that does not exist
// (a programming error: the server refuses to start).
std::string openapi_document(const std::vector<RouteInfo>& routes);

// What is out of step between `routes` and the description, one line per problem ("route X has
// no description", "description of Y names no route"); empty when they agree.
std::vector<std::string> openapi_coverage(const std::vector<RouteInfo>& routes);

// GET /api/v1/openapi.json (public, on the network thread: the text is built once, here). Call
// after every other route is registered: the document describes the routes registered so far
// and this one.
void register_openapi_route(Router& router);

}  // namespace leadproc::http
