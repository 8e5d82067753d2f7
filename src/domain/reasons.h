// The enums the spec names but does not list, defined here in one place (docs/workflow.md
// "Reason lists" explains each value). Their wire strings are snake_case, except the CRM journey
// checkpoints, whose values the spec spells out in its prose (FRESH_LEAD → HOT_LEAD →
// NEGOTIATION → PAYMENT_AWAITED). Like enums.h: to_string(), parse_*() returning nullopt for an
// unknown string, is_valid_*() and all_*() (every wire value in declaration order, for error
// messages and generated tests).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace leadproc {

// PSV_DISQUALIFICATION_REASONS: why a PSV/WEST agent disqualifies a lead
// (filtrationStatus.disqualificationReason[]).
enum class DisqualificationReason {
  kJunk,                    // "junk": spam, test or gibberish enquiry
  kWrongNumber,             // "wrong_number": number invalid or not the enquirer's
  kNotInterested,           // "not_interested": says they never meant to travel
  kNotResponded,            // "not_responded": no answer through the follow-ups
  kBudgetIssue,             // "budget_issue": budget far below what the trip costs
  kPlanDropped,             // "plan_dropped": the trip is cancelled
  kBookedElsewhere,         // "booked_elsewhere": already booked with someone else
  kDuplicate,               // "duplicate": already being worked in another opportunity
  kDestinationNotServiced,  // "destination_not_serviced": wants a place we do not sell
  kServiceNotOffered,       // "service_not_offered": wants only flights / visa / hotel
  kJobSeeker,               // "job_seeker": calls for a job, not a trip
  kLanguageBarrier,         // "language_barrier": no shared language with the agents
  kOther,                   // "other": requires remarks
};

// CrmLeadJourneyCheckPoints: crmStageMeta.subStage, in journey order.
enum class CrmJourneyCheckpoint { kFreshLead, kHotLead, kNegotiation, kPaymentAwaited };

// CrmNotInterestedSubStage: why a CRM opportunity is lost (crmStageMeta.rejectionReason). This
// list is the lost reasons: a move to `lost` requires one of them.
enum class CrmNotInterestedSubStage {
  kPlanDropped,         // "plan_dropped": detail from CrmPlanDroppedSurReasons
  kNotResponded,        // "not_responded": detail from CrmNotRespondedScenarios
  kBookedElsewhere,     // "booked_elsewhere"
  kBudgetIssue,         // "budget_issue": our price is above the client's budget
  kItineraryMismatch,   // "itinerary_mismatch": no package fits what they want
  kVisaRejected,        // "visa_rejected"
  kDestinationChanged,  // "destination_changed": now wants a place we do not sell
  kDuplicate,           // "duplicate": the same trip is handled in another opportunity
  kOther,               // "other": requires remarks
};

// CrmPlanDroppedSurReasons: the detail of a `plan_dropped` loss (crmStageMeta.notInterstedReasons).
enum class CrmPlanDroppedReason {
  kPersonalReasons,       // "personal_reasons"
  kMedicalEmergency,      // "medical_emergency"
  kFinancialConstraints,  // "financial_constraints"
  kWorkCommitments,       // "work_commitments"
  kTravelPostponed,       // "travel_postponed": no new date yet
  kVisaIssues,            // "visa_issues"
  kSafetyConcerns,        // "safety_concerns": weather, unrest, health advisories
  kGroupDroppedOut,       // "group_dropped_out": the travel companions pulled out
  kOther,                 // "other"
};

// CrmNotRespondedScenarios: the detail of a `not_responded` loss
// (crmStageMeta.notInterstedReasons).
enum class CrmNotRespondedScenario {
  kCallNotAnswered,              // "call_not_answered": rings, nobody picks up
  kNotReachable,                 // "not_reachable": switched off / out of coverage
  kCallDisconnected,             // "call_disconnected": hangs up on hearing who calls
  kNumberBusy,                   // "number_busy"
  kInvalidNumber,                // "invalid_number": the number no longer works
  kWhatsappNoReply,              // "whatsapp_no_reply": messages read or delivered, no answer
  kStoppedRespondingAfterQuote,  // "stopped_responding_after_quote"
};

std::string_view to_string(DisqualificationReason v);
std::string_view to_string(CrmJourneyCheckpoint v);
std::string_view to_string(CrmNotInterestedSubStage v);
std::string_view to_string(CrmPlanDroppedReason v);
std::string_view to_string(CrmNotRespondedScenario v);

std::optional<DisqualificationReason> parse_disqualification_reason(std::string_view s);
std::optional<CrmJourneyCheckpoint> parse_crm_journey_checkpoint(std::string_view s);
std::optional<CrmNotInterestedSubStage> parse_crm_not_interested_sub_stage(std::string_view s);
std::optional<CrmPlanDroppedReason> parse_crm_plan_dropped_reason(std::string_view s);
std::optional<CrmNotRespondedScenario> parse_crm_not_responded_scenario(std::string_view s);

bool is_valid_disqualification_reason(std::string_view s);
bool is_valid_crm_journey_checkpoint(std::string_view s);
bool is_valid_crm_not_interested_sub_stage(std::string_view s);
bool is_valid_crm_plan_dropped_reason(std::string_view s);
bool is_valid_crm_not_responded_scenario(std::string_view s);

std::vector<std::string_view> all_disqualification_reasons();
std::vector<std::string_view> all_crm_journey_checkpoints();
std::vector<std::string_view> all_crm_not_interested_sub_stages();
std::vector<std::string_view> all_crm_plan_dropped_reasons();
std::vector<std::string_view> all_crm_not_responded_scenarios();

// The list a `lost` move's detail (crmStageMeta.notInterstedReasons) is drawn from for this
// rejection reason: plan_dropped → CrmPlanDroppedSurReasons, not_responded →
// CrmNotRespondedScenarios, every other reason → empty (no detail is taken).
std::vector<std::string_view> lost_reason_details_for(CrmNotInterestedSubStage reason);

// The position of a journey checkpoint (0 = FRESH_LEAD .. 3 = PAYMENT_AWAITED); -1 for an absent
// or unrecognised sub-stage, which counts as before every checkpoint.
int journey_rank(std::optional<std::string_view> sub_stage);

}  // namespace leadproc
