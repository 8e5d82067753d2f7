// Calendar arithmetic in the business time zone (PRODUCT.md: "Due today" and every date boundary
// use the business time zone, default Asia/Kolkata; timestamps are stored in UTC). Backed by the
// IANA tz database through Howard Hinnant's date/tz.h. Pure functions of their arguments (no
// clock reads), so they are tested with fixed instants.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "domain/work_schedule.h"

namespace leadproc {

// A half-open interval of instants: [start, end).
struct TimeWindow {
  Timestamp start{};
  Timestamp end{};
  bool contains(Timestamp t) const { return start <= t && t < end; }
};

// True iff `zone` names a time zone of the tz database ("Asia/Kolkata", "UTC", ...).
bool is_known_time_zone(const std::string& zone);

// The business day containing `t` in `zone`: [its local midnight, the next local midnight).
// Where a DST change skips midnight, the day starts at the first instant that exists. kValidation
// for an unknown zone.
Result<TimeWindow> business_day(Timestamp t, const std::string& zone);

// The instant of local midnight starting the calendar day year-month-day in `zone`. kValidation
// for an unknown zone or an impossible date.
Result<Timestamp> local_midnight(int year, unsigned month, unsigned day, const std::string& zone);

// The business days (or ISO weeks, Monday to Sunday) that meet `range`, in order, each clipped
// to it; `label` is the local date the day or week starts on ("YYYY-MM-DD", unclipped).
// kValidation for an unknown zone.
enum class Period { kDay, kWeek };
struct LabelledWindow {
  TimeWindow window;
  std::string label;
};
Result<std::vector<LabelledWindow>> business_periods(TimeWindow range, Period period,
                                                     const std::string& zone);

// The instant `t` with the wall clock of `zone` then (weekday, minute of the day), for the work
// schedules of domain/work_schedule.h. kValidation for an unknown zone.
Result<WorkTime> work_time(Timestamp t, const std::string& zone);

// The time within `span` during which `shifts` cover the wall clock of `zone` (no shifts: all of
// it): the working-time clock of the escalation policies (domain/sla_policy.h), counting only the
// hours of a rota, whatever the zone's offset does meanwhile. Counting stops at `enough` (the
// answer is then `enough`), so a long span costs no more than the deadline asks. Leave and
// check-out do not stop it: a customer waits all the same. kValidation for an unknown zone.
Result<std::chrono::milliseconds> time_on_shift(const std::vector<Shift>& shifts, TimeWindow span,
                                                const std::string& zone,
                                                std::chrono::milliseconds enough);

// Parses a report/list boundary: "YYYY-MM-DD" is local midnight of that day in `zone`; anything
// parse_iso8601 accepts with a time (and an offset or Z) is that instant. nullopt otherwise.
std::optional<Timestamp> parse_boundary(std::string_view text, const std::string& zone);

}  // namespace leadproc
