// When a periodic job (src/jobs/jobs.h) is due: every N minutes, daily at HH:MM in the
// business time zone, or only when asked (a job a setting turned off: run by hand alone). Pure: the
// slot computation takes the instant and the zone as arguments.
#pragma once

#include <string>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc::jobs {

struct Schedule {
  enum class Kind { kEveryMinutes, kDailyAt, kOnDemand };
  Kind kind = Kind::kEveryMinutes;
  int minutes = 1;  // kEveryMinutes: the period, 1..1440
  int hour = 0;     // kDailyAt: local time of day, 0..23
  int minute = 0;   // kDailyAt: 0..59

  static Schedule every_minutes(int n) { return {Kind::kEveryMinutes, n, 0, 0}; }
  static Schedule daily_at(int h, int m) { return {Kind::kDailyAt, 0, h, m}; }
  static Schedule on_demand() { return {Kind::kOnDemand, 0, 0, 0}; }
  // "every 1 min" / "daily 02:00" / "on demand".
  std::string describe() const;
};

// The start of the schedule's slot containing `now`:
// - every N minutes: `now` rounded down to a multiple of N minutes since the Unix epoch (UTC);
// - daily at HH:MM: the latest local HH:MM in `zone` at or before `now` (a time skipped by a DST
//   change maps to the instant of the change);
// - on demand: none (kValidation): the runner never runs it; run_job_now does.
// kValidation for an unknown zone or an out-of-range schedule.
Result<Timestamp> current_slot(const Schedule& schedule, Timestamp now, const std::string& zone);

}  // namespace leadproc::jobs
