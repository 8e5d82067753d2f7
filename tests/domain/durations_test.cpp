// The time-in-stage report's percentiles (durations_of, src/app/time_in_stage_report.h), selected
// without sorting: the same nearest-rank p50 and p90 as sorted_percentile of the values sorted,
// for every count from one to a few hundred, with ties, in any order.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "app/people_report.h"
#include "app/time_in_stage_report.h"

namespace leadproc {
namespace {

TEST(Durations, NoneHaveNoPercentiles) {
  const Durations d = durations_of({});
  EXPECT_EQ(d.count, 0);
  EXPECT_FALSE(d.p50_seconds.has_value());
  EXPECT_FALSE(d.p90_seconds.has_value());
}

TEST(Durations, NearestRankOfAHandCountedSet) {
  // Ten values: p50 is the 5th smallest, p90 the 9th.
  const Durations d = durations_of({70, 10, 100, 40, 20, 90, 30, 60, 50, 80});
  EXPECT_EQ(d.count, 10);
  EXPECT_EQ(d.p50_seconds, 50);
  EXPECT_EQ(d.p90_seconds, 90);
  EXPECT_EQ(durations_of({7}).p90_seconds, 7);
  EXPECT_EQ(durations_of({7}).p50_seconds, 7);
}

TEST(Durations, SameAsTheSortedPercentilesForEveryCount) {
  std::mt19937 random(18);
  for (std::size_t n = 1; n <= 300; ++n) {
    std::vector<double> values(n);
    // Few distinct values for some counts (ties), many for others.
    std::uniform_int_distribution<int> value(0, n % 3 == 0 ? 4 : 100000);
    for (auto& v : values) v = value(random);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const Durations d = durations_of(values);
    EXPECT_EQ(d.count, static_cast<std::int64_t>(n));
    EXPECT_EQ(d.p50_seconds, sorted_percentile(sorted, 50)) << n;
    EXPECT_EQ(d.p90_seconds, sorted_percentile(sorted, 90)) << n;
  }
}

}  // namespace
}  // namespace leadproc
