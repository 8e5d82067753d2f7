#include "domain/followup.h"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/reasons.h"

namespace leadproc {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<FollowUpStatus, 3> kStatuses{{{FollowUpStatus::kActive, "active"},
                                              {FollowUpStatus::kCanceled, "canceled"},
                                              {FollowUpStatus::kCompleted, "completed"}}};

constexpr Table<FollowUpSubStage, 4> kSubStages{
    {{FollowUpSubStage::kFirstContact, "first_contact"},
     {FollowUpSubStage::kSecondFollowup, "second_followup"},
     {FollowUpSubStage::kThirdFollowup, "third_followup"},
     {FollowUpSubStage::kFutureFollowup, "future_followup"}}};

constexpr Table<FollowUpOutcome, 3> kOutcomes{
    {{FollowUpOutcome::kConnected, "connected"},
     {FollowUpOutcome::kNotResponded, "not_responded"},
     {FollowUpOutcome::kNotInterested, "not_interested"}}};

template <typename E, std::size_t N>
std::string_view name_of(const Table<E, N>& table, E v) {
  for (const auto& [e, name] : table)
    if (e == v) return name;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Table<E, N>& table, std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FollowUpStatus v) {
  return name_of(kStatuses, v);
}
std::string_view to_string(FollowUpSubStage v) {
  return name_of(kSubStages, v);
}
std::string_view to_string(FollowUpOutcome v) {
  return name_of(kOutcomes, v);
}
std::optional<FollowUpStatus> parse_followup_status(std::string_view s) {
  return value_of(kStatuses, s);
}
std::optional<FollowUpSubStage> parse_followup_sub_stage(std::string_view s) {
  return value_of(kSubStages, s);
}
std::optional<FollowUpOutcome> parse_followup_outcome(std::string_view s) {
  return value_of(kOutcomes, s);
}

std::vector<std::string_view> all_followup_outcomes() {
  std::vector<std::string_view> out;
  for (const auto& entry : kOutcomes) out.push_back(entry.second);
  return out;
}

FollowUpSubStage sub_stage_after(int completed) {
  switch (completed) {
    case 0:
      return FollowUpSubStage::kFirstContact;
    case 1:
      return FollowUpSubStage::kSecondFollowup;
    case 2:
      return FollowUpSubStage::kThirdFollowup;
    default:
      return completed < 0 ? FollowUpSubStage::kFirstContact : FollowUpSubStage::kFutureFollowup;
  }
}

std::vector<std::string_view> outcome_details_for(FollowUpOutcome outcome) {
  switch (outcome) {
    case FollowUpOutcome::kNotResponded:
      return all_crm_not_responded_scenarios();
    case FollowUpOutcome::kNotInterested:
      return all_crm_plan_dropped_reasons();
    case FollowUpOutcome::kConnected:
      break;
  }
  return {};
}

std::size_t text_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace leadproc
