// The follow-up sequence and vocabulary (src/domain/followup.h), If-Match parsing
// (src/app/opportunity_change.h), travel months (src/app/opportunity_edits.h) and the timeline
// merge (src/app/timeline.h).
#include <gtest/gtest.h>

#include "app/opportunity_change.h"
#include "app/opportunity_edits.h"
#include "app/timeline.h"
#include "domain/followup.h"
#include "domain/travel_month.h"

namespace leadproc {
namespace {

TEST(FollowUpRules, SubStageSequence) {
  EXPECT_EQ(sub_stage_after(0), FollowUpSubStage::kFirstContact);
  EXPECT_EQ(sub_stage_after(1), FollowUpSubStage::kSecondFollowup);
  EXPECT_EQ(sub_stage_after(2), FollowUpSubStage::kThirdFollowup);
  EXPECT_EQ(sub_stage_after(3), FollowUpSubStage::kFutureFollowup);
  EXPECT_EQ(sub_stage_after(10), FollowUpSubStage::kFutureFollowup);
}

TEST(FollowUpRules, WireNamesRoundTrip) {
  for (auto s : {FollowUpStatus::kActive, FollowUpStatus::kCanceled, FollowUpStatus::kCompleted})
    EXPECT_EQ(parse_followup_status(to_string(s)), s);
  for (auto s : {FollowUpSubStage::kFirstContact, FollowUpSubStage::kSecondFollowup,
                 FollowUpSubStage::kThirdFollowup, FollowUpSubStage::kFutureFollowup})
    EXPECT_EQ(parse_followup_sub_stage(to_string(s)), s);
  for (auto o : all_followup_outcomes()) EXPECT_EQ(to_string(*parse_followup_outcome(o)), o);
  EXPECT_EQ(to_string(FollowUpStatus::kCanceled), "canceled");  // the spec's spelling
  EXPECT_EQ(to_string(FollowUpSubStage::kFirstContact), "first_contact");
  EXPECT_FALSE(parse_followup_status("cancelled").has_value());
}

TEST(FollowUpRules, OutcomeDetails) {
  EXPECT_TRUE(outcome_details_for(FollowUpOutcome::kConnected).empty());
  auto not_responded = outcome_details_for(FollowUpOutcome::kNotResponded);
  EXPECT_NE(std::find(not_responded.begin(), not_responded.end(), "call_not_answered"),
            not_responded.end());
  auto not_interested = outcome_details_for(FollowUpOutcome::kNotInterested);
  EXPECT_NE(std::find(not_interested.begin(), not_interested.end(), "travel_postponed"),
            not_interested.end());
}

TEST(FollowUpRules, TextLengthCountsCharacters) {
  EXPECT_EQ(text_length("abc"), 3u);
  EXPECT_EQ(text_length("नमस्ते"), 6u);  // 6 code points, 18 bytes
  EXPECT_EQ(text_length(std::string(2000, 'x')), kMaxNoteLength);
}

TEST(IfMatch, AcceptsTheETagsThisApiGives) {
  EXPECT_EQ(parse_if_match("3").value(), std::optional<std::int64_t>(3));
  EXPECT_EQ(parse_if_match("\"3\"").value(), std::optional<std::int64_t>(3));
  EXPECT_EQ(parse_if_match("W/\"12\"").value(), std::optional<std::int64_t>(12));
  EXPECT_EQ(parse_if_match(" \"4\" ").value(), std::optional<std::int64_t>(4));
  EXPECT_EQ(parse_if_match("*").value(), std::nullopt);
  for (const char* bad : {"", "\"\"", "abc", "\"3", "-1", "\"3\", \"4\"", "W/3x"}) {
    auto r = parse_if_match(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed) << bad;
  }
  EXPECT_TRUE(check_version(std::nullopt, 5, "x").ok());
  EXPECT_TRUE(check_version(5, 5, "x").ok());
  auto stale = check_version(4, 5, "x");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
}

TEST(TravelMonth, RecognisedFormats) {
  struct Case {
    const char* text;
    int year;
    unsigned month;
  };
  for (const Case& c :
       {Case{"2026-03-15", 2026, 3}, Case{"2026-03", 2026, 3},
        Case{"2026-03-15T10:00:00Z", 2026, 3}, Case{"15/03/2026", 2026, 3},
        Case{"15-03-2026", 2026, 3}, Case{"03/2026", 2026, 3}, Case{"3/2026", 2026, 3},
        Case{"Mar 2026", 2026, 3}, Case{"March 2026", 2026, 3}, Case{"mar-2026", 2026, 3},
        Case{"15 March 2026", 2026, 3}, Case{"December, 2027", 2027, 12},
        Case{"sept 2026", 2026, 9}}) {
    auto m = travel_month_of(c.text);
    ASSERT_TRUE(m.has_value()) << c.text;
    EXPECT_EQ(*m, (YearMonth{c.year, c.month})) << c.text;
  }
  for (const char* text : {"", "next summer", "2026", "13/2026", "2026-13", "32/03/2026", "Ma 2026",
                           "March", "March April 2026", "15/03/26"})
    EXPECT_FALSE(travel_month_of(text).has_value()) << text;
}

TEST(Timeline, MergesNewestFirstAndKeepsTheLimit) {
  auto at = [](std::int64_t s) { return Timestamp{std::chrono::seconds{s}}; };
  Activity a1;
  a1.id = "a1";
  a1.created_at = at(10);
  Activity a2;
  a2.id = "a2";
  a2.created_at = at(30);
  Note n1;
  n1.id = "n1";
  n1.created_at = at(20);
  FollowUp f1;
  f1.id = "f1";
  f1.created_at = at(30);  // same instant as a2: the larger id first
  FollowUp f2;
  f2.id = "f2";
  f2.created_at = at(5);
  auto merged = merge_timeline({a1, a2}, {n1}, {f1, f2}, 10);
  std::vector<std::string> ids;
  for (const auto& e : merged)
    ids.push_back(std::visit([](const auto& item) { return item.id; }, e.item));
  EXPECT_EQ(ids, (std::vector<std::string>{"f1", "a2", "n1", "a1", "f2"}));
  EXPECT_EQ(merge_timeline({a1, a2}, {n1}, {f1, f2}, 2).size(), 2u);
}

}  // namespace
}  // namespace leadproc
