#include "http/responses.h"

#include <algorithm>
#include <charconv>

#include "codec/field_reader.h"
#include "codec/json_writer.h"
#include "domain/object_id.h"

namespace leadproc::http {
namespace json = boost::json;

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {
std::string_view title_for(int status) {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}
}  // namespace

json::object problem_object(const Error& error) {
  const int status = status_for(error.code);
  json::object body{{"type", "about:blank"},
                    {"title", title_for(status)},
                    {"status", status},
                    {"detail", error.detail}};
  if (!error.fields.empty()) {
    json::array errors;
    for (const auto& f : error.fields)
      errors.emplace_back(json::object{{"field", f.field}, {"reason", f.reason}});
    body["errors"] = std::move(errors);
  }
  if (!error.allowed.empty()) {
    json::array allowed;
    for (const auto& a : error.allowed) allowed.emplace_back(a);
    body["allowed"] = std::move(allowed);
  }
  return body;
}

Response problem_response(const Error& error, const std::string& trace_id) {
  const int status = status_for(error.code);
  json::object body = problem_object(error);
  if (!trace_id.empty()) body["traceId"] = trace_id;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = codec::serialize(body);
  if (error.retry_after_seconds > 0)
    r.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  return r;
}

Response json_response(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = codec::serialize(body);
  return r;
}

Result<json::object> json_body(const Request& request) {
  return codec::parse_object(request.body);
}

std::optional<std::string> query_string(const Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<int> query_int(const Request& r, const std::string& name, int min, int max,
                             std::vector<FieldError>& errors) {
  auto s = query_string(r, name);
  if (!s) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  if (ec != std::errc() || ptr != s->data() + s->size() || value < min || value > max) {
    errors.push_back(
        {name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
    return std::nullopt;
  }
  return value;
}

std::optional<bool> query_bool(const Request& r, const std::string& name,
                               std::vector<FieldError>& errors) {
  auto s = query_string(r, name);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "1") return true;
  if (*s == "false" || *s == "0") return false;
  errors.push_back({name, "must be true or false"});
  return std::nullopt;
}

void only_params(const Request& r, std::initializer_list<std::string_view> known,
                 std::vector<FieldError>& errors) {
  only_params(r, std::vector<std::string_view>(known), errors);
}

void only_params(const Request& r, const std::vector<std::string_view>& known,
                 std::vector<FieldError>& errors) {
  for (const auto& [name, value] : r.query) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    errors.push_back({name, list.empty() ? "is not a parameter here: this list takes none"
                                         : "is not a parameter here; the parameters are: " + list});
  }
}

Page query_page(const Request& r, std::vector<FieldError>& errors) {
  Page page;
  page.limit = query_int(r, "limit", 1, 500, errors).value_or(50);
  if (auto c = query_string(r, "cursor")) {
    if (!is_object_id(*c))
      errors.push_back({"cursor", "must be a 24-hex-digit id"});
    else
      page.after = *c;
  }
  return page;
}

std::optional<Response> refuse_params(const Request& r) {
  std::vector<FieldError> errors;
  only_params(r, {}, errors);
  if (errors.empty()) return std::nullopt;
  return problem_response(Error::validation(std::move(errors), "bad query parameters"), r.trace_id);
}

}  // namespace leadproc::http
