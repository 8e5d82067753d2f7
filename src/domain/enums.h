// The spec's enums with their wire strings verbatim (PRODUCT.md "Compatibility"). Each enum has
// to_string() and a parse_*() that returns nullopt for an unknown string.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace leadproc {

enum class Department { kSales, kPsv, kWest, kAdmin };
enum class AvailabilityProcess { kSales, kPsv, kWest, kJunkAutomation };
enum class FiltrationProcess { kPsv, kWest, kNoFilter, kUnknown, kUpcoming };
enum class Platform {
  kInstagram,
  kWhatsappBot,
  kDc,
  kWebsite,
  kPaidAds,
  kJunkAutomation,
  kReferral,
  kGoogleAdsWest,
  kCrmDirect
};
enum class OpportunityStatus {
  kUnderProcessing,
  kInPsv,
  kInWest,
  kResolvingUnknown,
  kUnknownResolved,
  kUnknownClientNotResponded,
  kUnknownClientNotInterested,
  kUnknownAlreadyAssigned,
  kUpcomingFreshLead,
  kUpcomingFollowUp1,
  kUpcomingFollowUp2,
  kUpcomingFollowUp3,
  kUpcomingFollowUp4,
  kUpcomingQualified,
  kUpcomingDisqualifiedJunk,
  kUpcomingDisqualifiedNotInterested,
  kUpcomingDisqualifiedNotResponded,
  kUpcomingDisqualifiedAlreadyAssigned,
  kOpen,
  kWon,
  kLost,
  kDormant,
  kDisqualified
};
enum class CrmStage { kFreshLead, kFollowup, kLost, kWon, kClosedForFutureFollowup };
enum class ActivityPhase { kPsv, kWest, kCrm, kSync, kUnknown, kUpcoming };

std::string_view to_string(Department v);
std::string_view to_string(AvailabilityProcess v);
std::string_view to_string(FiltrationProcess v);
std::string_view to_string(Platform v);
std::string_view to_string(OpportunityStatus v);
std::string_view to_string(CrmStage v);
std::string_view to_string(ActivityPhase v);

std::optional<Department> parse_department(std::string_view s);
std::optional<AvailabilityProcess> parse_availability_process(std::string_view s);
std::optional<FiltrationProcess> parse_filtration_process(std::string_view s);
std::optional<Platform> parse_platform(std::string_view s);
std::optional<OpportunityStatus> parse_opportunity_status(std::string_view s);
std::optional<CrmStage> parse_crm_stage(std::string_view s);
std::optional<ActivityPhase> parse_activity_phase(std::string_view s);

// Every wire value of an enum, in declaration order (for error messages and generated tests).
std::vector<std::string_view> all_departments();
std::vector<std::string_view> all_availability_processes();
std::vector<std::string_view> all_filtration_processes();
std::vector<std::string_view> all_platforms();
std::vector<std::string_view> all_opportunity_statuses();

// The department whose users may sit in a pool of this process (Sales<->SALES, PSV<->PSV,
// West<->WEST); nullopt for JunkAutomation, which no person works.
std::optional<Department> department_for(AvailabilityProcess p);

}  // namespace leadproc
