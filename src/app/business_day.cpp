#include "app/business_day.h"

#include <date/tz.h>

#include <algorithm>
#include <charconv>

#include "domain/time_format.h"

namespace leadproc {
namespace {

const date::time_zone* find_zone(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Error unknown_zone(const std::string& zone) {
  return Error::validation({{"timezone", "unknown time zone '" + zone + "'"}},
                           "unknown time zone '" + zone + "'");
}

// The first instant of the local day `day` in `tz` (choose::earliest also resolves a midnight
// that a DST change skips to the transition instant).
Timestamp start_of(const date::time_zone* tz, date::local_days day) {
  auto sys = tz->to_sys(date::local_time<std::chrono::milliseconds>(day), date::choose::earliest);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(sys);
}

bool parse_number(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool is_known_time_zone(const std::string& zone) {
  return find_zone(zone) != nullptr;
}

Result<TimeWindow> business_day(Timestamp t, const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return unknown_zone(zone);
  auto local = tz->to_local(t);
  auto day = date::floor<date::days>(local);
  return TimeWindow{start_of(tz, day), start_of(tz, day + date::days{1})};
}

Result<Timestamp> local_midnight(int year, unsigned month, unsigned day, const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return unknown_zone(zone);
  date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  if (!ymd.ok())
    return Error::validation({{"date", "is not a calendar date"}}, "not a calendar date");
  return start_of(tz, date::local_days{ymd});
}

Result<std::vector<LabelledWindow>> business_periods(TimeWindow range, Period period,
                                                     const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return unknown_zone(zone);
  std::vector<LabelledWindow> out;
  if (range.start >= range.end) return out;
  auto day = date::floor<date::days>(tz->to_local(range.start));
  if (period == Period::kWeek) {
    const date::weekday wd{date::sys_days{day.time_since_epoch()}};
    day -= wd - date::Monday;
  }
  const date::days step{period == Period::kWeek ? 7 : 1};
  for (;; day += step) {
    const Timestamp start = start_of(tz, day);
    if (start >= range.end) break;
    const Timestamp end = start_of(tz, day + step);
    out.push_back(
        {{std::max(start, range.start), std::min(end, range.end)},
         date::format("%F", date::year_month_day{date::sys_days{day.time_since_epoch()}})});
  }
  return out;
}

Result<WorkTime> work_time(Timestamp t, const std::string& zone) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return unknown_zone(zone);
  const auto local = tz->to_local(t);
  const auto day = date::floor<date::days>(local);
  const date::weekday wd{date::sys_days{day.time_since_epoch()}};
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day);
  // iso_encoding: Monday 1 .. Sunday 7.
  return WorkTime{
      t, LocalClock{static_cast<int>(wd.iso_encoding()) - 1, static_cast<int>(minutes.count())}};
}

std::optional<Timestamp> parse_boundary(std::string_view text, const std::string& zone) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int y = 0, m = 0, d = 0;
    if (!parse_number(text.substr(0, 4), y) || !parse_number(text.substr(5, 2), m) ||
        !parse_number(text.substr(8, 2), d) || m < 1 || d < 1)
      return std::nullopt;
    auto t = local_midnight(y, static_cast<unsigned>(m), static_cast<unsigned>(d), zone);
    if (!t) return std::nullopt;
    return *t;
  }
  return parse_iso8601(text);
}

}  // namespace leadproc
