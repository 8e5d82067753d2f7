// Weights, caps, quotas, languages, the night desk and the catch-up lift (issue 21 items 1-3):
// the pure rules of domain/poc_rules.h and round_robin.h.
#include "domain/poc_rules.h"

#include <gtest/gtest.h>

#include <random>

#include "domain/round_robin.h"

namespace leadproc {
namespace {

RankedPoc ranked(std::string id, int weight, std::int64_t count = 0) {
  RankedPoc p;
  p.availability_id = std::move(id);
  p.person_id = "p-" + p.availability_id;
  p.rules.weight = weight;
  p.lead_count = count;
  return p;
}

TEST(PocRules, LanguageTagsAreNormalisedOrRefused) {
  EXPECT_EQ(normalize_language("EN"), "en");
  EXPECT_EQ(normalize_language("pt-BR"), "pt-br");
  EXPECT_EQ(normalize_language("zh-hant-tw"), "zh-hant-tw");
  for (const char* bad : {"", "e", "english", "en-", "-en", "en--gb", "e1", "en_gb", "en-a"})
    EXPECT_FALSE(normalize_language(bad)) << bad;
}

TEST(PocRules, SkipReasonsInOrderLanguageCapQuota) {
  PocRules r;
  r.languages = {"hi"};
  r.cap = 2;
  r.daily_quota = 5;
  EXPECT_EQ(skip_reason(r, 9, 9, "ta"), Skip::kLanguage);
  EXPECT_EQ(skip_reason(r, 2, 9, "hi"), Skip::kAtCapacity);
  EXPECT_EQ(skip_reason(r, 1, 5, std::nullopt), Skip::kDailyQuota);
  EXPECT_EQ(skip_reason(r, 1, 4, "hi"), std::nullopt);
  EXPECT_EQ(skip_reason(PocRules{}, 1000, 1000, "ta"), std::nullopt);  // no rules: no skip
}

TEST(PocRules, DailyCountIsPerLocalDay) {
  DayCount d{100, 7};
  EXPECT_EQ(d.on(100), 7);
  EXPECT_EQ(d.on(101), 0);
}

// The property of item 3: after any n leads each POC is within one lead of n * w / W, for
// random weights, from counts of zero.
TEST(PocRules, WeightedPickIsWithinOneLeadOfTheShareAfterAnyN) {
  std::mt19937 rng(21);
  for (int trial = 0; trial < 300; ++trial) {
    const int k = 1 + static_cast<int>(rng() % 6);
    std::vector<RankedPoc> pool;
    std::int64_t total_weight = 0;
    for (int i = 0; i < k; ++i) {
      pool.push_back(ranked(std::string(1, static_cast<char>('a' + i)),
                            1 + static_cast<int>(rng() % kMaxWeight)));
      total_weight += pool.back().rules.weight;
    }
    for (int n = 1; n <= 200; ++n) {
      auto choice = pick_ranked(pool, 1.0, std::nullopt);
      ASSERT_TRUE(choice);
      pool[choice->index].lead_count++;
      for (const auto& p : pool) {
        const double share = static_cast<double>(n) * p.rules.weight / total_weight;
        ASSERT_LT(std::abs(static_cast<double>(p.lead_count) - share), 1.0)
            << "trial " << trial << " n " << n << " poc " << p.availability_id;
      }
      // Pure rotation never triggers the catch-up lift, even for POCs with a schedule.
      for (auto& p : pool) p.schedule.shifts = {Shift{0, 0, kMinutesPerDay}};
      ASSERT_TRUE(lift_returning(pool).empty()) << "trial " << trial << " n " << n;
      for (auto& p : pool) p.schedule.shifts.clear();
    }
  }
}

TEST(PocRules, EqualWeightsAreLeastLoadedThenSeq) {
  std::vector<RankedPoc> pool{ranked("a", 1, 3), ranked("b", 1, 2), ranked("c", 1, 2)};
  pool[1].seq = 2;
  pool[2].seq = 1;
  EXPECT_EQ(pick_ranked(pool, 1.0, std::nullopt)->index, 2u);  // c: least count, lower seq
}

TEST(PocRules, ReturningPocIsLiftedToLessThanOneLeadBehind) {
  std::vector<RankedPoc> pool{ranked("a", 1, 40), ranked("b", 1, 0)};
  pool[1].schedule.leave = {LeavePeriod{}};  // has a schedule: it was away
  auto lifted = lift_returning(pool);
  ASSERT_EQ(lifted.size(), 1u);
  EXPECT_EQ(lifted[0].first, "b");
  EXPECT_EQ(pool[1].lead_count, 39);  // one lead behind a's 40 at most: one catch-up lead
  // Weighted: b (weight 3) back to a tier where a (weight 1) had 10 leads: b's share of the
  // others' 10 is 30; lifted so its credit is under one lead.
  std::vector<RankedPoc> weighted{ranked("a", 1, 10), ranked("b", 3, 0)};
  weighted[1].schedule.leave = {LeavePeriod{}};
  lift_returning(weighted);
  const std::int64_t n = 10 + weighted[1].lead_count;
  EXPECT_LT(n * 3 - 4 * weighted[1].lead_count, 4);
  EXPECT_GE((n - 1) * 3 - 4 * (weighted[1].lead_count - 1), 4);  // and no more than needed
}

TEST(PocRules, PocsWithoutScheduleAreNeverLifted) {
  std::vector<RankedPoc> pool{ranked("a", 1, 40), ranked("b", 1, 0)};
  EXPECT_TRUE(lift_returning(pool).empty());
  EXPECT_EQ(pool[1].lead_count, 0);
}

TEST(PocRules, NightDeskOnlyWhenNobodyElseWorks) {
  std::vector<RankedPoc> pool{ranked("day", 1), ranked("night", 1)};
  pool[1].rules.night_desk = true;
  EXPECT_FALSE(use_night_desk(pool));
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool[0].availability_id, "day");

  std::vector<RankedPoc> only_desk{ranked("night", 1)};
  only_desk[0].rules.night_desk = true;
  EXPECT_TRUE(use_night_desk(only_desk));
  ASSERT_EQ(only_desk.size(), 1u);

  std::vector<RankedPoc> nobody;
  EXPECT_FALSE(use_night_desk(nobody));
}

TEST(PocRules, SkippedPocsAreDroppedAndNamedInTheWaitingReason) {
  std::vector<RankedPoc> pool{ranked("a", 1), ranked("b", 1), ranked("c", 1)};
  pool[0].rules.cap = 1;
  pool[0].fresh = 1;
  pool[1].rules.daily_quota = 2;
  pool[1].today = DayCount{7, 2};
  pool[2].rules.languages = {"hi"};
  auto skipped = drop_skipped(pool, "ta", 7);
  EXPECT_TRUE(pool.empty());
  ASSERT_EQ(skipped.size(), 3u);
  std::vector<OffDutyPoc> off{{"d", "p-d", "d", OffDuty::kOnLeave}};
  EXPECT_EQ(waiting_reason(AvailabilityProcess::kPsv, off, skipped),
            "nobody of the PSV pool can take it: 1 language, 1 at capacity, 1 daily quota "
            "reached, 1 on leave");
  EXPECT_EQ(waiting_reason(AvailabilityProcess::kPsv, off),
            "nobody of the PSV pool is working: 1 on leave");
}

}  // namespace
}  // namespace leadproc
