#include "domain/workflow.h"

#include <algorithm>
#include <array>

#include "domain/field_limits.h"
#include "domain/lifecycle.h"
#include "domain/money.h"
#include "domain/reasons.h"
#include "domain/text.h"

namespace leadproc {
namespace {

using S = OpportunityStatus;

// How a row matches the rest of the state once the status is among its `statuses`.
enum class Match {
  kAny,              // the status alone
  kFiltrationStage,  // filtration_stage is one of `from`
  kCrmStage,         // crm_stage is one of `from`
  kJourney,          // crm_stage is one of `from` and the sub-stage is before `to`
  kNoCrm,            // crm_stage is not set
};

// Which facet of the state receives `to` (beyond the status, which is always `status_after`).
enum class Facet { kNone, kFiltrationStage, kCrmStage, kSubStage };

enum Need : unsigned {
  kNoNeed = 0,
  kReasons = 1u << 0,
  kDestination = 1u << 1,
  kDate = 1u << 2,
  kLostReason = 1u << 3,
  kAttemptDate = 1u << 4,  // nextFollowUpDate optional: the next attempt, proposed when absent
  kBooking = 1u << 5,      // bookingId and dealValue: what a won deal sold
};

struct Rule {
  std::string_view statuses;  // '|'-separated status wire names the move leaves from
  Match match;
  std::string_view from;  // '|'-separated stage names, per `match`
  std::string_view to;
  MoveKind kind;
  unsigned needs;
  OpportunityStatus status_after;
  Facet facet;
  bool enters_crm;
};

using K = MoveKind;
using M = Match;
using F = Facet;

constexpr std::string_view kPsvOpen =
    "PSVFreshLead|PSVFollowUp1|PSVFollowUp2|PSVFollowUp3|PSVFutureFollowUp";
constexpr std::string_view kWestOpen =
    "WestFreshLead|WestFollowUp1|WestFollowUp2|WestFollowUp3|WestFutureFollowUp";
constexpr std::string_view kUpcomingOpen =
    "UpcomingFreshLead|UpcomingFollowUp1|UpcomingFollowUp2|UpcomingFollowUp3|UpcomingFollowUp4";
constexpr std::string_view kCrmActive = "fresh_lead|followup|closed_for_future_followup";

// THE TABLE. docs/workflow.md mirrors it; tests/domain/workflow_test.cpp is generated from it.
constexpr std::array kRules{
    // PSV: the follow-up sequence in order, then future follow-up / qualified / disqualified.
    Rule{"InPSV", M::kFiltrationStage, "PSVFreshLead", "PSVFollowUp1", K::kFollowUpStep,
         kAttemptDate, S::kInPsv, F::kFiltrationStage, false},
    Rule{"InPSV", M::kFiltrationStage, "PSVFollowUp1", "PSVFollowUp2", K::kFollowUpStep,
         kAttemptDate, S::kInPsv, F::kFiltrationStage, false},
    Rule{"InPSV", M::kFiltrationStage, "PSVFollowUp2", "PSVFollowUp3", K::kFollowUpStep,
         kAttemptDate, S::kInPsv, F::kFiltrationStage, false},
    Rule{"InPSV", M::kFiltrationStage, kPsvOpen, "PSVFutureFollowUp", K::kFutureFollowUp, kDate,
         S::kInPsv, F::kFiltrationStage, false},
    Rule{"InPSV", M::kFiltrationStage, kPsvOpen, "PSVQualified", K::kQualify, kNoNeed, S::kInPsv,
         F::kFiltrationStage, true},
    Rule{"InPSV", M::kFiltrationStage, kPsvOpen, "PSVDisqualified", K::kDisqualify, kReasons,
         S::kDisqualified, F::kFiltrationStage, false},
    // WEST: the same with West* stages.
    Rule{"InWEST", M::kFiltrationStage, "WestFreshLead", "WestFollowUp1", K::kFollowUpStep,
         kAttemptDate, S::kInWest, F::kFiltrationStage, false},
    Rule{"InWEST", M::kFiltrationStage, "WestFollowUp1", "WestFollowUp2", K::kFollowUpStep,
         kAttemptDate, S::kInWest, F::kFiltrationStage, false},
    Rule{"InWEST", M::kFiltrationStage, "WestFollowUp2", "WestFollowUp3", K::kFollowUpStep,
         kAttemptDate, S::kInWest, F::kFiltrationStage, false},
    Rule{"InWEST", M::kFiltrationStage, kWestOpen, "WestFutureFollowUp", K::kFutureFollowUp, kDate,
         S::kInWest, F::kFiltrationStage, false},
    Rule{"InWEST", M::kFiltrationStage, kWestOpen, "WestQualified", K::kQualify, kNoNeed,
         S::kInWest, F::kFiltrationStage, true},
    Rule{"InWEST", M::kFiltrationStage, kWestOpen, "WestDisqualified", K::kDisqualify, kReasons,
         S::kDisqualified, F::kFiltrationStage, false},
    // Unknown destination: resolved (→ CRM) or one of three closing outcomes.
    Rule{"ResolvingUnknown", M::kAny, "", "UnknownResolved", K::kQualify, kDestination,
         S::kUnknownResolved, F::kNone, true},
    Rule{"ResolvingUnknown", M::kAny, "", "UnknownClientNotResponded", K::kDisqualify, kNoNeed,
         S::kUnknownClientNotResponded, F::kNone, false},
    Rule{"ResolvingUnknown", M::kAny, "", "UnknownClientNotInterested", K::kDisqualify, kNoNeed,
         S::kUnknownClientNotInterested, F::kNone, false},
    Rule{"ResolvingUnknown", M::kAny, "", "UnknownAlreadyAssigned", K::kDisqualify, kNoNeed,
         S::kUnknownAlreadyAssigned, F::kNone, false},
    // Upcoming destination: FollowUp1..4 in order; any → qualified (→ CRM) or disqualified.
    Rule{"UpcomingFreshLead", M::kAny, "", "UpcomingFollowUp1", K::kFollowUpStep, kNoNeed,
         S::kUpcomingFollowUp1, F::kNone, false},
    Rule{"UpcomingFollowUp1", M::kAny, "", "UpcomingFollowUp2", K::kFollowUpStep, kNoNeed,
         S::kUpcomingFollowUp2, F::kNone, false},
    Rule{"UpcomingFollowUp2", M::kAny, "", "UpcomingFollowUp3", K::kFollowUpStep, kNoNeed,
         S::kUpcomingFollowUp3, F::kNone, false},
    Rule{"UpcomingFollowUp3", M::kAny, "", "UpcomingFollowUp4", K::kFollowUpStep, kNoNeed,
         S::kUpcomingFollowUp4, F::kNone, false},
    Rule{kUpcomingOpen, M::kAny, "", "UpcomingQualified", K::kQualify, kNoNeed,
         S::kUpcomingQualified, F::kNone, true},
    Rule{kUpcomingOpen, M::kAny, "", "UpcomingDisqualifiedJunk", K::kDisqualify, kNoNeed,
         S::kUpcomingDisqualifiedJunk, F::kNone, false},
    Rule{kUpcomingOpen, M::kAny, "", "UpcomingDisqualifiedNotInterested", K::kDisqualify, kNoNeed,
         S::kUpcomingDisqualifiedNotInterested, F::kNone, false},
    Rule{kUpcomingOpen, M::kAny, "", "UpcomingDisqualifiedNotResponded", K::kDisqualify, kNoNeed,
         S::kUpcomingDisqualifiedNotResponded, F::kNone, false},
    Rule{kUpcomingOpen, M::kAny, "", "UpcomingDisqualifiedAlreadyAssigned", K::kDisqualify, kNoNeed,
         S::kUpcomingDisqualifiedAlreadyAssigned, F::kNone, false},
    // CRM stages (status Open).
    Rule{"Open", M::kCrmStage, "fresh_lead|closed_for_future_followup", "followup", K::kCrmStage,
         kNoNeed, S::kOpen, F::kCrmStage, false},
    Rule{"Open", M::kCrmStage, "followup|closed_for_future_followup", "won", K::kCrmStage, kBooking,
         S::kWon, F::kCrmStage, false},
    Rule{"Open", M::kCrmStage, kCrmActive, "lost", K::kCrmStage, kLostReason, S::kLost,
         F::kCrmStage, false},
    Rule{"Open", M::kCrmStage, kCrmActive, "closed_for_future_followup", K::kCrmStage, kDate,
         S::kOpen, F::kCrmStage, false},
    // CRM journey sub-stages: forward only, skipping allowed, while fresh_lead or followup.
    Rule{"Open", M::kJourney, "fresh_lead|followup", "FRESH_LEAD", K::kJourney, kNoNeed, S::kOpen,
         F::kSubStage, false},
    Rule{"Open", M::kJourney, "fresh_lead|followup", "HOT_LEAD", K::kJourney, kNoNeed, S::kOpen,
         F::kSubStage, false},
    Rule{"Open", M::kJourney, "fresh_lead|followup", "NEGOTIATION", K::kJourney, kNoNeed, S::kOpen,
         F::kSubStage, false},
    Rule{"Open", M::kJourney, "fresh_lead|followup", "PAYMENT_AWAITED", K::kJourney, kNoNeed,
         S::kOpen, F::kSubStage, false},
    // Dormancy: Open ↔ Dormant keeping the CRM stage; a Dormant duplicate that never was in
    // CRM enters CRM when reactivated.
    Rule{"Open", M::kCrmStage, kCrmActive, "Dormant", K::kDormant, kNoNeed, S::kDormant, F::kNone,
         false},
    Rule{"Dormant", M::kCrmStage, kCrmActive, "Open", K::kReactivate, kNoNeed, S::kOpen, F::kNone,
         false},
    Rule{"Dormant", M::kNoCrm, "", "Open", K::kReactivate, kNoNeed, S::kDormant, F::kNone, true},
};

// True when `name` is one of the '|'-separated names of `list`.
bool listed(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    const auto bar = list.find('|');
    if (list.substr(0, bar) == name) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

bool matches(const Rule& rule, const WorkflowState& s) {
  if (!listed(rule.statuses, to_string(s.status))) return false;
  switch (rule.match) {
    case Match::kAny:
      return true;
    case Match::kFiltrationStage:
      return s.filtration_stage && listed(rule.from, *s.filtration_stage);
    case Match::kCrmStage:
      return s.crm_stage && listed(rule.from, to_string(*s.crm_stage));
    case Match::kJourney: {
      if (!s.crm_stage || !listed(rule.from, to_string(*s.crm_stage))) return false;
      std::optional<std::string_view> current;
      if (s.crm_sub_stage) current = *s.crm_sub_stage;
      return journey_rank(current) < journey_rank(rule.to);
    }
    case Match::kNoCrm:
      return !s.crm_stage.has_value();
  }
  return false;
}

bool has_filtration_facet(OpportunityStatus s) {
  return s == S::kInPsv || s == S::kInWest || s == S::kDisqualified;
}

bool has_crm_facet(OpportunityStatus s) {
  return s == S::kOpen || s == S::kWon || s == S::kLost || s == S::kDormant;
}

WorkflowState next_state(const Rule& rule, const WorkflowState& from) {
  WorkflowState next;
  next.status = rule.status_after;
  if (has_filtration_facet(next.status)) {
    next.filtration_stage =
        rule.facet == Facet::kFiltrationStage ? std::string(rule.to) : from.filtration_stage;
  }
  if (has_crm_facet(next.status)) {
    next.crm_stage = rule.facet == Facet::kCrmStage ? parse_crm_stage(rule.to) : from.crm_stage;
    next.crm_sub_stage =
        rule.facet == Facet::kSubStage ? std::optional<std::string>(rule.to) : from.crm_sub_stage;
  }
  return next;
}

MoveNeeds needs_of(const Rule& rule) {
  MoveNeeds n;
  n.reasons = (rule.needs & kReasons) != 0;
  n.destination = (rule.needs & kDestination) != 0;
  n.next_follow_up_date = (rule.needs & kDate) != 0;
  n.next_attempt_date = (rule.needs & kAttemptDate) != 0;
  n.lost_reason = (rule.needs & kLostReason) != 0;
  n.booking = (rule.needs & kBooking) != 0;
  return n;
}

bool closes(const WorkflowState& next) {
  Opportunity probe;
  probe.status = next.status;
  if (next.filtration_stage) {
    probe.filtration_status.emplace();
    probe.filtration_status->stage = *next.filtration_stage;
  }
  return is_closed(probe);
}

std::string allowed_text(const WorkflowState& state, const std::vector<std::string>& allowed) {
  if (allowed.empty()) return "no move is allowed from " + describe(state);
  return "allowed from " + describe(state) + ": " + join(allowed);
}

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool blank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

// The filtration process a filtration stage belongs to, by its prefix.
FiltrationProcess process_of_stage(std::string_view stage) {
  return stage.starts_with("West") ? FiltrationProcess::kWest : FiltrationProcess::kPsv;
}

}  // namespace

WorkflowState state_of(const Opportunity& opp) {
  WorkflowState s;
  s.status = opp.status;
  if (has_filtration_facet(opp.status)) {
    if (opp.filtration_status && !opp.filtration_status->stage.empty()) {
      s.filtration_stage = opp.filtration_status->stage;
    } else if (opp.status == S::kInPsv) {
      s.filtration_stage = "PSVFreshLead";
    } else if (opp.status == S::kInWest) {
      s.filtration_stage = "WestFreshLead";
    }
  }
  if (has_crm_facet(opp.status)) {
    if (opp.crm_stage_meta) {
      s.crm_stage = opp.crm_stage_meta->stage;
      s.crm_sub_stage = opp.crm_stage_meta->sub_stage;
    } else if (opp.status == S::kOpen) {
      s.crm_stage = CrmStage::kFollowup;
    }
  }
  return s;
}

std::string describe(const WorkflowState& state) {
  std::string out(to_string(state.status));
  std::vector<std::string> facets;
  if (state.filtration_stage) facets.push_back(*state.filtration_stage);
  if (state.crm_stage) facets.emplace_back(to_string(*state.crm_stage));
  if (state.crm_sub_stage) facets.push_back(*state.crm_sub_stage);
  if (!facets.empty()) out += " (" + join(facets) + ")";
  return out;
}

std::vector<std::string_view> psv_stages() {
  return {"PSVFreshLead",      "PSVFollowUp1", "PSVFollowUp2",   "PSVFollowUp3",
          "PSVFutureFollowUp", "PSVQualified", "PSVDisqualified"};
}

std::vector<std::string_view> west_stages() {
  return {"WestFreshLead",      "WestFollowUp1", "WestFollowUp2",   "WestFollowUp3",
          "WestFutureFollowUp", "WestQualified", "WestDisqualified"};
}

Timestamp propose_next_attempt(Timestamp now) {
  return now + kNextAttemptDelay;
}

std::optional<Timestamp> proposed_next_attempt(const WorkflowState& state, Timestamp now) {
  for (const auto& to : allowed_moves(state)) {
    auto plan = plan_move(state, to);
    if (plan && plan->needs.next_attempt_date) return propose_next_attempt(now);
  }
  return std::nullopt;
}

std::string_view to_string(MoveKind kind) {
  switch (kind) {
    case MoveKind::kFollowUpStep:
      return "follow_up_step";
    case MoveKind::kFutureFollowUp:
      return "future_follow_up";
    case MoveKind::kQualify:
      return "qualify";
    case MoveKind::kDisqualify:
      return "disqualify";
    case MoveKind::kCrmStage:
      return "crm_stage";
    case MoveKind::kJourney:
      return "journey";
    case MoveKind::kDormant:
      return "dormant";
    case MoveKind::kReactivate:
      return "reactivate";
  }
  return "?";
}

std::vector<std::string> allowed_moves(const WorkflowState& state) {
  std::vector<std::string> out;
  for (const auto& rule : kRules)
    if (matches(rule, state)) out.emplace_back(rule.to);
  return out;
}

std::vector<std::string_view> all_move_targets() {
  std::vector<std::string_view> out;
  for (const auto& rule : kRules)
    if (std::find(out.begin(), out.end(), rule.to) == out.end()) out.push_back(rule.to);
  return out;
}

std::size_t move_rule_count() {
  return kRules.size();
}

Result<MovePlan> plan_move(const WorkflowState& state, std::string_view to) {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    const Rule& rule = kRules[i];
    if (rule.to != to || !matches(rule, state)) continue;
    MovePlan plan;
    plan.rule = i;
    plan.from = state;
    plan.to = std::string(to);
    plan.kind = rule.kind;
    plan.needs = needs_of(rule);
    plan.next = next_state(rule, state);
    plan.enters_crm = rule.enters_crm;
    plan.closes = closes(plan.next);
    return plan;
  }
  auto allowed = allowed_moves(state);
  const auto targets = all_move_targets();
  if (std::find(targets.begin(), targets.end(), to) == targets.end()) {
    Error e = Error::validation(
        {{"to", "unknown move '" + std::string(to) + "'; " + allowed_text(state, allowed)}},
        "unknown move '" + std::string(to) + "'");
    e.allowed = std::move(allowed);
    return e;
  }
  std::string detail = "cannot move from " + describe(state) + " to " + std::string(to) + "; " +
                       allowed_text(state, allowed);
  return Error::conflict(std::move(detail), std::move(allowed));
}

Status validate_move_input(const MovePlan& plan, const MoveInput& input, Timestamp now) {
  std::vector<FieldError> errors;
  const std::string not_taken = "not taken by the move to " + plan.to;
  bool other_reason = false;

  if (plan.needs.reasons) {
    if (input.reasons.empty()) {
      errors.push_back({"reasons", "at least one reason is required; one of: " +
                                       join(all_disqualification_reasons())});
    }
    for (std::size_t i = 0; i < input.reasons.size(); ++i) {
      const auto& r = input.reasons[i];
      if (!is_valid_disqualification_reason(r)) {
        errors.push_back(
            {"reasons[" + std::to_string(i) + "]",
             "unknown reason '" + r + "'; one of: " + join(all_disqualification_reasons())});
      }
      if (r == "other") other_reason = true;
    }
  } else if (!input.reasons.empty()) {
    errors.push_back({"reasons", not_taken});
  }

  if (plan.needs.destination) {
    if (!input.destination || input.destination->id.empty())
      errors.push_back({"destination", "a destination is required"});
  } else if (input.destination) {
    errors.push_back({"destination", not_taken});
  }

  if (plan.needs.next_follow_up_date) {
    if (!input.next_follow_up_date)
      errors.push_back({"nextFollowUpDate", "a follow-up date is required"});
    else if (*input.next_follow_up_date <= now)
      errors.push_back({"nextFollowUpDate", "must be in the future"});
  } else if (plan.needs.next_attempt_date) {
    if (input.next_follow_up_date && *input.next_follow_up_date <= now)
      errors.push_back({"nextFollowUpDate",
                        "must be in the future: the time of the next attempt (leave it out for "
                        "the proposed one)"});
  } else if (input.next_follow_up_date) {
    errors.push_back({"nextFollowUpDate", not_taken});
  }

  if (plan.needs.lost_reason) {
    std::optional<CrmNotInterestedSubStage> reason;
    if (input.lost_reason) reason = parse_crm_not_interested_sub_stage(*input.lost_reason);
    if (!input.lost_reason) {
      errors.push_back({"lostReason", "a lost reason is required; one of: " +
                                          join(all_crm_not_interested_sub_stages())});
    } else if (!reason) {
      errors.push_back({"lostReason", "unknown lost reason '" + *input.lost_reason + "'; one of: " +
                                          join(all_crm_not_interested_sub_stages())});
    }
    if (reason && *reason == CrmNotInterestedSubStage::kOther) other_reason = true;
    if (reason && input.lost_reason_detail) {
      const auto details = lost_reason_details_for(*reason);
      if (details.empty()) {
        errors.push_back(
            {"lostReasonDetail", "not taken for lostReason '" + *input.lost_reason + "'"});
      } else if (std::find(details.begin(), details.end(), *input.lost_reason_detail) ==
                 details.end()) {
        errors.push_back({"lostReasonDetail", "unknown detail '" + *input.lost_reason_detail +
                                                  "' for lostReason '" + *input.lost_reason +
                                                  "'; one of: " + join(details)});
      }
    }
  } else {
    if (input.lost_reason) errors.push_back({"lostReason", not_taken});
    if (input.lost_reason_detail) errors.push_back({"lostReasonDetail", not_taken});
  }

  if (plan.needs.booking) {
    if (blank(input.booking_id))
      errors.push_back({"bookingId", "is required: the booking's reference"});
    else
      within_limit(limit_of("bookingId"), *input.booking_id, errors);
    if (!input.deal_value)
      errors.push_back(
          {"dealValue", "is required: {\"amount\": \"125000.50\", \"currency\": \"INR\"}"});
    else
      parse_deal_value(input.deal_value->amount, input.deal_value->currency, "dealValue.", errors);
  } else {
    if (input.booking_id) errors.push_back({"bookingId", not_taken});
    if (input.deal_value) errors.push_back({"dealValue", not_taken});
  }

  if (other_reason && blank(input.remarks))
    errors.push_back({"remarks", "required when the reason is 'other'"});
  if (input.remarks && utf8_length(*input.remarks) > kMaxRemarksLength) {
    errors.push_back({"remarks", "at most " + std::to_string(kMaxRemarksLength) + " characters"});
  }

  if (!errors.empty())
    return Error::validation(std::move(errors), "invalid input for the move to " + plan.to);
  return ok_status();
}

Status apply_move(Opportunity& opp, const MovePlan& plan, const MoveInput& input, Timestamp now) {
  const WorkflowState current = state_of(opp);
  if (current != plan.from) {
    return Error::conflict("the opportunity is now " + describe(current) + ", not " +
                               describe(plan.from) + "; plan the move again",
                           allowed_moves(current));
  }
  if (auto valid = validate_move_input(plan, input, now); !valid) return valid;

  const WorkflowState& next = plan.next;
  opp.status = next.status;

  if (next.filtration_stage) {
    if (!opp.filtration_status) {
      FiltrationStatus fs;
      fs.filter = opp.filteration_process.value_or(process_of_stage(*next.filtration_stage));
      opp.filtration_status = fs;
    }
    opp.filtration_status->stage = *next.filtration_stage;
  }
  if (plan.needs.reasons) {
    std::vector<std::string> reasons;
    for (const auto& r : input.reasons)
      if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(r);
    opp.filtration_status->disqualification_reason = std::move(reasons);
  }

  if (next.crm_stage) {
    if (!opp.crm_stage_meta) opp.crm_stage_meta.emplace();
    opp.crm_stage_meta->stage = *next.crm_stage;
    opp.crm_stage_meta->sub_stage = next.crm_sub_stage;
  }
  if (plan.needs.lost_reason) {
    opp.crm_stage_meta->rejection_reason = input.lost_reason;
    opp.crm_stage_meta->not_intersted_reasons = input.lost_reason_detail;
  }

  if (plan.needs.destination) opp.destination = input.destination;
  if (plan.needs.booking) {
    std::vector<FieldError> unused;  // validated above
    opp.booking_id = input.booking_id;
    opp.deal_value =
        parse_deal_value(input.deal_value->amount, input.deal_value->currency, "", unused);
  }

  if (plan.needs.next_follow_up_date)
    opp.next_follow_up_date = input.next_follow_up_date;
  else if (plan.needs.next_attempt_date)
    opp.next_follow_up_date = input.next_follow_up_date.value_or(propose_next_attempt(now));
  else if (plan.closes)
    opp.next_follow_up_date.reset();

  if (plan.kind == MoveKind::kQualify || plan.kind == MoveKind::kDisqualify) {
    opp.is_qualified = plan.kind == MoveKind::kQualify;
    opp.qualification_status = plan.to;
    if (input.actor) opp.qualified_by = input.actor;
  }

  // input.remarks is the mover's comment, recorded by the caller on the move's activity: the
  // opportunity's `remarks` are what the customer said and change only through an edit.
  opp.updated_at = now;
  return ok_status();
}

}  // namespace leadproc
