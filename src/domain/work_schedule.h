// When a POC works (issue 21, item 1): weekly shifts in the business time zone, leave periods and
// the agent's own check-out for the day. Pure: no clock and no time-zone database. The caller
// (app/work_time.h) gives the instant and the local wall clock at that instant in the business
// zone, so a shift means wall-clock hours whatever the UTC offset of the day (a DST change moves
// the shift's instants, not its hours).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc {

// model.h's alias, repeated (model.h includes this header for Availability::schedule).
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Days of the week, Monday first, as in "mon".."sun".
constexpr int kDaysPerWeek = 7;
constexpr int kMinutesPerDay = 24 * 60;

// Why a POC is not working at an instant; a decision record and a waiting lead name it.
enum class OffDuty { kOffShift, kOnLeave, kCheckedOut };
std::string_view to_string(OffDuty o);  // "off shift", "on leave", "checked out"

// The local wall clock at an instant: weekday (0 = Monday .. 6 = Sunday) and minute of the day.
struct LocalClock {
  int weekday = 0;
  int minute = 0;
};

// The instant to judge and the business zone's wall clock then.
struct WorkTime {
  Timestamp now{};
  LocalClock local;
  std::int64_t local_day = 0;  // the local date, as days since 1970-01-01 (the daily quota's day)
};

// Returns "mon".."sun" for 0..6; parse_weekday is its inverse (nullopt otherwise).
std::string_view weekday_name(int weekday);
std::optional<int> parse_weekday(std::string_view name);
// "HH:MM" with 00 <= HH <= 23 (or "24:00", the end of the day) -> minutes; nullopt otherwise.
std::optional<int> parse_clock(std::string_view text);
std::string format_clock(int minute);  // "HH:MM"

// Read `is_working` for the rule. A shift whose end is not after its start runs overnight into
// the next day (22:00-06:00 on "sun" covers Sunday 22:00 to Monday 06:00).
struct Shift {
  int day = 0;           // 0 = Monday
  int start_minute = 0;  // 0..1439
  int end_minute = 0;    // 1..1440; <= start_minute: ends the next day
};

// [from, to): on leave from `from` up to, not including, `to`.
struct LeavePeriod {
  Timestamp from{};
  Timestamp to{};
};

struct WorkSchedule {
  std::vector<Shift> shifts;                   // none: always on shift
  std::vector<LeavePeriod> leave;              // in any order
  std::optional<Timestamp> checked_out_until;  // the agent checked out until then
  bool empty() const { return shifts.empty() && leave.empty() && !checked_out_until; }
};

// nullopt when the POC works at `at`; otherwise why not. Checked out before on leave before off
// shift (the most specific reason first: what the agent did, what the admin set, the rota).
std::optional<OffDuty> not_working(const WorkSchedule& s, const WorkTime& at);

// True iff some shift covers the wall-clock moment (no shifts: true).
bool on_shift(const std::vector<Shift>& shifts, const LocalClock& local);

// Minutes from the wall-clock minute `local` to the next local minute at which on_shift may
// change (a shift's start or end, or midnight, when the weekday changes): 1..1440. A clock that
// counts time on shift (app/business_day.h time_on_shift) steps from one to the next.
int minutes_to_next_change(const std::vector<Shift>& shifts, const LocalClock& local);

}  // namespace leadproc
