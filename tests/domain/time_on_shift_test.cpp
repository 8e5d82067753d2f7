// The escalation policies' working-time clock (src/app/business_day.h time_on_shift): only the
// rota's wall-clock hours count, in the business zone, across midnight, overnight shifts, the
// weekend and both DST changes of Europe/London; a deadline stops the count. Each case one row.
#include <gtest/gtest.h>

#include "app/business_day.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

struct ClockCase {
  const char* what;
  const char* zone;
  std::vector<Shift> shifts;
  const char* from;
  const char* to;
  std::int64_t seconds;  // expected time on shift
  std::int64_t enough_seconds = 365LL * 24 * 3600;
};

constexpr int kMon = 0, kFri = 4, kSun = 6;

Timestamp at(const char* iso) {
  auto t = parse_iso8601(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(Timestamp{});
}

class TimeOnShift : public ::testing::TestWithParam<ClockCase> {};

TEST_P(TimeOnShift, CountsOnlyTheRota) {
  const ClockCase& c = GetParam();
  auto worked = time_on_shift(c.shifts, TimeWindow{at(c.from), at(c.to)}, c.zone,
                              std::chrono::seconds(c.enough_seconds));
  ASSERT_TRUE(worked) << worked.error().detail;
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(*worked).count(), c.seconds) << c.what;
}

// 2026-12-07 is a Monday; Asia/Kolkata is UTC+05:30 (09:00 there is 03:30Z).
INSTANTIATE_TEST_SUITE_P(Cases, TimeOnShift,
                         ::testing::Values(ClockCase{"no rota: every minute",
                                                     "Asia/Kolkata",
                                                     {},
                                                     "2026-12-07T10:00:00Z",
                                                     "2026-12-07T12:00:00Z",
                                                     7200},
                                           ClockCase{"before the shift does not count",
                                                     "Asia/Kolkata",
                                                     {{kMon, 540, 1080}},
                                                     "2026-12-07T02:30:00Z",
                                                     "2026-12-07T04:30:00Z",
                                                     3600},
                                           ClockCase{"from within a minute",
                                                     "Asia/Kolkata",
                                                     {{kMon, 540, 1080}},
                                                     "2026-12-07T03:30:30Z",
                                                     "2026-12-07T03:32:00Z",
                                                     90},
                                           ClockCase{"an overnight shift runs into Monday",
                                                     "Asia/Kolkata",
                                                     {{kSun, 1320, 360}},
                                                     "2026-12-06T15:30:00Z",
                                                     "2026-12-07T01:30:00Z",
                                                     8 * 3600},
                                           ClockCase{"the weekend does not count",
                                                     "Asia/Kolkata",
                                                     {{kFri, 540, 1080}, {kMon, 540, 1080}},
                                                     "2026-12-04T11:30:00Z",
                                                     "2026-12-07T04:30:00Z",
                                                     2 * 3600},
                                           ClockCase{"the deadline stops the count",
                                                     "Asia/Kolkata",
                                                     {},
                                                     "2026-12-07T00:00:00Z",
                                                     "2026-12-08T00:00:00Z",
                                                     3600,
                                                     3600},
                                           ClockCase{"spring forward: 01:00-03:00 is one hour",
                                                     "Europe/London",
                                                     {{kSun, 60, 180}},
                                                     "2026-03-29T00:00:00Z",
                                                     "2026-03-30T00:00:00Z",
                                                     3600},
                                           ClockCase{"fall back: 01:00-02:00 happens twice",
                                                     "Europe/London",
                                                     {{kSun, 60, 120}},
                                                     "2026-10-24T22:00:00Z",
                                                     "2026-10-25T12:00:00Z",
                                                     2 * 3600},
                                           ClockCase{"an empty span",
                                                     "Asia/Kolkata",
                                                     {},
                                                     "2026-12-07T10:00:00Z",
                                                     "2026-12-07T09:00:00Z",
                                                     0}));

TEST(TimeOnShiftZones, UnknownZoneIsAValidationError) {
  auto r = time_on_shift({}, TimeWindow{at("2026-12-07T10:00:00Z"), at("2026-12-07T11:00:00Z")},
                         "Mars/Olympus", std::chrono::hours(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

}  // namespace
}  // namespace leadproc
