#include "storage/sql/columns.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "codec/poc_rules_json.h"
#include "codec/work_schedule_json.h"
#include "domain/funnel.h"

namespace leadproc::sql {
namespace json = boost::json;

namespace {

Result<json::array> parse_array(std::string_view text, std::string_view what) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return corrupt(what, text);
  return std::move(v.get_array());
}

std::optional<std::string> string_member(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

}  // namespace

Error corrupt(std::string_view what, std::string_view value) {
  constexpr std::size_t kShown = 200;
  return Error::internal("corrupt " + std::string(what) +
                         " in the database: " + std::string(value.substr(0, kShown)));
}

std::string strings_to_json(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

Result<std::vector<std::string>> strings_from_json(std::string_view text, std::string_view what) {
  auto a = parse_array(text, what);
  if (!a) return a.error();
  std::vector<std::string> out;
  for (const auto& v : *a) {
    if (!v.is_string()) return corrupt(what, text);
    out.emplace_back(v.get_string());
  }
  return out;
}

std::string platforms_to_json(const std::vector<Platform>& v) {
  json::array a;
  for (auto p : v) a.emplace_back(to_string(p));
  return json::serialize(a);
}

Result<std::vector<Platform>> platforms_from_json(std::string_view text) {
  auto names = strings_from_json(text, "availabilities.source");
  if (!names) return names.error();
  std::vector<Platform> out;
  for (const auto& n : *names) {
    auto p = require(parse_platform(n), "availabilities.source", n);
    if (!p) return p.error();
    out.push_back(*p);
  }
  return out;
}

std::string refs_to_json(const std::vector<NamedRef>& v) {
  json::array a;
  for (const auto& r : v) a.emplace_back(json::object{{"_id", r.id}, {"name", r.name}});
  return json::serialize(a);
}

Result<std::vector<NamedRef>> refs_from_json(std::string_view text) {
  constexpr std::string_view kWhat = "availabilities.destinations";
  auto a = parse_array(text, kWhat);
  if (!a) return a.error();
  std::vector<NamedRef> out;
  for (const auto& v : *a) {
    if (!v.is_object()) return corrupt(kWhat, text);
    auto id = string_member(v.get_object(), "_id");
    auto name = string_member(v.get_object(), "name");
    if (!id || !name) return corrupt(kWhat, text);
    out.push_back(NamedRef{std::move(*id), std::move(*name)});
  }
  return out;
}

std::optional<std::string> schedule_to_column(const WorkSchedule& s) {
  if (s.empty()) return std::nullopt;
  json::object o;
  codec::put_schedule(o, s);
  return json::serialize(o);
}

Result<WorkSchedule> schedule_from_column(const std::optional<std::string>& text) {
  constexpr std::string_view kWhat = "availabilities.schedule";
  WorkSchedule s;
  if (!text) return s;
  auto o = parse_object(*text, kWhat);
  if (!o) return o.error();
  std::vector<FieldError> errors;
  codec::read_schedule(*o, s, errors, true);
  if (!errors.empty()) return corrupt(kWhat, *text);
  return s;
}

std::optional<std::string> rules_to_column(const PocRules& r) {
  if (r.is_default()) return std::nullopt;
  json::object o;
  codec::put_rules(o, r);
  return json::serialize(o);
}

Result<PocRules> rules_from_column(const std::optional<std::string>& text) {
  constexpr std::string_view kWhat = "availabilities.rules";
  PocRules r;
  if (!text) return r;
  auto o = parse_object(*text, kWhat);
  if (!o) return o.error();
  std::vector<FieldError> errors;
  codec::read_rules(*o, r, errors);
  if (!errors.empty()) return corrupt(kWhat, *text);
  return r;
}

std::string changes_to_json(const std::vector<FieldChange>& v) {
  // Written directly (strings escaped by Boost.JSON): an array of small objects built as
  // json::values first cost a tenth of recording an activity, on every lead.
  std::string out = "[";
  for (const auto& c : v) {
    if (out.size() > 1) out += ',';
    out += "{\"field\":";
    out += json::serialize(json::string_view(c.field));
    out += ",\"previousValue\":";
    out += json::serialize(json::string_view(c.previous_value));
    out += ",\"newValue\":";
    out += json::serialize(json::string_view(c.new_value));
    out += '}';
  }
  out += ']';
  return out;
}

Result<std::vector<FieldChange>> changes_from_json(std::string_view text) {
  constexpr std::string_view kWhat = "activities.changes";
  auto a = parse_array(text, kWhat);
  if (!a) return a.error();
  std::vector<FieldChange> out;
  for (const auto& v : *a) {
    if (!v.is_object()) return corrupt(kWhat, text);
    const auto& o = v.get_object();
    auto field = string_member(o, "field");
    auto prev = string_member(o, "previousValue");
    auto next = string_member(o, "newValue");
    if (!field || !prev || !next) return corrupt(kWhat, text);
    out.push_back(FieldChange{std::move(*field), std::move(*prev), std::move(*next)});
  }
  return out;
}

Result<json::object> parse_object(std::string_view text, std::string_view what) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return corrupt(what, text);
  return std::move(v.get_object());
}

FunnelColumns funnel_columns(const Opportunity& o) {
  const FunnelPosition p = funnel_position(o);
  FunnelColumns c{campaign_of(o), static_cast<int>(p.step), std::nullopt};
  if (p.outcome) c.outcome = std::string(to_string(*p.outcome));
  return c;
}

}  // namespace leadproc::sql
