#include "jobs/schedule.h"

#include <date/tz.h>

#include <cstdio>
#include <exception>

namespace leadproc::jobs {

std::string Schedule::describe() const {
  char buf[32];
  if (kind == Kind::kOnDemand) return "on demand";
  if (kind == Kind::kEveryMinutes)
    std::snprintf(buf, sizeof buf, "every %d min", minutes);
  else
    std::snprintf(buf, sizeof buf, "daily %02d:%02d", hour, minute);
  return buf;
}

Result<Timestamp> current_slot(const Schedule& s, Timestamp now, const std::string& zone) {
  using namespace std::chrono;
  if (s.kind == Schedule::Kind::kOnDemand)
    return Error::validation({{"schedule", "runs on demand only"}});
  if (s.kind == Schedule::Kind::kEveryMinutes) {
    if (s.minutes < 1 || s.minutes > 1440)
      return Error::validation({{"schedule.minutes", "must be 1..1440"}});
    const milliseconds period = minutes(s.minutes);
    const auto since = now.time_since_epoch();
    auto slots = since / period;
    if (since % period < milliseconds::zero()) --slots;  // before the epoch: round down
    return Timestamp(slots * period);
  }
  if (s.hour < 0 || s.hour > 23 || s.minute < 0 || s.minute > 59)
    return Error::validation({{"schedule.at", "must be a time of day HH:MM"}});
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(zone);
  } catch (const std::exception&) {
    return Error::validation({{"timezone", "unknown time zone " + zone}});
  }
  const auto local = tz->to_local(now);
  const auto day = floor<days>(local);
  auto candidate = day + hours(s.hour) + minutes(s.minute);
  Timestamp slot = time_point_cast<milliseconds>(tz->to_sys(candidate, date::choose::earliest));
  if (slot > now)
    slot = time_point_cast<milliseconds>(tz->to_sys(candidate - days(1), date::choose::earliest));
  return slot;
}

}  // namespace leadproc::jobs
