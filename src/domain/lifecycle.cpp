#include "domain/lifecycle.h"

namespace leadproc {

bool is_closed(const Opportunity& opp) {
  using S = OpportunityStatus;
  switch (opp.status) {
    case S::kWon:
    case S::kLost:
    case S::kDisqualified:
    case S::kUnknownClientNotResponded:
    case S::kUnknownClientNotInterested:
    case S::kUnknownAlreadyAssigned:
    case S::kUpcomingDisqualifiedJunk:
    case S::kUpcomingDisqualifiedNotInterested:
    case S::kUpcomingDisqualifiedNotResponded:
    case S::kUpcomingDisqualifiedAlreadyAssigned:
      return true;
    default:
      break;
  }
  if (opp.filtration_status) {
    const auto& stage = opp.filtration_status->stage;
    if (stage == "PSVDisqualified" || stage == "WestDisqualified") return true;
  }
  return false;
}

ActivityPhase phase_of(const Opportunity& opp) {
  using S = OpportunityStatus;
  switch (opp.status) {
    case S::kInPsv:
      return ActivityPhase::kPsv;
    case S::kInWest:
      return ActivityPhase::kWest;
    case S::kOpen:
    case S::kWon:
    case S::kLost:
      return ActivityPhase::kCrm;
    case S::kResolvingUnknown:
    case S::kUnknownResolved:
    case S::kUnknownClientNotResponded:
    case S::kUnknownClientNotInterested:
    case S::kUnknownAlreadyAssigned:
      return ActivityPhase::kUnknown;
    case S::kUpcomingFreshLead:
    case S::kUpcomingFollowUp1:
    case S::kUpcomingFollowUp2:
    case S::kUpcomingFollowUp3:
    case S::kUpcomingFollowUp4:
    case S::kUpcomingQualified:
    case S::kUpcomingDisqualifiedJunk:
    case S::kUpcomingDisqualifiedNotInterested:
    case S::kUpcomingDisqualifiedNotResponded:
    case S::kUpcomingDisqualifiedAlreadyAssigned:
      return ActivityPhase::kUpcoming;
    default:
      break;
  }
  if (opp.filteration_process == FiltrationProcess::kPsv) return ActivityPhase::kPsv;
  if (opp.filteration_process == FiltrationProcess::kWest) return ActivityPhase::kWest;
  return ActivityPhase::kSync;
}

AvailabilityProcess pool_for(FiltrationProcess process) {
  switch (process) {
    case FiltrationProcess::kWest:
      return AvailabilityProcess::kWest;
    case FiltrationProcess::kNoFilter:
      return AvailabilityProcess::kSales;
    case FiltrationProcess::kPsv:
    case FiltrationProcess::kUnknown:
    case FiltrationProcess::kUpcoming:
      return AvailabilityProcess::kPsv;
  }
  return AvailabilityProcess::kPsv;
}

}  // namespace leadproc
