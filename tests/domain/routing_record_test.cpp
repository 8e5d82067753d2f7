// The routing record (src/app/routing_decision.h): what is stored per decision is compact (ids
// and counts), and reads back in the API's shape with people's names, whole.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/routing_decision.h"

namespace leadproc {
namespace {
namespace json = boost::json;

const Timestamp kAt{std::chrono::milliseconds{1'767'225'600'000}};  // 2026-01-01T00:00:00Z

RankedPoc candidate(int n, int tier, std::int64_t lead_count, int weight = 1) {
  RankedPoc c;
  c.availability_id = "a" + std::to_string(n);
  c.person_id = "p" + std::to_string(n);
  c.tier = tier;
  c.lead_count = lead_count;
  if (n % 2 == 0) c.seq = n;
  c.rules.weight = weight;
  return c;
}

std::string name_of(const std::string& id) {
  return "Name of " + id;
}

json::value expanded(const std::string& stored) {
  auto r = expand_decision(stored, name_of);
  EXPECT_TRUE(static_cast<bool>(r));
  return r ? json::value(*r) : json::value();
}

TEST(RoutingRecord, AnAssignmentReadsBackWithNamesInTheApiShape) {
  std::vector<RankedPoc> candidates{candidate(1, 0, 5), candidate(2, 0, 4, 2), candidate(3, 1, 0)};
  std::vector<OffDutyPoc> off{{"a4", "p4", "", OffDuty::kOnLeave}};
  DecisionFacts f;
  f.pool = AvailabilityProcess::kPsv;
  f.why = "routing entry: PSV \"Goa\"\nsplit";  // a quote and a newline survive
  f.candidates = &candidates;
  f.off_duty = &off;
  f.previous = Streak{"a1", 2};
  f.max_streak = 3;
  f.winner = 1;
  // clang-format off
  const json::value want = json::parse(R"js({
    "at": "2026-01-01T00:00:00.000Z", "pool": "PSV", "why": "routing entry: PSV \"Goa\"\nsplit",
    "outcome": "assigned",
    "winner": {"personId": "p2", "name": "Name of p2", "availabilityId": "a2"},
    "tier": 0,
    "streak": {"length": 2, "max": 3, "previousAvailabilityId": "a1", "previousPersonId": "p1"},
    "candidates": [
      {"personId": "p2", "name": "Name of p2", "tier": 0, "leadCount": 4, "seq": 2, "weight": 2},
      {"personId": "p1", "name": "Name of p1", "tier": 0, "leadCount": 5, "seq": null},
      {"personId": "p3", "name": "Name of p3", "tier": 1, "leadCount": 0, "seq": null}],
    "candidateCount": 3,
    "excluded": [
      {"personId": "p4", "name": "Name of p4", "reason": "on leave"},
      {"personId": "p3", "name": "Name of p3", "reason": "source tier 1 (tier 0 took it)"}],
    "excludedCount": 2})js");
  // clang-format on
  EXPECT_EQ(expanded(decision_json(f, kAt)), want)
      << json::serialize(expanded(decision_json(f, kAt)));
}

TEST(RoutingRecord, AWaitingLeadAndABigPoolListTwentyAndCountAll) {
  std::vector<RankedPoc> candidates;
  for (int i = 0; i < 25; ++i) candidates.push_back(candidate(i, 0, 100 - i));
  DecisionFacts f;
  f.pool = AvailabilityProcess::kSales;
  f.why = "CRM";
  f.candidates = &candidates;
  f.night_desk = true;
  f.waiting_reason = "nobody of the Sales pool can take it: 25 at capacity";
  const json::value got = expanded(decision_json(f, kAt));
  const auto& o = got.as_object();
  EXPECT_EQ(o.at("outcome"), "waiting");
  EXPECT_TRUE(o.at("winner").is_null());
  EXPECT_EQ(o.at("candidateCount"), 25);
  const auto& listed = o.at("candidates").as_array();
  ASSERT_EQ(listed.size(), kMaxListedPocs);
  // Ranked by lead count: the 20 with the fewest, fewest first.
  EXPECT_EQ(listed.front().at("personId"), "p24");
  EXPECT_EQ(listed.back().at("personId"), "p5");
  EXPECT_EQ(o.at("streak"), json::parse(R"({"length": 0, "max": 1})"));
  EXPECT_EQ(o.at("nightDesk"), true);
  EXPECT_EQ(o.at("waitingReason"), "nobody of the Sales pool can take it: 25 at capacity");
}

TEST(RoutingRecord, IsStoredWithoutNames) {
  std::vector<RankedPoc> candidates{candidate(1, 0, 0)};
  candidates[0].person_name = "Priya Sharma";
  DecisionFacts f;
  f.candidates = &candidates;
  f.winner = 0;
  EXPECT_EQ(decision_json(f, kAt).find("Priya"), std::string::npos);
}

TEST(RoutingRecord, ARecordOfTheFirstFormReadsAsItWasStored) {
  const std::string v1 =
      R"({"at":"2026-01-01T00:00:00.000Z","pool":"PSV","why":"x","outcome":"assigned",)"
      R"("winner":{"personId":"p1","name":"Old Name","availabilityId":"a1"},"tier":0,)"
      R"("streak":{"length":1,"max":1},"candidates":[],"candidateCount":1,"excluded":[],)"
      R"("excludedCount":0})";
  EXPECT_EQ(expanded(v1), json::parse(v1));
}

TEST(RoutingRecord, TextThatIsNotJsonIsAnInternalError) {
  auto r = expand_decision("{not json", name_of);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace leadproc
