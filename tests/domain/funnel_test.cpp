// Where an opportunity stands in the funnel (domain/funnel.h), as a table of states, and the
// business days and weeks the funnel groups by (app/business_day.h business_periods).
#include <gtest/gtest.h>

#include "app/business_day.h"
#include "app/funnel_report.h"
#include "domain/funnel.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

struct Case {
  const char* what;
  OpportunityStatus status;
  const char* filtration_stage;  // "" : none
  std::optional<CrmStage> crm_stage;
  bool crm_entry;
  bool held;
  FunnelStep step;
  std::optional<FunnelOutcome> outcome;
};

using S = OpportunityStatus;
using F = FunnelStep;

const Case kCases[] = {
    {"waiting for a POC", S::kInPsv, "PSVFreshLead", {}, false, false, F::kCaptured, {}},
    {"assigned, fresh", S::kInPsv, "PSVFreshLead", {}, false, true, F::kAssigned, {}},
    {"legacy InPSV without a stage", S::kInPsv, "", {}, false, true, F::kAssigned, {}},
    {"a follow-up attempt", S::kInPsv, "PSVFollowUp1", {}, false, true, F::kContacted, {}},
    {"WEST future follow-up", S::kInWest, "WestFutureFollowUp", {}, false, true, F::kContacted, {}},
    {"disqualified",
     S::kDisqualified,
     "PSVDisqualified",
     {},
     false,
     true,
     F::kContacted,
     FunnelOutcome::kDisqualified},
    {"upcoming, fresh", S::kUpcomingFreshLead, "", {}, false, true, F::kAssigned, {}},
    {"upcoming, moved on", S::kUpcomingFollowUp2, "", {}, false, true, F::kContacted, {}},
    {"upcoming, disqualified",
     S::kUpcomingDisqualifiedJunk,
     "",
     {},
     false,
     true,
     F::kContacted,
     FunnelOutcome::kDisqualified},
    {"unknown, waiting", S::kResolvingUnknown, "", {}, false, true, F::kAssigned, {}},
    {"unknown, closed by the agent",
     S::kUnknownClientNotResponded,
     "",
     {},
     false,
     true,
     F::kContacted,
     {}},
    {"in CRM, first contact due",
     S::kOpen,
     "PSVQualified",
     CrmStage::kFreshLead,
     true,
     true,
     F::kQualified,
     {}},
    {"NO-FILTER, in CRM at once",
     S::kOpen,
     "",
     CrmStage::kFreshLead,
     true,
     true,
     F::kQualified,
     {}},
    {"legacy Open without crmStageMeta", S::kOpen, "", {}, false, true, F::kQualified, {}},
    {"lost", S::kLost, "", CrmStage::kLost, true, true, F::kQualified, FunnelOutcome::kLost},
    {"won", S::kWon, "", CrmStage::kWon, true, true, F::kWon, {}},
    {"a duplicate", S::kDormant, "", {}, false, false, F::kCaptured, {}},
};

TEST(Funnel, PositionOfEachState) {
  for (const Case& c : kCases) {
    Opportunity o;
    o.status = c.status;
    if (*c.filtration_stage) o.filtration_status = FiltrationStatus{c.filtration_stage, {}, {}};
    if (c.crm_stage) {
      o.crm_stage_meta = CrmStageMeta{};
      o.crm_stage_meta->stage = *c.crm_stage;
      if (c.crm_entry) o.crm_stage_meta->crm_entry_at = Timestamp{};
    }
    if (c.held) o.assigned_psv = NamedRef{"0123456789abcdef01234567", "Pia"};
    const FunnelPosition p = funnel_position(o);
    EXPECT_EQ(p.step, c.step) << c.what;
    EXPECT_EQ(p.outcome, c.outcome) << c.what;
  }
}

TEST(Funnel, KindAndCampaign) {
  Opportunity o;
  EXPECT_EQ(funnel_kind(o), FunnelKind::kUnknown);
  o.destination = NamedRef{"0123456789abcdef01234567", "Goa"};
  EXPECT_EQ(funnel_kind(o), FunnelKind::kLead);
  o.is_duplicate = true;
  EXPECT_EQ(funnel_kind(o), FunnelKind::kDuplicate);
  EXPECT_EQ(campaign_of(o), "");
  o.attribution["campaignName"] = "winter";
  EXPECT_EQ(campaign_of(o), "winter");
  o.attribution["utmCampaign"] = "summer";
  EXPECT_EQ(campaign_of(o), "summer");  // utmCampaign first
}

TEST(Funnel, NamesRoundTrip) {
  for (const FunnelStep s : all_funnel_steps()) EXPECT_EQ(parse_funnel_step(to_string(s)), s);
  EXPECT_EQ(parse_funnel_outcome("lost"), FunnelOutcome::kLost);
  EXPECT_EQ(parse_funnel_kind("unknown"), FunnelKind::kUnknown);
  EXPECT_FALSE(parse_funnel_step("Won").has_value());
  EXPECT_EQ(parse_funnel_group_by("week"), FunnelGroupBy::kWeek);
  EXPECT_FALSE(parse_funnel_group_by("month").has_value());
}

TEST(Funnel, FiguresCountEachStepReachedAndKeepApartWhatIsNotALead) {
  FunnelFigures f;
  add_to_figures(f, {"", 0, FunnelKind::kLead, FunnelStep::kQualified, FunnelOutcome::kLost, 2});
  add_to_figures(f, {"", 0, FunnelKind::kLead, FunnelStep::kWon, {}, 1});
  add_to_figures(f, {"", 0, FunnelKind::kDuplicate, FunnelStep::kCaptured, {}, 4});
  add_to_figures(f, {"", 0, FunnelKind::kUnknown, FunnelStep::kAssigned, {}, 5});
  EXPECT_EQ(f.reached, (std::array<std::int64_t, 5>{3, 3, 3, 3, 1}));
  EXPECT_EQ(f.lost, 2);
  EXPECT_EQ(f.duplicates, 4);
  EXPECT_EQ(f.unknown, 5);
  EXPECT_EQ(f.total(), 12);
}

std::string iso(Timestamp t) {
  return format_iso8601(t);
}

TEST(BusinessPeriods, DaysAndWeeksInTheZoneClippedToTheRange) {
  const Timestamp from = *parse_iso8601("2026-03-03T12:00:00Z");  // a Tuesday, 17:30 in Kolkata
  const Timestamp to = *parse_iso8601("2026-03-10T00:00:00Z");
  auto days = business_periods({from, to}, Period::kDay, "Asia/Kolkata");
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 8u);
  EXPECT_EQ(days->front().label, "2026-03-03");
  EXPECT_EQ(iso(days->front().window.start), "2026-03-03T12:00:00.000Z");  // clipped
  EXPECT_EQ(iso(days->front().window.end), "2026-03-03T18:30:00.000Z");
  EXPECT_EQ(days->back().label, "2026-03-10");  // 00:00Z is 05:30 on the 10th
  EXPECT_EQ(iso(days->back().window.end), "2026-03-10T00:00:00.000Z");
  auto weeks = business_periods({from, to}, Period::kWeek, "Asia/Kolkata");
  ASSERT_TRUE(weeks.ok());
  ASSERT_EQ(weeks->size(), 2u);
  EXPECT_EQ(weeks->front().label, "2026-03-02");  // the Monday before
  EXPECT_EQ(iso(weeks->front().window.start), "2026-03-03T12:00:00.000Z");
  EXPECT_EQ(iso(weeks->front().window.end), "2026-03-08T18:30:00.000Z");
  EXPECT_EQ(weeks->back().label, "2026-03-09");
  // Across a DST change (Europe/Berlin, 29 March 2026): a 23-hour day.
  auto dst = business_periods(
      {*parse_iso8601("2026-03-28T23:00:00Z"), *parse_iso8601("2026-03-29T22:00:00Z")},
      Period::kDay, "Europe/Berlin");
  ASSERT_TRUE(dst.ok());
  ASSERT_EQ(dst->size(), 1u);
  EXPECT_EQ(dst->front().label, "2026-03-29");
  EXPECT_FALSE(business_periods({from, to}, Period::kDay, "Mars/Olympus").ok());
}

}  // namespace
}  // namespace leadproc
