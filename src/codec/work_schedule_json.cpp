#include "codec/work_schedule_json.h"

#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"

namespace leadproc::codec {
namespace json = boost::json;

void put_schedule(json::object& out, const WorkSchedule& s) {
  json::array shifts, leave;
  for (const auto& sh : s.shifts)
    shifts.emplace_back(json::object{{"day", weekday_name(sh.day)},
                                     {"start", format_clock(sh.start_minute)},
                                     {"end", format_clock(sh.end_minute)}});
  for (const auto& l : s.leave)
    leave.emplace_back(
        json::object{{"from", format_iso8601(l.from)}, {"to", format_iso8601(l.to)}});
  out["shifts"] = std::move(shifts);
  out["leave"] = std::move(leave);
  out["checkedOutUntil"] = optional_time(s.checked_out_until);
}

namespace {

std::optional<Shift> read_shift(const json::value& v, const std::string& path,
                                std::vector<FieldError>& errors) {
  if (!v.is_object()) {
    errors.push_back({path, "must be an object {day, start, end}"});
    return std::nullopt;
  }
  const std::size_t before = errors.size();
  FieldReader r(v.get_object(), errors, path + ".");
  Shift out;
  if (auto day = r.string("day", true)) {
    if (auto d = parse_weekday(*day))
      out.day = *d;
    else
      r.fail("day", "must be one of: mon, tue, wed, thu, fri, sat, sun");
  }
  if (auto start = r.string("start", true)) {
    auto m = parse_clock(*start);
    if (!m || *m >= kMinutesPerDay)
      r.fail("start", "must be a time of day HH:MM from 00:00 to 23:59");
    else
      out.start_minute = *m;
  }
  if (auto end = r.string("end", true)) {
    auto m = parse_clock(*end);
    if (!m || *m == 0)
      r.fail("end", "must be a time of day HH:MM from 00:01 to 24:00 (00:00 is written 24:00)");
    else
      out.end_minute = *m;
  }
  if (errors.size() == before && out.end_minute == out.start_minute)
    r.fail("end", "must differ from start");
  if (errors.size() != before) return std::nullopt;
  return out;
}

std::optional<LeavePeriod> read_leave(const json::value& v, const std::string& path,
                                      std::vector<FieldError>& errors) {
  if (!v.is_object()) {
    errors.push_back({path, "must be an object {from, to}"});
    return std::nullopt;
  }
  const std::size_t before = errors.size();
  FieldReader r(v.get_object(), errors, path + ".");
  LeavePeriod out;
  for (auto [key, slot] : {std::pair{"from", &out.from}, std::pair{"to", &out.to}}) {
    if (auto text = r.string(key, true)) {
      if (auto t = parse_iso8601(*text))
        *slot = *t;
      else
        r.fail(key, "must be an ISO-8601 instant with its offset (2026-12-24T00:00:00+05:30)");
    }
  }
  if (errors.size() == before && !(out.from < out.to)) r.fail("to", "must be after from");
  if (errors.size() != before) return std::nullopt;
  return out;
}

// Reads the array `key` of `o` item by item; absent leaves `out`, null clears it.
template <typename T, typename ReadItem>
void read_list(const json::object& o, std::string_view key, std::size_t max, std::vector<T>& out,
               std::vector<FieldError>& errors, ReadItem read_item) {
  auto it = o.find(key);
  if (it == o.end()) return;
  if (it->value().is_null()) {
    out.clear();
    return;
  }
  const std::string name(key);
  if (!it->value().is_array()) {
    errors.push_back({name, "must be an array"});
    return;
  }
  const auto& items = it->value().get_array();
  if (items.size() > max) {
    errors.push_back({name, "at most " + std::to_string(max) + " items"});
    return;
  }
  std::vector<T> read;
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto item = read_item(items[i], name + "[" + std::to_string(i) + "]", errors);
    if (item)
      read.push_back(*item);
    else
      ok = false;
  }
  if (ok) out = std::move(read);
}

}  // namespace

void read_schedule(const json::object& o, WorkSchedule& s, std::vector<FieldError>& errors,
                   bool with_check_out) {
  read_list(o, "shifts", kMaxShifts, s.shifts, errors, read_shift);
  read_list(o, "leave", kMaxLeavePeriods, s.leave, errors, read_leave);
  if (!with_check_out) return;
  FieldReader r(o, errors);
  s.checked_out_until.reset();
  if (auto text = r.string("checkedOutUntil")) {
    if (auto t = parse_iso8601(*text))
      s.checked_out_until = *t;
    else
      r.fail("checkedOutUntil", "must be an ISO-8601 instant");
  }
}

}  // namespace leadproc::codec
