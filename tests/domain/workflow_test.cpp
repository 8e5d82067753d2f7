// The workflow table (src/domain/workflow.h), three ways:
// - the golden file tests/domain/workflow_moves.txt states, for every distinct state, each
//   allowed move with what it needs and where it lands. It is data written and reviewed by
//   people, so a wrong row of the table fails here (a test generated from the table alone
//   would compare the table with itself);
// - generated cases: every state reachable from every status (× every filtration stage, CRM
//   stage and journey sub-stage) against every target name: each allowed move applies and lands
//   where its plan says, every other one is refused;
// - the journeys of docs/product.md "Workflow", walked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "domain/lifecycle.h"
#include "domain/reasons.h"
#include "domain/workflow.h"

namespace leadproc {
namespace {

using S = OpportunityStatus;

const Timestamp kNow{std::chrono::milliseconds{1'750'000'000'000}};
const Timestamp kTomorrow = kNow + std::chrono::hours(24);

constexpr std::string_view kGoldenHeader =
    "# Every allowed move of the workflow (src/domain/workflow.cpp), per distinct state: the\n"
    "# target, its kind, the input it needs (`field?`: taken, optional), where it lands, and\n"
    "# whether it enters the CRM phase or closes the opportunity. Read by\n"
    "# tests/domain/workflow_test.cpp (WorkflowGolden); a change to the table must change this\n"
    "# file too, reviewed line by line (docs/workflow.md).\n";

// ---------------------------------------------------------------------------------------------
// Generated cases

// Every opportunity shape: each status with no facets, with each PSV/WEST stage, and with each
// CRM stage × (no sub-stage, each journey checkpoint, an unrecognised legacy sub-stage).
std::vector<Opportunity> all_shapes() {
  std::vector<std::optional<std::string>> subs{std::nullopt, std::string("LEGACY_STAGE")};
  for (auto c : all_crm_journey_checkpoints()) subs.emplace_back(std::string(c));
  std::vector<std::string_view> stages = psv_stages();
  for (auto s : west_stages()) stages.push_back(s);
  const CrmStage crm_stages[] = {CrmStage::kFreshLead, CrmStage::kFollowup, CrmStage::kLost,
                                 CrmStage::kWon, CrmStage::kClosedForFutureFollowup};

  std::vector<Opportunity> out;
  for (auto name : all_opportunity_statuses()) {
    Opportunity base;
    base.id = "0123456789abcdef01234567";
    base.status = *parse_opportunity_status(name);
    out.push_back(base);
    for (auto stage : stages) {
      Opportunity o = base;
      o.filtration_status.emplace();
      o.filtration_status->stage = std::string(stage);
      o.filtration_status->filter =
          stage.starts_with("West") ? FiltrationProcess::kWest : FiltrationProcess::kPsv;
      out.push_back(o);
    }
    for (auto crm : crm_stages) {
      for (const auto& sub : subs) {
        Opportunity o = base;
        o.crm_stage_meta.emplace();
        o.crm_stage_meta->stage = crm;
        o.crm_stage_meta->sub_stage = sub;
        out.push_back(o);
      }
    }
  }
  return out;
}

// One opportunity per distinct workflow state.
std::vector<Opportunity> distinct_states() {
  std::vector<Opportunity> out;
  std::vector<WorkflowState> seen;
  for (auto& o : all_shapes()) {
    auto s = state_of(o);
    if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
    seen.push_back(s);
    out.push_back(std::move(o));
  }
  return out;
}

// An input that supplies exactly what the plan needs.
MoveInput complete_input(const MovePlan& plan) {
  MoveInput in;
  if (plan.needs.reasons) in.reasons = {"junk"};
  if (plan.needs.destination) in.destination = NamedRef{"aaaaaaaaaaaaaaaaaaaaaaaa", "Bali"};
  if (plan.needs.next_follow_up_date) in.next_follow_up_date = kTomorrow;
  if (plan.needs.lost_reason) in.lost_reason = "budget_issue";
  if (plan.needs.booking) {
    in.booking_id = "BK-2026-0042";
    in.deal_value = MoveInput::DealValueInput{"125000.50", "INR"};
  }
  in.remarks = "moved by the test";
  in.actor = "bbbbbbbbbbbbbbbbbbbbbbbb";
  return in;
}

bool names_field(const Error& e, const std::string& field) {
  return std::any_of(e.fields.begin(), e.fields.end(),
                     [&](const FieldError& f) { return f.field == field; });
}

// The parts of an opportunity a move may touch, to check that a refused move changed nothing.
auto snapshot(const Opportunity& o) {
  return std::make_tuple(state_of(o), o.updated_at, o.remarks, o.next_follow_up_date,
                         o.is_qualified, o.qualification_status, o.destination.has_value());
}

std::string test_name(const Opportunity& o) {
  std::string out;
  for (char c : describe(state_of(o)))
    out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

// A generated case: one opportunity per distinct state (printed as its state).
struct Case {
  Opportunity opp;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << describe(state_of(c.opp));
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (auto& o : distinct_states()) out.push_back({std::move(o)});
  return out;
}

class WorkflowTable : public ::testing::TestWithParam<Case> {};

TEST_P(WorkflowTable, AllowedMovesApplyAndEverythingElseIsRefused) {
  const Opportunity& opp = GetParam().opp;
  const WorkflowState state = state_of(opp);
  const auto allowed = allowed_moves(state);
  EXPECT_EQ(std::set<std::string>(allowed.begin(), allowed.end()).size(), allowed.size())
      << "two rows of the table match the same state and target";

  for (auto target : all_move_targets()) {
    const std::string to(target);
    SCOPED_TRACE(describe(state) + " -> " + to);
    auto plan = plan_move(state, to);
    const bool is_allowed = std::find(allowed.begin(), allowed.end(), to) != allowed.end();
    if (!is_allowed) {
      ASSERT_FALSE(plan.ok());
      EXPECT_EQ(plan.error().code, ErrorCode::kConflict);
      EXPECT_EQ(plan.error().allowed, allowed);
      continue;
    }
    ASSERT_TRUE(plan.ok()) << plan.error().detail;
    EXPECT_EQ(plan->to, to);
    EXPECT_EQ(plan->from, state);

    // With the required input, the move applies and lands exactly on plan.next.
    const MoveInput input = complete_input(*plan);
    Opportunity moved = opp;
    auto applied = apply_move(moved, *plan, input, kNow);
    ASSERT_TRUE(applied.ok()) << applied.error().detail;
    EXPECT_EQ(state_of(moved), plan->next);
    EXPECT_EQ(plan->closes, is_closed(moved));
    EXPECT_EQ(moved.updated_at, kNow);
    EXPECT_EQ(moved.remarks, opp.remarks) << "a move's comment is not the customer's remarks";
    if (plan->enters_crm) {
      EXPECT_TRUE(plan->kind == MoveKind::kQualify || plan->kind == MoveKind::kReactivate);
      EXPECT_FALSE(plan->closes);
    }
    if (plan->kind == MoveKind::kQualify) {
      EXPECT_EQ(moved.is_qualified, true);
      EXPECT_EQ(moved.qualification_status, to);
      EXPECT_EQ(moved.qualified_by, input.actor);
    }
    if (plan->kind == MoveKind::kDisqualify) {
      EXPECT_EQ(moved.is_qualified, false);
      EXPECT_TRUE(plan->closes);
    }
    if (plan->needs.reasons) {
      EXPECT_EQ(moved.filtration_status->disqualification_reason, input.reasons);
    }
    if (plan->needs.destination) {
      EXPECT_EQ(moved.destination, input.destination);
    }
    if (plan->needs.next_follow_up_date) {
      EXPECT_EQ(moved.next_follow_up_date, kTomorrow);
    }
    if (plan->needs.next_attempt_date) {  // none given: the proposed next attempt
      EXPECT_EQ(moved.next_follow_up_date, kNow + kNextAttemptDelay);
    }
    if (plan->needs.lost_reason) {
      EXPECT_EQ(moved.crm_stage_meta->rejection_reason, input.lost_reason);
    }
    if (plan->needs.booking) {
      EXPECT_EQ(moved.booking_id, "BK-2026-0042");
      EXPECT_EQ(moved.deal_value, (DealValue{12500050, "INR"}));
    }

    // Each required field, when missing, is named; nothing changes.
    struct Drop {
      bool needed;
      std::string field;
      void (*drop)(MoveInput&);
    };
    const Drop drops[] = {
        {plan->needs.reasons, "reasons", [](MoveInput& i) { i.reasons.clear(); }},
        {plan->needs.destination, "destination", [](MoveInput& i) { i.destination.reset(); }},
        {plan->needs.next_follow_up_date, "nextFollowUpDate",
         [](MoveInput& i) { i.next_follow_up_date.reset(); }},
        {plan->needs.lost_reason, "lostReason", [](MoveInput& i) { i.lost_reason.reset(); }},
        {plan->needs.booking, "bookingId", [](MoveInput& i) { i.booking_id.reset(); }},
        {plan->needs.booking, "dealValue", [](MoveInput& i) { i.deal_value.reset(); }},
    };
    for (const auto& d : drops) {
      if (!d.needed) continue;
      MoveInput missing = input;
      d.drop(missing);
      Opportunity untouched = opp;
      auto refused = apply_move(untouched, *plan, missing, kNow);
      ASSERT_FALSE(refused.ok()) << d.field;
      EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
      EXPECT_TRUE(names_field(refused.error(), d.field)) << d.field;
      EXPECT_EQ(snapshot(untouched), snapshot(opp));
    }

    // A field the move does not take is refused too.
    MoveInput extra = input;
    std::string extra_field;
    if (!plan->needs.reasons) {
      extra.reasons = {"junk"};
      extra_field = "reasons";
    } else {
      extra.lost_reason = "budget_issue";
      extra_field = "lostReason";
    }
    auto refused = validate_move_input(*plan, extra, kNow);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(names_field(refused.error(), extra_field));
  }

  // Names that are no move at all: 422 naming "to", still listing the allowed moves.
  for (std::string_view unknown : {"Won", "Lost", "Disqualified", "fresh_lead", "UnderProcessing",
                                   "InPSV", "psvfollowup1", "hot_lead", ""}) {
    auto plan = plan_move(state, unknown);
    ASSERT_FALSE(plan.ok()) << unknown;
    EXPECT_EQ(plan.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(names_field(plan.error(), "to"));
    EXPECT_EQ(plan.error().allowed, allowed);
  }
}

INSTANTIATE_TEST_SUITE_P(WorkflowStates, WorkflowTable, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return test_name(info.param.opp); });

// ---------------------------------------------------------------------------------------------
// The golden file

// One block per distinct state: "state <describe>", then a line per allowed move:
// "  <to> <kind> needs=<fields|-> -> <next>[ enters_crm][ closes]", or "  (no move)".
std::string render_moves() {
  std::ostringstream out;
  for (const auto& c : cases()) {
    const WorkflowState state = state_of(c.opp);
    out << "state " << describe(state) << "\n";
    const auto allowed = allowed_moves(state);
    if (allowed.empty()) out << "  (no move)\n";
    for (const auto& to : allowed) {
      const auto plan = plan_move(state, to);
      if (!plan) {
        out << "  " << to << " PLAN FAILED: " << plan.error().detail << "\n";
        continue;
      }
      std::string needs;
      const auto need = [&needs](bool on, std::string_view field) {
        if (on) needs += (needs.empty() ? "" : ",") + std::string(field);
      };
      need(plan->needs.reasons, "reasons");
      need(plan->needs.destination, "destination");
      need(plan->needs.next_follow_up_date, "nextFollowUpDate");
      need(plan->needs.next_attempt_date, "nextFollowUpDate?");
      need(plan->needs.lost_reason, "lostReason");
      need(plan->needs.booking, "bookingId,dealValue");
      out << "  " << to << " " << to_string(plan->kind)
          << " needs=" << (needs.empty() ? "-" : needs) << " -> " << describe(plan->next)
          << (plan->enters_crm ? " enters_crm" : "") << (plan->closes ? " closes" : "") << "\n";
    }
  }
  return out.str();
}

// LEADPROC_UPDATE_GOLDEN=1 rewrites the file from the table (then review the diff by hand).
TEST(WorkflowGolden, TheTableIsTheReviewedListOfMoves) {
  const std::string path = LEADPROC_TESTS_DIR "/domain/workflow_moves.txt";
  const std::string actual = render_moves();
  if (const char* update = std::getenv("LEADPROC_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path) << kGoldenHeader << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string expected, line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    expected += line + "\n";
  }
  // Line by line, so a failure names the first state that differs.
  std::istringstream want(expected), got(actual);
  std::string w, g, state;
  for (int n = 1;; ++n) {
    const bool more_w = static_cast<bool>(std::getline(want, w));
    const bool more_g = static_cast<bool>(std::getline(got, g));
    if (!more_w && !more_g) break;
    if (more_g && g.starts_with("state ")) state = g;
    ASSERT_EQ(more_w ? w : "<end of file>", more_g ? g : "<end of table>")
        << "workflow_moves.txt line " << n << " (non-comment), under " << state
        << "; if the table changed on purpose, rerun with LEADPROC_UPDATE_GOLDEN=1 and review";
  }
}

TEST(WorkflowTableShape, EveryRuleIsReachedAndTargetsMeanOneThing) {
  std::set<std::size_t> rules;
  std::map<std::string, std::set<MoveKind>> kinds;
  for (const auto& opp : distinct_states()) {
    const auto state = state_of(opp);
    for (const auto& to : allowed_moves(state)) {
      auto plan = plan_move(state, to);
      ASSERT_TRUE(plan.ok());
      rules.insert(plan->rule);
      kinds[to].insert(plan->kind);
    }
  }
  EXPECT_EQ(rules.size(), move_rule_count()) << "a row no state reaches";
  EXPECT_EQ(kinds.size(), all_move_targets().size()) << "a target no state reaches";
  for (const auto& [to, k] : kinds) EXPECT_EQ(k.size(), 1u) << to << " means several things";
}

// PRODUCT.md: the follow-up sequences go in order, one step at a time; the journey only forward.
TEST(WorkflowTableShape, SequencesAdvanceOneStepAndJourneyOnlyForward) {
  const std::vector<std::vector<std::string>> sequences{
      {"PSVFreshLead", "PSVFollowUp1", "PSVFollowUp2", "PSVFollowUp3"},
      {"WestFreshLead", "WestFollowUp1", "WestFollowUp2", "WestFollowUp3"},
      {"UpcomingFreshLead", "UpcomingFollowUp1", "UpcomingFollowUp2", "UpcomingFollowUp3",
       "UpcomingFollowUp4"}};
  auto position = [&](const std::string& name) -> std::pair<int, int> {
    for (int s = 0; s < static_cast<int>(sequences.size()); ++s)
      for (int i = 0; i < static_cast<int>(sequences[s].size()); ++i)
        if (sequences[s][i] == name) return {s, i};
    return {-1, -1};
  };
  for (const auto& opp : distinct_states()) {
    const auto state = state_of(opp);
    const std::string here = state.filtration_stage.value_or(std::string(to_string(state.status)));
    for (const auto& to : allowed_moves(state)) {
      SCOPED_TRACE(describe(state) + " -> " + to);
      auto plan = plan_move(state, to);
      ASSERT_TRUE(plan.ok());
      if (plan->kind == MoveKind::kFollowUpStep) {
        const auto [from_seq, from_i] = position(here);
        const auto [to_seq, to_i] = position(to);
        EXPECT_NE(from_seq, -1);
        EXPECT_EQ(from_seq, to_seq);
        EXPECT_EQ(from_i + 1, to_i);
      }
      if (plan->kind == MoveKind::kJourney) {
        std::optional<std::string_view> sub;
        if (state.crm_sub_stage) sub = *state.crm_sub_stage;
        EXPECT_GT(journey_rank(to), journey_rank(sub));
      }
      if (plan->kind == MoveKind::kFutureFollowUp) {
        EXPECT_TRUE(plan->needs.next_follow_up_date);
      }
      if (plan->kind == MoveKind::kDisqualify) {
        EXPECT_TRUE(plan->closes);
      }
    }
  }
}

TEST(WorkflowTableShape, TerminalStatusesHaveNoMoves) {
  for (S s :
       {S::kUnderProcessing, S::kWon, S::kLost, S::kDisqualified, S::kUnknownResolved,
        S::kUnknownClientNotResponded, S::kUnknownClientNotInterested, S::kUnknownAlreadyAssigned,
        S::kUpcomingQualified, S::kUpcomingDisqualifiedJunk, S::kUpcomingDisqualifiedNotInterested,
        S::kUpcomingDisqualifiedNotResponded, S::kUpcomingDisqualifiedAlreadyAssigned}) {
    for (const auto& opp : all_shapes()) {
      if (opp.status != s) continue;
      EXPECT_TRUE(allowed_moves(state_of(opp)).empty()) << describe(state_of(opp));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-written journeys

// Plans and applies one move; fails the test when either step fails.
// What a move to won needs: the booking and its deal value.
MoveInput booked() {
  MoveInput in;
  in.booking_id = "BK-1";
  in.deal_value = MoveInput::DealValueInput{"98000", "INR"};
  return in;
}

MovePlan move(Opportunity& opp, std::string_view to, const MoveInput& input = {}) {
  auto plan = plan_move(state_of(opp), to);
  EXPECT_TRUE(plan.ok()) << describe(state_of(opp)) << " -> " << to << ": "
                         << (plan.ok() ? "" : plan.error().detail);
  if (!plan.ok()) return {};
  auto applied = apply_move(opp, *plan, input, kNow);
  EXPECT_TRUE(applied.ok()) << to << ": " << (applied.ok() ? "" : applied.error().detail);
  return *plan;
}

// What the app layer's CRM entry does to the fields the workflow reads (app/routing.cpp).
void enter_crm(Opportunity& opp) {
  opp.status = S::kOpen;
  opp.is_pushed = true;
  opp.crm_stage_meta.emplace();
  opp.crm_stage_meta->stage = CrmStage::kFreshLead;
  opp.crm_stage_meta->sub_stage = "FRESH_LEAD";
  opp.crm_stage_meta->crm_entry_at = kNow;
}

Opportunity open_at(CrmStage stage, std::string sub_stage) {
  CrmStageMeta meta;
  meta.stage = stage;
  meta.sub_stage = std::move(sub_stage);
  Opportunity o;
  o.status = S::kOpen;
  o.crm_stage_meta = std::move(meta);
  return o;
}

Opportunity in_psv() {
  Opportunity o;
  o.status = S::kInPsv;
  o.filteration_process = FiltrationProcess::kPsv;
  o.filtration_status.emplace();
  o.filtration_status->stage = "PSVFreshLead";
  return o;
}

Opportunity in_west() {
  Opportunity o;
  o.status = S::kInWest;
  o.filteration_process = FiltrationProcess::kWest;
  o.filtration_status.emplace();
  o.filtration_status->stage = "WestFreshLead";
  o.filtration_status->filter = FiltrationProcess::kWest;
  return o;
}

TEST(WorkflowJourney, PsvFreshToWon) {
  Opportunity opp = in_psv();
  move(opp, "PSVFollowUp1");
  move(opp, "PSVFollowUp2");
  MoveInput by;
  by.actor = "cccccccccccccccccccccccc";
  auto q = move(opp, "PSVQualified", by);
  EXPECT_TRUE(q.enters_crm);
  EXPECT_EQ(opp.status, S::kInPsv);
  EXPECT_EQ(opp.filtration_status->stage, "PSVQualified");
  EXPECT_EQ(opp.is_qualified, true);
  EXPECT_EQ(opp.qualification_status, "PSVQualified");
  EXPECT_EQ(opp.qualified_by, by.actor);
  EXPECT_TRUE(allowed_moves(state_of(opp)).empty());  // until CRM entry runs

  enter_crm(opp);
  EXPECT_EQ(allowed_moves(state_of(opp)),
            (std::vector<std::string>{"followup", "lost", "closed_for_future_followup", "HOT_LEAD",
                                      "NEGOTIATION", "PAYMENT_AWAITED", "Dormant"}));
  EXPECT_EQ(plan_move(state_of(opp), "won").error().code, ErrorCode::kConflict);
  move(opp, "followup");
  move(opp, "HOT_LEAD");
  auto won = move(opp, "won", booked());
  EXPECT_TRUE(won.closes);
  EXPECT_EQ(opp.status, S::kWon);
  EXPECT_EQ(opp.crm_stage_meta->stage, CrmStage::kWon);
  EXPECT_EQ(opp.crm_stage_meta->sub_stage, "HOT_LEAD");
  EXPECT_TRUE(allowed_moves(state_of(opp)).empty());
}

TEST(WorkflowJourney, PsvSequenceCannotSkip) {
  Opportunity opp = in_psv();
  auto skip = plan_move(state_of(opp), "PSVFollowUp2");
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.error().code, ErrorCode::kConflict);
  EXPECT_EQ(skip.error().allowed, (std::vector<std::string>{"PSVFollowUp1", "PSVFutureFollowUp",
                                                            "PSVQualified", "PSVDisqualified"}));
  EXPECT_NE(skip.error().detail.find("PSVFollowUp1"), std::string::npos);
  EXPECT_FALSE(plan_move(state_of(opp), "WestFollowUp1").ok());  // not the other process
}

TEST(WorkflowJourney, FollowUpStepsScheduleTheNextAttempt) {
  Opportunity opp = in_psv();
  move(opp, "PSVFollowUp1");  // no time given: the proposal, the same time tomorrow
  EXPECT_EQ(opp.next_follow_up_date, kNow + kNextAttemptDelay);
  EXPECT_EQ(proposed_next_attempt(state_of(opp), kNow), kNow + kNextAttemptDelay);

  auto plan = plan_move(state_of(opp), "PSVFollowUp2");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->needs.next_attempt_date);
  EXPECT_FALSE(plan->needs.next_follow_up_date);  // optional, not required
  MoveInput past;
  past.next_follow_up_date = kNow;
  Opportunity untouched = opp;
  auto refused = apply_move(untouched, *plan, past, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(names_field(refused.error(), "nextFollowUpDate"));
  EXPECT_EQ(snapshot(untouched), snapshot(opp));

  MoveInput given;
  given.next_follow_up_date = kNow + std::chrono::hours(3);
  move(opp, "PSVFollowUp2", given);
  EXPECT_EQ(opp.next_follow_up_date, given.next_follow_up_date);
  move(opp, "PSVFollowUp3");
  EXPECT_EQ(opp.next_follow_up_date, kNow + kNextAttemptDelay);
  // From the last step no move schedules an attempt: nothing to propose.
  EXPECT_EQ(proposed_next_attempt(state_of(opp), kNow), std::nullopt);

  // Other moves do not take an attempt time.
  Opportunity upcoming;
  upcoming.status = OpportunityStatus::kUpcomingFreshLead;
  auto step = plan_move(state_of(upcoming), "UpcomingFollowUp1");
  ASSERT_TRUE(step.ok());
  auto not_taken = validate_move_input(*step, given, kNow);
  ASSERT_FALSE(not_taken.ok());
  EXPECT_TRUE(names_field(not_taken.error(), "nextFollowUpDate"));

  // Disqualifying clears the pending attempt (closing), so the due list forgets it.
  MoveInput reasons;
  reasons.reasons = {"not_responded"};
  move(opp, "PSVDisqualified", reasons);
  EXPECT_EQ(opp.next_follow_up_date, std::nullopt);
}

TEST(WorkflowJourney, FutureFollowUpNeedsAFutureDateAndOnlyReschedulesOrDecides) {
  Opportunity opp = in_psv();
  move(opp, "PSVFollowUp1");
  auto plan = plan_move(state_of(opp), "PSVFutureFollowUp");
  ASSERT_TRUE(plan.ok());
  MoveInput past;
  past.next_follow_up_date = kNow - std::chrono::minutes(1);
  auto refused = apply_move(opp, *plan, past, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(names_field(refused.error(), "nextFollowUpDate"));

  MoveInput later;
  later.next_follow_up_date = kTomorrow;
  move(opp, "PSVFutureFollowUp", later);
  EXPECT_EQ(opp.next_follow_up_date, kTomorrow);
  EXPECT_EQ(allowed_moves(state_of(opp)),
            (std::vector<std::string>{"PSVFutureFollowUp", "PSVQualified", "PSVDisqualified"}));
  later.next_follow_up_date = kTomorrow + std::chrono::hours(24 * 30);
  move(opp, "PSVFutureFollowUp", later);  // rescheduled
  EXPECT_EQ(opp.next_follow_up_date, later.next_follow_up_date);
}

TEST(WorkflowJourney, WestLostWithReason) {
  Opportunity opp = in_west();
  move(opp, "WestFollowUp1");
  EXPECT_TRUE(move(opp, "WestQualified").enters_crm);
  EXPECT_EQ(opp.filtration_status->stage, "WestQualified");
  enter_crm(opp);
  move(opp, "followup");

  auto plan = plan_move(state_of(opp), "lost");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->needs.lost_reason);
  auto no_reason = apply_move(opp, *plan, {}, kNow);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(names_field(no_reason.error(), "lostReason"));

  MoveInput wrong_detail;
  wrong_detail.lost_reason = "plan_dropped";
  wrong_detail.lost_reason_detail = "call_not_answered";  // a not_responded scenario
  auto refused = apply_move(opp, *plan, wrong_detail, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(names_field(refused.error(), "lostReasonDetail"));

  MoveInput unknown;
  unknown.lost_reason = "too_expensive";
  EXPECT_TRUE(names_field(apply_move(opp, *plan, unknown, kNow).error(), "lostReason"));

  MoveInput good;
  good.lost_reason = "plan_dropped";
  good.lost_reason_detail = "medical_emergency";
  move(opp, "lost", good);
  EXPECT_EQ(opp.status, S::kLost);
  EXPECT_EQ(opp.crm_stage_meta->stage, CrmStage::kLost);
  EXPECT_EQ(opp.crm_stage_meta->rejection_reason, "plan_dropped");
  EXPECT_EQ(opp.crm_stage_meta->not_intersted_reasons, "medical_emergency");
  EXPECT_TRUE(is_closed(opp));
}

TEST(WorkflowJourney, LostDetailOnlyForPlanDroppedOrNotResponded) {
  Opportunity opp;
  opp.status = S::kOpen;
  auto plan = plan_move(state_of(opp), "lost");
  ASSERT_TRUE(plan.ok());
  MoveInput in;
  in.lost_reason = "budget_issue";
  in.lost_reason_detail = "medical_emergency";
  EXPECT_TRUE(names_field(validate_move_input(*plan, in, kNow).error(), "lostReasonDetail"));
  in.lost_reason = "other";
  in.lost_reason_detail.reset();
  EXPECT_TRUE(names_field(validate_move_input(*plan, in, kNow).error(), "remarks"));
  in.remarks = "went with a friend's agency";
  EXPECT_TRUE(validate_move_input(*plan, in, kNow).ok());
}

TEST(WorkflowJourney, UnknownResolvedRequiresADestination) {
  Opportunity opp;
  opp.status = S::kResolvingUnknown;
  auto plan = plan_move(state_of(opp), "UnknownResolved");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->enters_crm);
  auto refused = apply_move(opp, *plan, {}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(names_field(refused.error(), "destination"));
  EXPECT_EQ(opp.status, S::kResolvingUnknown);

  MoveInput in;
  in.destination = NamedRef{"dddddddddddddddddddddddd", "Maldives"};
  move(opp, "UnknownResolved", in);
  EXPECT_EQ(opp.status, S::kUnknownResolved);
  EXPECT_EQ(opp.destination, in.destination);
  EXPECT_EQ(opp.is_qualified, true);

  Opportunity other;
  other.status = S::kResolvingUnknown;
  auto closed = move(other, "UnknownAlreadyAssigned");
  EXPECT_TRUE(closed.closes);
  EXPECT_EQ(other.is_qualified, false);
  EXPECT_TRUE(is_closed(other));
}

TEST(WorkflowJourney, UpcomingFollowUpsInOrderThenQualified) {
  Opportunity opp;
  opp.status = S::kUpcomingFreshLead;
  EXPECT_EQ(plan_move(state_of(opp), "UpcomingFollowUp2").error().code, ErrorCode::kConflict);
  move(opp, "UpcomingFollowUp1");
  move(opp, "UpcomingFollowUp2");
  move(opp, "UpcomingFollowUp3");
  move(opp, "UpcomingFollowUp4");
  EXPECT_EQ(opp.status, S::kUpcomingFollowUp4);
  EXPECT_EQ(
      allowed_moves(state_of(opp)),
      (std::vector<std::string>{
          "UpcomingQualified", "UpcomingDisqualifiedJunk", "UpcomingDisqualifiedNotInterested",
          "UpcomingDisqualifiedNotResponded", "UpcomingDisqualifiedAlreadyAssigned"}));
  auto q = move(opp, "UpcomingQualified");
  EXPECT_TRUE(q.enters_crm);
  EXPECT_EQ(opp.status, S::kUpcomingQualified);
  enter_crm(opp);
  EXPECT_EQ(opp.status, S::kOpen);
}

TEST(WorkflowJourney, DisqualificationNeedsReasonsFromTheList) {
  Opportunity opp = in_psv();
  auto plan = plan_move(state_of(opp), "PSVDisqualified");
  ASSERT_TRUE(plan.ok());

  auto missing = apply_move(opp, *plan, {}, kNow);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(names_field(missing.error(), "reasons"));
  EXPECT_NE(missing.error().fields.front().reason.find("wrong_number"), std::string::npos);

  MoveInput bad;
  bad.reasons = {"junk", "rude"};
  EXPECT_TRUE(names_field(apply_move(opp, *plan, bad, kNow).error(), "reasons[1]"));

  MoveInput other;
  other.reasons = {"other"};
  EXPECT_TRUE(names_field(apply_move(opp, *plan, other, kNow).error(), "remarks"));

  MoveInput good;
  good.reasons = {"wrong_number", "junk", "wrong_number"};
  good.remarks = "number belongs to a shop";
  move(opp, "PSVDisqualified", good);
  EXPECT_EQ(opp.status, S::kDisqualified);
  EXPECT_EQ(opp.filtration_status->stage, "PSVDisqualified");
  EXPECT_EQ(opp.filtration_status->disqualification_reason,
            (std::vector<std::string>{"wrong_number", "junk"}));
  EXPECT_EQ(opp.is_qualified, false);
  EXPECT_FALSE(opp.remarks.has_value()) << "a move's comment is not the customer's remarks";
  EXPECT_TRUE(is_closed(opp));
  EXPECT_TRUE(allowed_moves(state_of(opp)).empty());
}

TEST(WorkflowJourney, DormantBackToOpen) {
  Opportunity opp = open_at(CrmStage::kFollowup, "NEGOTIATION");
  move(opp, "Dormant");
  EXPECT_EQ(opp.status, S::kDormant);
  EXPECT_EQ(allowed_moves(state_of(opp)), (std::vector<std::string>{"Open"}));
  auto back = move(opp, "Open");
  EXPECT_FALSE(back.enters_crm);
  EXPECT_EQ(opp.status, S::kOpen);
  EXPECT_EQ(opp.crm_stage_meta->stage, CrmStage::kFollowup);
  EXPECT_EQ(opp.crm_stage_meta->sub_stage, "NEGOTIATION");

  Opportunity duplicate;  // a Dormant duplicate from ingestion: never in CRM
  duplicate.status = S::kDormant;
  duplicate.is_duplicate = true;
  auto reactivated = move(duplicate, "Open");
  EXPECT_TRUE(reactivated.enters_crm);
  EXPECT_EQ(duplicate.status, S::kDormant);  // CRM entry (app layer) makes it Open
  enter_crm(duplicate);
  EXPECT_EQ(state_of(duplicate).crm_stage, CrmStage::kFreshLead);
}

TEST(WorkflowJourney, JourneyMovesForwardOnly) {
  Opportunity opp = open_at(CrmStage::kFollowup, "FRESH_LEAD");
  move(opp, "NEGOTIATION");  // skipping HOT_LEAD is allowed
  auto back = plan_move(state_of(opp), "HOT_LEAD");
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code, ErrorCode::kConflict);
  move(opp, "PAYMENT_AWAITED");
  EXPECT_EQ(opp.crm_stage_meta->sub_stage, "PAYMENT_AWAITED");
  MoveInput later;
  later.next_follow_up_date = kTomorrow;
  move(opp, "closed_for_future_followup", later);
  EXPECT_EQ(opp.status, S::kOpen);
  EXPECT_FALSE(is_closed(opp));
  EXPECT_EQ(opp.next_follow_up_date, kTomorrow);
  EXPECT_EQ(allowed_moves(state_of(opp)),
            (std::vector<std::string>{"followup", "won", "lost", "closed_for_future_followup",
                                      "Dormant"}));
}

TEST(WorkflowJourney, LegacyOpenWithoutCrmMetaIsAtFollowup) {
  Opportunity opp;
  opp.status = S::kOpen;
  EXPECT_EQ(state_of(opp).crm_stage, CrmStage::kFollowup);
  move(opp, "won", booked());
  ASSERT_TRUE(opp.crm_stage_meta.has_value());
  EXPECT_EQ(opp.crm_stage_meta->stage, CrmStage::kWon);
  EXPECT_EQ(opp.status, S::kWon);
}

TEST(WorkflowJourney, StalePlanIsRefused) {
  Opportunity opp = in_psv();
  auto plan = plan_move(state_of(opp), "PSVFollowUp1");
  ASSERT_TRUE(plan.ok());
  move(opp, "PSVFollowUp1");
  auto again = apply_move(opp, *plan, {}, kNow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST(WorkflowJourney, RemarksAreLimited) {
  Opportunity opp = in_psv();
  auto plan = plan_move(state_of(opp), "PSVFollowUp1");
  MoveInput in;
  in.remarks = std::string(kMaxRemarksLength, 'x');
  EXPECT_TRUE(validate_move_input(*plan, in, kNow).ok());
  in.remarks = std::string(kMaxRemarksLength - 1, 'x') + "\xC3\xA9";  // 2000 code points
  EXPECT_TRUE(validate_move_input(*plan, in, kNow).ok());
  in.remarks = std::string(kMaxRemarksLength + 1, 'x');
  EXPECT_TRUE(names_field(validate_move_input(*plan, in, kNow).error(), "remarks"));
}

// ---------------------------------------------------------------------------------------------
// Reason lists

TEST(WorkflowReasons, ListsRoundTripAndAreUnique) {
  auto check = [](std::vector<std::string_view> names, auto parse, auto valid) {
    EXPECT_FALSE(names.empty());
    EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), names.size());
    for (auto n : names) {
      auto v = parse(n);
      ASSERT_TRUE(v.has_value()) << n;
      EXPECT_EQ(to_string(*v), n);
      EXPECT_TRUE(valid(n));
    }
    EXPECT_FALSE(parse("nope"));
    EXPECT_FALSE(valid(""));
  };
  check(all_disqualification_reasons(), parse_disqualification_reason,
        is_valid_disqualification_reason);
  check(all_crm_journey_checkpoints(), parse_crm_journey_checkpoint,
        is_valid_crm_journey_checkpoint);
  check(all_crm_not_interested_sub_stages(), parse_crm_not_interested_sub_stage,
        is_valid_crm_not_interested_sub_stage);
  check(all_crm_plan_dropped_reasons(), parse_crm_plan_dropped_reason,
        is_valid_crm_plan_dropped_reason);
  check(all_crm_not_responded_scenarios(), parse_crm_not_responded_scenario,
        is_valid_crm_not_responded_scenario);
}

TEST(WorkflowReasons, JourneyOrderAndLostDetails) {
  EXPECT_EQ(
      all_crm_journey_checkpoints(),
      (std::vector<std::string_view>{"FRESH_LEAD", "HOT_LEAD", "NEGOTIATION", "PAYMENT_AWAITED"}));
  EXPECT_EQ(journey_rank(std::nullopt), -1);
  EXPECT_EQ(journey_rank("LEGACY"), -1);
  EXPECT_EQ(journey_rank("PAYMENT_AWAITED"), 3);
  EXPECT_EQ(lost_reason_details_for(CrmNotInterestedSubStage::kPlanDropped),
            all_crm_plan_dropped_reasons());
  EXPECT_EQ(lost_reason_details_for(CrmNotInterestedSubStage::kNotResponded),
            all_crm_not_responded_scenarios());
  EXPECT_TRUE(lost_reason_details_for(CrmNotInterestedSubStage::kBudgetIssue).empty());
}

}  // namespace
}  // namespace leadproc
