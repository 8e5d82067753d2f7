// object_id_lower_bound: the id ranges that stand for time windows (storage adapters' created
// windows).
#include <gtest/gtest.h>

#include "domain/object_id.h"

namespace leadproc {
namespace {

Timestamp at(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

TEST(ObjectIdLowerBound, IsTheFirstIdOfTheFirstSecondAtOrAfter) {
  struct Case {
    std::int64_t ms;
    std::optional<Id> bound;
  };
  const Case cases[] = {
      {1'700'000'000'000, "6553f1000000000000000000"},  // on a second: that second
      {1'700'000'000'001, "6553f1010000000000000000"},  // within a second: the next one
      {1'700'000'000'999, "6553f1010000000000000000"},
      {0, "000000000000000000000000"},
      {-1, "000000000000000000000000"},  // before the epoch: every id is at or after it
      {-86'400'000'000, "000000000000000000000000"},
      {4'294'967'295'000, "ffffffff0000000000000000"},  // the last second ids can hold
      {4'294'967'295'001, std::nullopt},                // no id is that late
      {9'000'000'000'000, std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(object_id_lower_bound(at(c.ms)), c.bound) << c.ms;
}

TEST(ObjectIdLowerBound, SplitsIdsByTheirTime) {
  // Ids of the second before t sort below the bound; ids of t's second (if t is on a second)
  // and later ones sort at or above it, whatever their random part and counter.
  ObjectIdGenerator gen(0xffffffffffULL, 0xffffff);
  const Id before = gen.next(at(1'699'999'999'999));
  const Id on = ObjectIdGenerator(0, 0).next(at(1'700'000'000'000));
  const Id after = gen.next(at(1'700'000'000'500));
  const auto bound = object_id_lower_bound(at(1'700'000'000'000));
  ASSERT_TRUE(bound);
  EXPECT_LT(before, *bound);
  EXPECT_GE(on, *bound);
  EXPECT_GE(after, *bound);
  EXPECT_EQ(object_id_time(*bound), at(1'700'000'000'000));
  // A bound within a second excludes that second's ids, which are earlier than t.
  const auto mid = object_id_lower_bound(at(1'700'000'000'500));
  ASSERT_TRUE(mid);
  EXPECT_LT(after, *mid);
}

}  // namespace
}  // namespace leadproc
