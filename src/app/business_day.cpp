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

// The weekday (0 = Monday) and minute of a local wall-clock instant.
LocalClock local_clock(date::local_time<std::chrono::milliseconds> local) {
  const auto day = date::floor<date::days>(local);
  const date::weekday wd{date::sys_days{day.time_since_epoch()}};
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day);
  // iso_encoding: Monday 1 .. Sunday 7.
  return LocalClock{static_cast<int>(wd.iso_encoding()) - 1, static_cast<int>(minutes.count())};
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
  return WorkTime{t, local_clock(local),
                  date::floor<date::days>(local).time_since_epoch().count()};
}

Result<std::chrono::milliseconds> time_on_shift(const std::vector<Shift>& shifts, TimeWindow span,
                                                const std::string& zone,
                                                std::chrono::milliseconds enough) {
  const date::time_zone* tz = find_zone(zone);
  if (!tz) return unknown_zone(zone);
  std::chrono::milliseconds total{0};
  if (shifts.empty()) return std::min(std::max(span.end - span.start, total), enough);
  // Each step ends at the next wall-clock minute where coverage may change, or where the zone's
  // offset changes (a DST change moves the wall clock, not the instants): coverage is constant in
  // between, so it is judged once per step.
  for (Timestamp t = span.start; t < span.end && total < enough;) {
    const date::sys_info info = tz->get_info(t);
    const auto local =
        date::local_time<std::chrono::milliseconds>{t.time_since_epoch() + info.offset};
    const LocalClock clock = local_clock(local);
    const auto into_minute = local.time_since_epoch() % std::chrono::minutes(1);
    Timestamp next = t + std::chrono::minutes(minutes_to_next_change(shifts, clock)) - into_minute;
    next = std::min(next, span.end);
    if (info.end < std::chrono::floor<std::chrono::seconds>(next))  // sys_info ends far away
      next = std::chrono::time_point_cast<std::chrono::milliseconds>(info.end);
    if (on_shift(shifts, clock)) total += next - t;
    t = next;
  }
  return std::min(total, enough);
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
