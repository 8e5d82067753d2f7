#include "domain/enums.h"

#include "domain/name_table.h"

#include <array>
#include <utility>

namespace leadproc {
namespace {

template <typename E, std::size_t N>
using Table = NameTable<E, N>;

constexpr Table<Department, 4> kDepartments{{{Department::kSales, "SALES"},
                                             {Department::kPsv, "PSV"},
                                             {Department::kWest, "WEST"},
                                             {Department::kAdmin, "ADMIN"}}};

constexpr Table<AvailabilityProcess, 4> kAvailabilityProcesses{
    {{AvailabilityProcess::kSales, "Sales"},
     {AvailabilityProcess::kPsv, "PSV"},
     {AvailabilityProcess::kWest, "West"},
     {AvailabilityProcess::kJunkAutomation, "JunkAutomation"}}};

constexpr Table<FiltrationProcess, 5> kFiltrationProcesses{
    {{FiltrationProcess::kPsv, "PSV"},
     {FiltrationProcess::kWest, "WEST"},
     {FiltrationProcess::kNoFilter, "NO-FILTER"},
     {FiltrationProcess::kUnknown, "UNKNOWN"},
     {FiltrationProcess::kUpcoming, "UPCOMING"}}};

constexpr Table<Platform, 9> kPlatforms{{{Platform::kInstagram, "instagram"},
                                         {Platform::kWhatsappBot, "whatsapp_bot"},
                                         {Platform::kDc, "dc"},
                                         {Platform::kWebsite, "website"},
                                         {Platform::kPaidAds, "paid_ads"},
                                         {Platform::kJunkAutomation, "junk_automation"},
                                         {Platform::kReferral, "referral"},
                                         {Platform::kGoogleAdsWest, "google_ads_west"},
                                         {Platform::kCrmDirect, "crm_direct"}}};

constexpr Table<OpportunityStatus, 23> kStatuses{
    {{OpportunityStatus::kUnderProcessing, "UnderProcessing"},
     {OpportunityStatus::kInPsv, "InPSV"},
     {OpportunityStatus::kInWest, "InWEST"},
     {OpportunityStatus::kResolvingUnknown, "ResolvingUnknown"},
     {OpportunityStatus::kUnknownResolved, "UnknownResolved"},
     {OpportunityStatus::kUnknownClientNotResponded, "UnknownClientNotResponded"},
     {OpportunityStatus::kUnknownClientNotInterested, "UnknownClientNotInterested"},
     {OpportunityStatus::kUnknownAlreadyAssigned, "UnknownAlreadyAssigned"},
     {OpportunityStatus::kUpcomingFreshLead, "UpcomingFreshLead"},
     {OpportunityStatus::kUpcomingFollowUp1, "UpcomingFollowUp1"},
     {OpportunityStatus::kUpcomingFollowUp2, "UpcomingFollowUp2"},
     {OpportunityStatus::kUpcomingFollowUp3, "UpcomingFollowUp3"},
     {OpportunityStatus::kUpcomingFollowUp4, "UpcomingFollowUp4"},
     {OpportunityStatus::kUpcomingQualified, "UpcomingQualified"},
     {OpportunityStatus::kUpcomingDisqualifiedJunk, "UpcomingDisqualifiedJunk"},
     {OpportunityStatus::kUpcomingDisqualifiedNotInterested, "UpcomingDisqualifiedNotInterested"},
     {OpportunityStatus::kUpcomingDisqualifiedNotResponded, "UpcomingDisqualifiedNotResponded"},
     {OpportunityStatus::kUpcomingDisqualifiedAlreadyAssigned,
      "UpcomingDisqualifiedAlreadyAssigned"},
     {OpportunityStatus::kOpen, "Open"},
     {OpportunityStatus::kWon, "Won"},
     {OpportunityStatus::kLost, "Lost"},
     {OpportunityStatus::kDormant, "Dormant"},
     {OpportunityStatus::kDisqualified, "Disqualified"}}};

constexpr Table<CrmStage, 5> kCrmStages{
    {{CrmStage::kFreshLead, "fresh_lead"},
     {CrmStage::kFollowup, "followup"},
     {CrmStage::kLost, "lost"},
     {CrmStage::kWon, "won"},
     {CrmStage::kClosedForFutureFollowup, "closed_for_future_followup"}}};

constexpr Table<ActivityPhase, 6> kPhases{{{ActivityPhase::kPsv, "PSV"},
                                           {ActivityPhase::kWest, "WEST"},
                                           {ActivityPhase::kCrm, "CRM"},
                                           {ActivityPhase::kSync, "SYNC"},
                                           {ActivityPhase::kUnknown, "UNKNOWN"},
                                           {ActivityPhase::kUpcoming, "UPCOMING"}}};

template <typename E, std::size_t N>
std::vector<std::string_view> names(const Table<E, N>& t) {
  std::vector<std::string_view> out;
  for (const auto& entry : t) out.push_back(entry.second);
  return out;
}

}  // namespace

std::string_view to_string(Department v) {
  return name_of(kDepartments, v);
}
std::string_view to_string(AvailabilityProcess v) {
  return name_of(kAvailabilityProcesses, v);
}
std::string_view to_string(FiltrationProcess v) {
  return name_of(kFiltrationProcesses, v);
}
std::string_view to_string(Platform v) {
  return name_of(kPlatforms, v);
}
std::string_view to_string(OpportunityStatus v) {
  return name_of(kStatuses, v);
}
std::string_view to_string(CrmStage v) {
  return name_of(kCrmStages, v);
}
std::string_view to_string(ActivityPhase v) {
  return name_of(kPhases, v);
}

std::optional<Department> parse_department(std::string_view s) {
  return parse_in(kDepartments, s);
}
std::optional<AvailabilityProcess> parse_availability_process(std::string_view s) {
  return parse_in(kAvailabilityProcesses, s);
}
std::optional<FiltrationProcess> parse_filtration_process(std::string_view s) {
  return parse_in(kFiltrationProcesses, s);
}
std::optional<Platform> parse_platform(std::string_view s) {
  return parse_in(kPlatforms, s);
}
std::optional<OpportunityStatus> parse_opportunity_status(std::string_view s) {
  return parse_in(kStatuses, s);
}
std::optional<CrmStage> parse_crm_stage(std::string_view s) {
  return parse_in(kCrmStages, s);
}
std::optional<ActivityPhase> parse_activity_phase(std::string_view s) {
  return parse_in(kPhases, s);
}

std::vector<std::string_view> all_departments() {
  return names(kDepartments);
}
std::vector<std::string_view> all_availability_processes() {
  return names(kAvailabilityProcesses);
}
std::vector<std::string_view> all_filtration_processes() {
  return names(kFiltrationProcesses);
}
std::vector<std::string_view> all_platforms() {
  return names(kPlatforms);
}
std::vector<std::string_view> all_opportunity_statuses() {
  return names(kStatuses);
}

std::optional<Department> department_for(AvailabilityProcess p) {
  switch (p) {
    case AvailabilityProcess::kSales:
      return Department::kSales;
    case AvailabilityProcess::kPsv:
      return Department::kPsv;
    case AvailabilityProcess::kWest:
      return Department::kWest;
    case AvailabilityProcess::kJunkAutomation:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace leadproc
