#include "import/extended_json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "domain/object_id.h"
#include "domain/time_format.h"

namespace leadproc::import {
namespace json = boost::json;
namespace {

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return out;
}

// The number `s` spells, finite or not ("NaN", "Infinity", "-Infinity"); nullopt when it is none.
std::optional<double> parse_double(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return d;
}

json::value whole_or_double(double d) {
  if (std::floor(d) == d && std::abs(d) < 9e15) return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}

// The milliseconds of a $date's value, in any of its three forms.
std::optional<Timestamp> date_of(const json::value& d) {
  if (d.is_string()) return parse_iso8601(d.get_string());
  std::optional<std::int64_t> ms;
  if (d.is_int64()) ms = d.get_int64();
  if (d.is_uint64() && d.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    ms = static_cast<std::int64_t>(d.get_uint64());
  if (d.is_double() && std::isfinite(d.get_double()))
    ms = static_cast<std::int64_t>(d.get_double());
  if (d.is_object() && d.get_object().size() == 1) {
    const auto& o = d.get_object();
    if (auto it = o.find("$numberLong"); it != o.end() && it->value().is_string())
      ms = parse_int(it->value().get_string());
  }
  if (!ms) return std::nullopt;
  return Timestamp{std::chrono::milliseconds{*ms}};
}

// Converts a one-key wrapper object; false when `o` is not one this file converts.
bool convert_wrapper(const json::object& o, const std::string& path,
                     std::vector<FieldError>& errors, std::vector<FieldError>& warnings,
                     json::value& out) {
  if (o.size() != 1) return false;
  const auto& [key, value] = *o.begin();
  const std::string field = path.empty() ? std::string("(document)") : path;
  auto fail = [&](std::string reason) {
    errors.push_back({field, std::move(reason)});
    out = nullptr;
    return true;
  };
  if (key == "$oid") {
    if (!value.is_string() || !is_object_id(value.get_string()))
      return fail("$oid must be 24 hexadecimal digits");
    std::string id(value.get_string());
    for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out = json::value(id);
    return true;
  }
  if (key == "$date") {
    auto t = date_of(value);
    if (!t) return fail("$date must be an ISO-8601 date or {\"$numberLong\": milliseconds}");
    out = json::value(format_iso8601(*t));
    return true;
  }
  if (key == "$numberInt" || key == "$numberLong") {
    auto n = value.is_string() ? parse_int(value.get_string()) : std::nullopt;
    if (!n) return fail(std::string(key) + " must be a string of decimal digits");
    out = json::value(*n);
    return true;
  }
  if (key == "$numberDouble" || key == "$numberDecimal") {
    auto d = value.is_string() ? parse_double(value.get_string()) : std::nullopt;
    if (!d) return fail(std::string(key) + " must be a number");
    if (!std::isfinite(*d)) {
      // JSON has no NaN or Infinity, and nothing leadproc keeps is one: null, as if absent.
      warnings.push_back({field, std::string(key) + " " + std::string(value.get_string()) +
                                     " is not a finite number: taken as null"});
      out = nullptr;
      return true;
    }
    out = whole_or_double(*d);
    return true;
  }
  if (key == "$symbol" && value.is_string()) {
    out = value;
    return true;
  }
  return false;
}

}  // namespace

json::value plain_value(const json::value& v, const std::string& path,
                        std::vector<FieldError>& errors, std::vector<FieldError>& warnings) {
  if (v.is_array()) {
    json::array out;
    const auto& a = v.get_array();
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      out.push_back(plain_value(a[i], path + "[" + std::to_string(i) + "]", errors, warnings));
    return out;
  }
  if (!v.is_object()) return v;
  const auto& o = v.get_object();
  json::value converted;
  if (convert_wrapper(o, path, errors, warnings, converted)) return converted;
  json::object out;
  out.reserve(o.size());
  for (const auto& [key, value] : o)
    out[key] = plain_value(value, child(path, key), errors, warnings);
  return out;
}

}  // namespace leadproc::import
