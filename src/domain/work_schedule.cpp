#include "domain/work_schedule.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace leadproc {
namespace {

constexpr std::array<std::string_view, kDaysPerWeek> kDays{"mon", "tue", "wed", "thu",
                                                           "fri", "sat", "sun"};

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool covers(const Shift& s, const LocalClock& local) {
  if (s.end_minute > s.start_minute)
    return s.day == local.weekday && s.start_minute <= local.minute && local.minute < s.end_minute;
  // Overnight: the evening of its day, then the morning of the next.
  if (s.day == local.weekday && local.minute >= s.start_minute) return true;
  return (s.day + 1) % kDaysPerWeek == local.weekday && local.minute < s.end_minute;
}

}  // namespace

std::string_view to_string(OffDuty o) {
  switch (o) {
    case OffDuty::kOffShift:
      return "off shift";
    case OffDuty::kOnLeave:
      return "on leave";
    case OffDuty::kCheckedOut:
      return "checked out";
  }
  return "off shift";
}

std::string_view weekday_name(int weekday) {
  return kDays.at(static_cast<std::size_t>(weekday % kDaysPerWeek));
}

std::optional<int> parse_weekday(std::string_view name) {
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (kDays[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<int> parse_clock(std::string_view t) {
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4]))
    return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string format_clock(int minute) {
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d", minute / 60, minute % 60);
  return out;
}

bool on_shift(const std::vector<Shift>& shifts, const LocalClock& local) {
  return shifts.empty() || std::any_of(shifts.begin(), shifts.end(),
                                       [&](const Shift& s) { return covers(s, local); });
}

int minutes_to_next_change(const std::vector<Shift>& shifts, const LocalClock& local) {
  int next = kMinutesPerDay;  // midnight
  for (const auto& s : shifts)
    for (int boundary : {s.start_minute, s.end_minute % kMinutesPerDay})
      if (boundary > local.minute) next = std::min(next, boundary);
  return next - local.minute;
}

std::optional<OffDuty> not_working(const WorkSchedule& s, const WorkTime& at) {
  if (s.checked_out_until && at.now < *s.checked_out_until) return OffDuty::kCheckedOut;
  for (const auto& l : s.leave)
    if (l.from <= at.now && at.now < l.to) return OffDuty::kOnLeave;
  if (!on_shift(s.shifts, at.local)) return OffDuty::kOffShift;
  return std::nullopt;
}

}  // namespace leadproc
