#include "domain/round_robin.h"

#include <gtest/gtest.h>

namespace leadproc {
namespace {

Availability poc(std::string id, std::int64_t count, std::vector<Platform> source = {},
                 std::vector<std::string> destinations = {}) {
  Availability a;
  a.id = std::move(id);
  a.person_id = "p-" + a.id;
  a.lead_count = count;
  a.source = std::move(source);
  for (auto& d : destinations) a.destinations.push_back({d, d});
  return a;
}

// Runs n leads through pick_poc, applying the counts and streak as the store would.
std::vector<std::string> run(std::vector<Availability>& pool, int n, Platform platform,
                             double preference, std::optional<std::string> destination = "goa") {
  std::vector<std::string> order;
  std::optional<Streak> streak;
  for (int i = 0; i < n; ++i) {
    auto choice = pick_poc(pool, destination, platform, preference, streak);
    if (!choice) break;
    auto& chosen = pool[choice->index];
    chosen.lead_count++;
    streak = Streak{chosen.id, choice->streak_length};
    order.push_back(chosen.id);
  }
  return order;
}

TEST(RoundRobin, LeastLoadedFirstThenRotates) {
  std::vector<Availability> pool{poc("a", 0), poc("b", 0), poc("c", 0)};
  EXPECT_EQ(run(pool, 6, Platform::kWebsite, 1.0),
            (std::vector<std::string>{"a", "b", "c", "a", "b", "c"}));
}

TEST(RoundRobin, LowestCountWinsEvenIfListedLater) {
  std::vector<Availability> pool{poc("a", 5), poc("b", 3), poc("c", 4)};
  EXPECT_EQ(run(pool, 3, Platform::kWebsite, 1.0), (std::vector<std::string>{"b", "b", "c"}));
}

TEST(RoundRobin, SeqBreaksTiesBeforeId) {
  std::vector<Availability> pool{poc("a", 0), poc("b", 0)};
  pool[1].seq = 1;
  pool[0].seq = 2;
  EXPECT_EQ(run(pool, 2, Platform::kWebsite, 1.0), (std::vector<std::string>{"b", "a"}));
}

TEST(RoundRobin, PreferenceQuarterGivesStreaksOfFour) {
  std::vector<Availability> pool{poc("a", 0), poc("b", 0)};
  EXPECT_EQ(run(pool, 12, Platform::kWebsite, 0.25),
            (std::vector<std::string>{"a", "a", "a", "a", "b", "b", "b", "b", "a", "a", "a", "a"}));
}

TEST(RoundRobin, MaxStreakRoundsOneOverPreference) {
  EXPECT_EQ(max_streak(1.0), 1);
  EXPECT_EQ(max_streak(0.5), 2);
  EXPECT_EQ(max_streak(0.3), 3);
  EXPECT_EQ(max_streak(0.25), 4);
  EXPECT_EQ(max_streak(0.1), 10);
  EXPECT_EQ(max_streak(0.01), 10);  // clamped to the spec's range
  EXPECT_EQ(max_streak(2.0), 1);
}

TEST(RoundRobin, SourceSpecificTierFirst) {
  std::vector<Availability> pool{poc("general", 0), poc("insta", 10, {Platform::kInstagram})};
  EXPECT_EQ(run(pool, 3, Platform::kInstagram, 1.0),
            (std::vector<std::string>{"insta", "insta", "insta"}));
}

TEST(RoundRobin, GeneralistsBeforeOtherSpecialists) {
  std::vector<Availability> pool{poc("insta", 0, {Platform::kInstagram}), poc("general", 10)};
  EXPECT_EQ(run(pool, 2, Platform::kWebsite, 1.0),
            (std::vector<std::string>{"general", "general"}));
}

TEST(RoundRobin, AnyPocWhenNoSpecialistOrGeneralist) {
  std::vector<Availability> pool{poc("insta", 3, {Platform::kInstagram}),
                                 poc("ads", 1, {Platform::kPaidAds})};
  EXPECT_EQ(run(pool, 1, Platform::kWebsite, 1.0), (std::vector<std::string>{"ads"}));
}

TEST(RoundRobin, OnlyPocsCoveringTheDestination) {
  std::vector<Availability> pool{poc("bali", 0, {}, {"bali"}), poc("goa", 5, {}, {"goa"}),
                                 poc("all", 9)};
  EXPECT_EQ(run(pool, 1, Platform::kWebsite, 1.0, "goa"), (std::vector<std::string>{"goa"}));
  EXPECT_EQ(run(pool, 1, Platform::kWebsite, 1.0, "bali"), (std::vector<std::string>{"bali"}));
  // A lead without destination can go to anyone.
  EXPECT_EQ(run(pool, 1, Platform::kWebsite, 1.0, std::nullopt),
            (std::vector<std::string>{"bali"}));
}

TEST(RoundRobin, UnavailableOrDeletedNeverChosen) {
  std::vector<Availability> pool{poc("off", 0), poc("gone", 0), poc("on", 50)};
  pool[0].is_available = false;
  pool[1].deleted = true;
  EXPECT_EQ(run(pool, 1, Platform::kWebsite, 1.0), (std::vector<std::string>{"on"}));
  pool[2].is_available = false;
  EXPECT_FALSE(pick_poc(pool, std::string("goa"), Platform::kWebsite, 1.0, std::nullopt));
}

TEST(RoundRobin, StreakEndsWhenPreviousPocLeavesTheTier) {
  std::vector<Availability> pool{poc("a", 0), poc("b", 0)};
  auto choice = pick_poc(pool, std::string("goa"), Platform::kWebsite, 0.25, Streak{"a", 1});
  ASSERT_TRUE(choice);
  EXPECT_EQ(pool[choice->index].id, "a");
  EXPECT_EQ(choice->streak_length, 2);
  pool[0].is_available = false;
  choice = pick_poc(pool, std::string("goa"), Platform::kWebsite, 0.25, Streak{"a", 2});
  EXPECT_EQ(pool[choice->index].id, "b");
  EXPECT_EQ(choice->streak_length, 1);
}

TEST(RoundRobin, CatchUpLiftsToPoolMinimum) {
  std::vector<Availability> pool{poc("a", 40), poc("b", 42), poc("new", 0)};
  EXPECT_EQ(catch_up_lead_count(pool[2], pool), 40);
  pool[2].lead_count = 50;  // never lowered
  EXPECT_EQ(catch_up_lead_count(pool[2], pool), 50);
  std::vector<Availability> alone{poc("new", 3)};
  EXPECT_EQ(catch_up_lead_count(alone[0], alone), 3);
}

TEST(RoundRobin, CatchUpMeansNoFloodOfLeads) {
  std::vector<Availability> pool{poc("a", 100), poc("b", 100), poc("new", 0)};
  pool[2].lead_count = catch_up_lead_count(pool[2], pool);
  auto order = run(pool, 3, Platform::kWebsite, 1.0);
  EXPECT_EQ(std::count(order.begin(), order.end(), "new"), 1);
}

}  // namespace
}  // namespace leadproc
