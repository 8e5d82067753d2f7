// Follow-up vocabulary (spec "Opportunity Follow-ups Collection", PRODUCT.md "Follow-ups, notes,
// SLA"): the status and sub-stage enums with their wire strings verbatim, the outcome recorded
// when a follow-up is completed, and the pure rules of the follow-up sequence and of the
// first-contact SLA. Standard library only (model.h includes this header).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace leadproc {

// FollowUpStatus: "active" (pending), "canceled", "completed".
enum class FollowUpStatus { kActive, kCanceled, kCompleted };

// CrmFollowupSubStage, in sequence order: "first_contact", "second_followup", "third_followup",
// "future_followup".
enum class FollowUpSubStage { kFirstContact, kSecondFollowup, kThirdFollowup, kFutureFollowup };

// What a completed follow-up achieved (an addition to the spec, stored as `outcome`):
// "connected" (spoke to the client), "not_responded" (no answer; the detail, if any, from
// CrmNotRespondedScenarios), "not_interested" (the client is dropping the plan; the detail, if
// any, from CrmPlanDroppedSurReasons). The detail goes to the follow-up's notInterestedReason.
enum class FollowUpOutcome { kConnected, kNotResponded, kNotInterested };

std::string_view to_string(FollowUpStatus v);
std::string_view to_string(FollowUpSubStage v);
std::string_view to_string(FollowUpOutcome v);
std::optional<FollowUpStatus> parse_followup_status(std::string_view s);
std::optional<FollowUpSubStage> parse_followup_sub_stage(std::string_view s);
std::optional<FollowUpOutcome> parse_followup_outcome(std::string_view s);
std::vector<std::string_view> all_followup_outcomes();

// The sub-stage of the next follow-up of an opportunity on which `completed` follow-ups were
// completed so far: 0 → first_contact, 1 → second_followup, 2 → third_followup, ≥3 →
// future_followup. (Canceled follow-ups do not count: a canceled first contact is still owed.)
FollowUpSubStage sub_stage_after(int completed);

// The details a completion with `outcome` may carry in notInterestedReason (empty: none).
std::vector<std::string_view> outcome_details_for(FollowUpOutcome outcome);

// The first-contact SLA: the first-contact follow-up must be completed within this long after
// CRM entry (PRODUCT.md), and CRM entry schedules it this long ahead.
inline constexpr std::chrono::hours kFirstContactSla{24};

// Notes, follow-up notes and remarks: at most this many characters (UTF-8 code points).
inline constexpr std::size_t kMaxNoteLength = 2000;

// The number of UTF-8 code points of `s` (bytes that are not continuation bytes).
std::size_t text_length(std::string_view s);

}  // namespace leadproc
