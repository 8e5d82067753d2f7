// The slot computation of periodic jobs (src/jobs/schedule.h): pure, fixed instants.
#include <gtest/gtest.h>

#include "domain/time_format.h"
#include "jobs/schedule.h"

namespace leadproc::jobs {
namespace {

Timestamp at(const char* iso) {
  return *parse_iso8601(iso);
}

TEST(JobSchedule, EveryNMinutesRoundsDownFromTheEpoch) {
  auto s = current_slot(Schedule::every_minutes(1), at("2024-03-05T10:17:42.500Z"), "UTC");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, at("2024-03-05T10:17:00Z"));
  s = current_slot(Schedule::every_minutes(15), at("2024-03-05T10:17:42Z"), "Asia/Kolkata");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, at("2024-03-05T10:15:00Z"));
  s = current_slot(Schedule::every_minutes(15), at("2024-03-05T10:15:00Z"), "UTC");
  EXPECT_EQ(*s, at("2024-03-05T10:15:00Z"));  // a slot starts at its own instant
}

TEST(JobSchedule, DailyAtIsInTheBusinessTimeZone) {
  // 02:00 in Kolkata is 20:30 UTC the day before.
  const Schedule daily = Schedule::daily_at(2, 0);
  auto s = current_slot(daily, at("2024-03-05T21:00:00Z"), "Asia/Kolkata");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, at("2024-03-05T20:30:00Z"));  // 02:30 on the 6th local: that day's 02:00
  // Before 02:00 local: yesterday's slot.
  s = current_slot(daily, at("2024-03-05T20:29:59Z"), "Asia/Kolkata");
  EXPECT_EQ(*s, at("2024-03-04T20:30:00Z"));
  s = current_slot(daily, at("2024-03-05T20:30:00Z"), "Asia/Kolkata");
  EXPECT_EQ(*s, at("2024-03-05T20:30:00Z"));
  s = current_slot(daily, at("2024-03-05T01:00:00Z"), "UTC");
  EXPECT_EQ(*s, at("2024-03-04T02:00:00Z"));
}

TEST(JobSchedule, DailyAtASkippedLocalTimeRunsAtTheChange) {
  // New York springs forward at 02:00 on 2024-03-10 (to 03:00 EDT = 07:00 UTC).
  auto s = current_slot(Schedule::daily_at(2, 30), at("2024-03-10T12:00:00Z"), "America/New_York");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, at("2024-03-10T07:00:00Z"));
}

TEST(JobSchedule, RejectsUnknownZonesAndBadSchedules) {
  EXPECT_FALSE(current_slot(Schedule::daily_at(2, 0), at("2024-03-05T00:00:00Z"), "Mars/Base"));
  EXPECT_FALSE(current_slot(Schedule::every_minutes(0), at("2024-03-05T00:00:00Z"), "UTC"));
  EXPECT_FALSE(current_slot(Schedule::daily_at(24, 0), at("2024-03-05T00:00:00Z"), "UTC"));
  EXPECT_EQ(Schedule::daily_at(2, 0).describe(), "daily 02:00");
  EXPECT_EQ(Schedule::every_minutes(15).describe(), "every 15 min");
}

}  // namespace
}  // namespace leadproc::jobs
