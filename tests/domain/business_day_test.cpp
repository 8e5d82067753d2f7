// The business day in the business time zone (src/app/business_day.h) around midnight, in
// Asia/Kolkata (UTC+05:30, no DST) against UTC, and across DST changes; the due-list windows
// built on it (src/app/followups.h).
#include <gtest/gtest.h>

#include "app/business_day.h"
#include "app/followups.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

Timestamp t(std::string_view iso) {
  auto parsed = parse_iso8601(iso);
  EXPECT_TRUE(parsed.has_value()) << iso;
  return parsed.value_or(Timestamp{});
}

std::string iso(Timestamp v) {
  return format_iso8601(v);
}

struct DayCase {
  const char* zone;
  const char* instant;
  const char* start;
  const char* end;
};

class BusinessDay : public ::testing::TestWithParam<DayCase> {};

TEST_P(BusinessDay, WindowContainsTheInstant) {
  const DayCase& c = GetParam();
  auto day = business_day(t(c.instant), c.zone);
  ASSERT_TRUE(day.ok()) << day.error().detail;
  EXPECT_EQ(iso(day->start), c.start) << c.zone << " " << c.instant;
  EXPECT_EQ(iso(day->end), c.end) << c.zone << " " << c.instant;
  EXPECT_TRUE(day->contains(t(c.instant)));
  EXPECT_FALSE(day->contains(day->end));
}

INSTANTIATE_TEST_SUITE_P(
    Midnight, BusinessDay,
    ::testing::Values(
        // Asia/Kolkata: the day turns at 18:30:00Z.
        DayCase{"Asia/Kolkata", "2026-03-14T18:29:59.999Z", "2026-03-13T18:30:00.000Z",
                "2026-03-14T18:30:00.000Z"},
        DayCase{"Asia/Kolkata", "2026-03-14T18:30:00.000Z", "2026-03-14T18:30:00.000Z",
                "2026-03-15T18:30:00.000Z"},
        DayCase{"Asia/Kolkata", "2026-03-14T23:59:59.999Z", "2026-03-14T18:30:00.000Z",
                "2026-03-15T18:30:00.000Z"},
        DayCase{"Asia/Kolkata", "2026-03-15T00:00:00.000Z", "2026-03-14T18:30:00.000Z",
                "2026-03-15T18:30:00.000Z"},
        // UTC: the same instants fall on other days.
        DayCase{"UTC", "2026-03-14T18:29:59.999Z", "2026-03-14T00:00:00.000Z",
                "2026-03-15T00:00:00.000Z"},
        DayCase{"UTC", "2026-03-14T18:30:00.000Z", "2026-03-14T00:00:00.000Z",
                "2026-03-15T00:00:00.000Z"},
        DayCase{"UTC", "2026-03-14T23:59:59.999Z", "2026-03-14T00:00:00.000Z",
                "2026-03-15T00:00:00.000Z"},
        DayCase{"UTC", "2026-03-15T00:00:00.000Z", "2026-03-15T00:00:00.000Z",
                "2026-03-16T00:00:00.000Z"},
        // A year boundary in Kolkata.
        DayCase{"Asia/Kolkata", "2026-12-31T18:30:00.000Z", "2026-12-31T18:30:00.000Z",
                "2027-01-01T18:30:00.000Z"},
        // DST: London's spring-forward day has 23 hours, its fall-back day 25.
        DayCase{"Europe/London", "2026-03-29T12:00:00.000Z", "2026-03-29T00:00:00.000Z",
                "2026-03-29T23:00:00.000Z"},
        DayCase{"Europe/London", "2026-10-25T12:00:00.000Z", "2026-10-24T23:00:00.000Z",
                "2026-10-26T00:00:00.000Z"},
        // São Paulo (2018) moved clocks at midnight: that day began at 01:00 local (03:00Z).
        DayCase{"America/Sao_Paulo", "2018-11-04T12:00:00.000Z", "2018-11-04T03:00:00.000Z",
                "2018-11-05T02:00:00.000Z"}));

TEST(BusinessDayZones, UnknownZoneIsAValidationError) {
  EXPECT_TRUE(is_known_time_zone("Asia/Kolkata"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  EXPECT_FALSE(is_known_time_zone("Mars/Olympus_Mons"));
  auto day = business_day(t("2026-03-14T10:00:00Z"), "Mars/Olympus_Mons");
  ASSERT_FALSE(day.ok());
  EXPECT_EQ(day.error().code, ErrorCode::kValidation);
}

TEST(BusinessDayBoundaries, DateOnlyIsLocalMidnight) {
  EXPECT_EQ(iso(*parse_boundary("2026-03-15", "Asia/Kolkata")), "2026-03-14T18:30:00.000Z");
  EXPECT_EQ(iso(*parse_boundary("2026-03-15", "UTC")), "2026-03-15T00:00:00.000Z");
  // A timestamp is that instant, whatever the zone.
  EXPECT_EQ(iso(*parse_boundary("2026-03-15T10:00:00+05:30", "UTC")), "2026-03-15T04:30:00.000Z");
  EXPECT_FALSE(parse_boundary("2026-02-30", "Asia/Kolkata").has_value());
  EXPECT_FALSE(parse_boundary("15/03/2026", "Asia/Kolkata").has_value());
  auto midnight = local_midnight(2027, 3, 1, "Asia/Kolkata");
  ASSERT_TRUE(midnight.ok());
  EXPECT_EQ(iso(*midnight), "2027-02-28T18:30:00.000Z");
}

// The due lists at fixed instants just before and just after midnight in Kolkata.
TEST(DueRange, TodayOverdueUpcomingAroundKolkataMidnight) {
  const Timestamp before = t("2026-03-14T18:29:59Z");  // 23:59:59 IST on 14 March
  const Timestamp after = t("2026-03-14T18:30:01Z");   // 00:00:01 IST on 15 March

  auto today = due_range(DueFilter::kToday, before, "Asia/Kolkata");
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(iso(*today->from), "2026-03-13T18:30:00.000Z");
  EXPECT_EQ(iso(*today->to), "2026-03-14T18:30:00.000Z");
  today = due_range(DueFilter::kToday, after, "Asia/Kolkata");
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(iso(*today->from), "2026-03-14T18:30:00.000Z");
  EXPECT_EQ(iso(*today->to), "2026-03-15T18:30:00.000Z");

  // In UTC both instants are on 14 March.
  auto utc = due_range(DueFilter::kToday, after, "UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(iso(*utc->from), "2026-03-14T00:00:00.000Z");
  EXPECT_EQ(iso(*utc->to), "2026-03-15T00:00:00.000Z");

  auto overdue = due_range(DueFilter::kOverdue, before, "Asia/Kolkata");
  ASSERT_TRUE(overdue.ok());
  EXPECT_FALSE(overdue->from.has_value());
  EXPECT_EQ(*overdue->to, before);

  auto upcoming = due_range(DueFilter::kUpcoming, before, "Asia/Kolkata");
  ASSERT_TRUE(upcoming.ok());
  EXPECT_EQ(iso(*upcoming->from), "2026-03-14T18:30:00.000Z");
  EXPECT_FALSE(upcoming->to.has_value());

  EXPECT_EQ(parse_due_filter("today"), DueFilter::kToday);
  EXPECT_EQ(parse_due_filter("overdue"), DueFilter::kOverdue);
  EXPECT_EQ(parse_due_filter("upcoming"), DueFilter::kUpcoming);
  EXPECT_FALSE(parse_due_filter("tomorrow").has_value());
}

}  // namespace
}  // namespace leadproc
