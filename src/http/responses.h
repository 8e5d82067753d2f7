// Building responses: JSON bodies, and the one table that maps domain errors to HTTP statuses
// and RFC 9457 problem+json bodies.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include <boost/json/value.hpp>

#include "app/store.h"
#include "domain/result.h"
#include "http/request.h"

namespace leadproc::http {

int status_for(ErrorCode code);

// {"type","title","status","detail", "errors":[{"field","reason"}], "allowed":[...]}: the body of
// problem_response, also one refused item of a bulk answer (routes_bulk.cpp).
boost::json::object problem_object(const Error& error);

// problem_object(error) plus "traceId", as application/problem+json with the error's status.
Response problem_response(const Error& error, const std::string& trace_id = "");

Response json_response(int status, const boost::json::value& body);

// Parses a JSON object body, or fails with the 422 to send.
Result<boost::json::object> json_body(const Request& request);

// Query parameter helpers: a missing parameter is nullopt; a malformed one adds a FieldError.
std::optional<std::string> query_string(const Request& r, const std::string& name);
std::optional<int> query_int(const Request& r, const std::string& name, int min, int max,
                             std::vector<FieldError>& errors);
std::optional<bool> query_bool(const Request& r, const std::string& name,
                               std::vector<FieldError>& errors);
// Adds a FieldError for every query parameter not in `known`, naming those that are: a list
// whose filter is misspelt (?stauts=Open) must say so, not answer as if it had no filter.
void only_params(const Request& r, std::initializer_list<std::string_view> known,
                 std::vector<FieldError>& errors);
void only_params(const Request& r, const std::vector<std::string_view>& known,
                 std::vector<FieldError>& errors);
// The page of a newest-first list: `limit` (1-500, default 50) and `cursor` (an id).
Page query_page(const Request& r, std::vector<FieldError>& errors);
// For a list that takes no parameters: the 422 naming each one given, or nullopt.
std::optional<Response> refuse_params(const Request& r);

}  // namespace leadproc::http
