#include "domain/reasons.h"

#include <array>
#include <utility>

namespace leadproc {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

using DR = DisqualificationReason;
constexpr Table<DR, 13> kDisqualificationReasons{{
    {DR::kJunk, "junk"},
    {DR::kWrongNumber, "wrong_number"},
    {DR::kNotInterested, "not_interested"},
    {DR::kNotResponded, "not_responded"},
    {DR::kBudgetIssue, "budget_issue"},
    {DR::kPlanDropped, "plan_dropped"},
    {DR::kBookedElsewhere, "booked_elsewhere"},
    {DR::kDuplicate, "duplicate"},
    {DR::kDestinationNotServiced, "destination_not_serviced"},
    {DR::kServiceNotOffered, "service_not_offered"},
    {DR::kJobSeeker, "job_seeker"},
    {DR::kLanguageBarrier, "language_barrier"},
    {DR::kOther, "other"},
}};

using JC = CrmJourneyCheckpoint;
constexpr Table<JC, 4> kJourney{{
    {JC::kFreshLead, "FRESH_LEAD"},
    {JC::kHotLead, "HOT_LEAD"},
    {JC::kNegotiation, "NEGOTIATION"},
    {JC::kPaymentAwaited, "PAYMENT_AWAITED"},
}};

using NI = CrmNotInterestedSubStage;
constexpr Table<NI, 9> kNotInterested{{
    {NI::kPlanDropped, "plan_dropped"},
    {NI::kNotResponded, "not_responded"},
    {NI::kBookedElsewhere, "booked_elsewhere"},
    {NI::kBudgetIssue, "budget_issue"},
    {NI::kItineraryMismatch, "itinerary_mismatch"},
    {NI::kVisaRejected, "visa_rejected"},
    {NI::kDestinationChanged, "destination_changed"},
    {NI::kDuplicate, "duplicate"},
    {NI::kOther, "other"},
}};

using PD = CrmPlanDroppedReason;
constexpr Table<PD, 9> kPlanDropped{{
    {PD::kPersonalReasons, "personal_reasons"},
    {PD::kMedicalEmergency, "medical_emergency"},
    {PD::kFinancialConstraints, "financial_constraints"},
    {PD::kWorkCommitments, "work_commitments"},
    {PD::kTravelPostponed, "travel_postponed"},
    {PD::kVisaIssues, "visa_issues"},
    {PD::kSafetyConcerns, "safety_concerns"},
    {PD::kGroupDroppedOut, "group_dropped_out"},
    {PD::kOther, "other"},
}};

using NR = CrmNotRespondedScenario;
constexpr Table<NR, 7> kNotResponded{{
    {NR::kCallNotAnswered, "call_not_answered"},
    {NR::kNotReachable, "not_reachable"},
    {NR::kCallDisconnected, "call_disconnected"},
    {NR::kNumberBusy, "number_busy"},
    {NR::kInvalidNumber, "invalid_number"},
    {NR::kWhatsappNoReply, "whatsapp_no_reply"},
    {NR::kStoppedRespondingAfterQuote, "stopped_responding_after_quote"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const Table<E, N>& t, E v) {
  for (const auto& [e, s] : t)
    if (e == v) return s;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> parse_in(const Table<E, N>& t, std::string_view s) {
  for (const auto& [e, name] : t)
    if (name == s) return e;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<std::string_view> names(const Table<E, N>& t) {
  std::vector<std::string_view> out;
  out.reserve(N);
  for (const auto& entry : t) out.push_back(entry.second);
  return out;
}

}  // namespace

std::string_view to_string(DisqualificationReason v) {
  return name_of(kDisqualificationReasons, v);
}
std::string_view to_string(CrmJourneyCheckpoint v) {
  return name_of(kJourney, v);
}
std::string_view to_string(CrmNotInterestedSubStage v) {
  return name_of(kNotInterested, v);
}
std::string_view to_string(CrmPlanDroppedReason v) {
  return name_of(kPlanDropped, v);
}
std::string_view to_string(CrmNotRespondedScenario v) {
  return name_of(kNotResponded, v);
}

std::optional<DisqualificationReason> parse_disqualification_reason(std::string_view s) {
  return parse_in(kDisqualificationReasons, s);
}
std::optional<CrmJourneyCheckpoint> parse_crm_journey_checkpoint(std::string_view s) {
  return parse_in(kJourney, s);
}
std::optional<CrmNotInterestedSubStage> parse_crm_not_interested_sub_stage(std::string_view s) {
  return parse_in(kNotInterested, s);
}
std::optional<CrmPlanDroppedReason> parse_crm_plan_dropped_reason(std::string_view s) {
  return parse_in(kPlanDropped, s);
}
std::optional<CrmNotRespondedScenario> parse_crm_not_responded_scenario(std::string_view s) {
  return parse_in(kNotResponded, s);
}

bool is_valid_disqualification_reason(std::string_view s) {
  return parse_disqualification_reason(s).has_value();
}
bool is_valid_crm_journey_checkpoint(std::string_view s) {
  return parse_crm_journey_checkpoint(s).has_value();
}
bool is_valid_crm_not_interested_sub_stage(std::string_view s) {
  return parse_crm_not_interested_sub_stage(s).has_value();
}
bool is_valid_crm_plan_dropped_reason(std::string_view s) {
  return parse_crm_plan_dropped_reason(s).has_value();
}
bool is_valid_crm_not_responded_scenario(std::string_view s) {
  return parse_crm_not_responded_scenario(s).has_value();
}

std::vector<std::string_view> all_disqualification_reasons() {
  return names(kDisqualificationReasons);
}
std::vector<std::string_view> all_crm_journey_checkpoints() {
  return names(kJourney);
}
std::vector<std::string_view> all_crm_not_interested_sub_stages() {
  return names(kNotInterested);
}
std::vector<std::string_view> all_crm_plan_dropped_reasons() {
  return names(kPlanDropped);
}
std::vector<std::string_view> all_crm_not_responded_scenarios() {
  return names(kNotResponded);
}

std::vector<std::string_view> lost_reason_details_for(CrmNotInterestedSubStage reason) {
  switch (reason) {
    case CrmNotInterestedSubStage::kPlanDropped:
      return names(kPlanDropped);
    case CrmNotInterestedSubStage::kNotResponded:
      return names(kNotResponded);
    default:
      return {};
  }
}

int journey_rank(std::optional<std::string_view> sub_stage) {
  if (!sub_stage) return -1;
  for (std::size_t i = 0; i < kJourney.size(); ++i)
    if (kJourney[i].second == *sub_stage) return static_cast<int>(i);
  return -1;
}

}  // namespace leadproc
