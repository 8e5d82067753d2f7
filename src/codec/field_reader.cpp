#include "codec/field_reader.h"

#include <boost/json/parse.hpp>
#include <cmath>

namespace leadproc::codec {
namespace json = boost::json;

FieldReader::FieldReader(const json::object& object, std::vector<FieldError>& errors,
                         std::string prefix)
    : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

bool FieldReader::has(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && !it->value().is_null();
}

void FieldReader::fail(std::string_view key, std::string reason) {
  errors_.push_back(FieldError{path(key), std::move(reason)});
}

const json::value* FieldReader::find(std::string_view key, bool required) {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(key, "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<double> FieldReader::number(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  fail(key, "must be a number");
  return std::nullopt;
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::floor(v->get_double()) == v->get_double() &&
      std::abs(v->get_double()) < 9e15)
    return static_cast<std::int64_t>(v->get_double());
  fail(key, "must be an integer");
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::strings(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    fail(key, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& item = v->get_array()[i];
    if (!item.is_string()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
      return std::nullopt;
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

const json::object* FieldReader::object(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

const json::array* FieldReader::array(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(key, "must be an array");
    return nullptr;
  }
  return &v->get_array();
}

Result<json::object> parse_object(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec)
    return Error::validation({{"body", "is not valid JSON: " + ec.message()}}, "malformed JSON");
  if (!v.is_object())
    return Error::validation({{"body", "must be a JSON object"}}, "malformed JSON");
  return std::move(v.get_object());
}

}  // namespace leadproc::codec
