#include "domain/process_split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace leadproc {
namespace {

// After every prefix of n picks, each entry's count is within one lead of n * share / total.
void expect_exact_split(std::vector<int> shares, int leads) {
  std::vector<SplitEntry> entries;
  for (int s : shares) entries.push_back({s, 0});
  int total = 0;
  for (int s : shares) total += s;
  std::vector<int> counts(shares.size(), 0);
  for (int n = 1; n <= leads; ++n) {
    auto i = pick_split(entries);
    ASSERT_TRUE(i.has_value());
    ++counts[*i];
    for (std::size_t k = 0; k < shares.size(); ++k) {
      double ideal = static_cast<double>(n) * shares[k] / total;
      ASSERT_LT(std::abs(counts[k] - ideal), 1.0 + 1e-9)
          << "entry " << k << " after " << n << " leads has " << counts[k];
    }
  }
}

TEST(ProcessSplit, SeventyThirtyOverThousandLeadsEndsExactly) {
  std::vector<SplitEntry> entries{{70, 0}, {30, 0}};
  int a = 0, b = 0;
  for (int n = 0; n < 1000; ++n) (*pick_split(entries) == 0 ? a : b)++;
  EXPECT_EQ(a, 700);
  EXPECT_EQ(b, 300);
}

TEST(ProcessSplit, EveryPrefixWithinOneLeadOfShare) {
  expect_exact_split({70, 30}, 1000);
  expect_exact_split({50, 50}, 200);
  expect_exact_split({1, 99}, 500);
  expect_exact_split({33, 33, 34}, 600);
}

TEST(ProcessSplit, RandomSharesStayWithinOneLead) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<int> shares;
    int n = 2 + static_cast<int>(rng() % 2);  // splits across 2-3 processes (there are 5 at most)
    for (int i = 0; i < n; ++i) shares.push_back(1 + static_cast<int>(rng() % 100));
    expect_exact_split(shares, 300);
  }
}

TEST(ProcessSplit, ZeroShareNeverChosenUnlessAllZero) {
  std::vector<SplitEntry> entries{{0, 0}, {100, 0}};
  for (int n = 0; n < 10; ++n) EXPECT_EQ(*pick_split(entries), 1u);
  std::vector<SplitEntry> zeros{{0, 0}, {0, 0}};
  EXPECT_EQ(*pick_split(zeros), 0u);
  EXPECT_EQ(*pick_split(zeros), 1u);
}

TEST(ProcessSplit, CountersPersistAcrossCalls) {
  // Picking with state written back and read again (as the store does) continues the sequence.
  std::vector<SplitEntry> entries{{70, 0}, {30, 0}};
  std::vector<int> first;
  for (int i = 0; i < 10; ++i) {
    std::vector<SplitEntry> copy = entries;  // a fresh read of the stored counters
    first.push_back(static_cast<int>(*pick_split(copy)));
    entries = copy;
  }
  EXPECT_EQ(std::count(first.begin(), first.end(), 0), 7);
}

TEST(ProcessSplit, EmptyHasNoChoice) {
  std::vector<SplitEntry> none;
  EXPECT_FALSE(pick_split(none).has_value());
}

}  // namespace
}  // namespace leadproc
