#include "app/access.h"

namespace leadproc {
namespace {

bool is_psv(const Opportunity& opp, const Id& user) {
  return opp.assigned_psv && opp.assigned_psv->id == user;
}
bool is_west(const Opportunity& opp, const Id& user) {
  return opp.assigned_west && opp.assigned_west->id == user;
}
bool is_owner(const Opportunity& opp, const Id& user) {
  return opp.opportunity_owner && *opp.opportunity_owner == user;
}

}  // namespace

bool can_access(const Principal& p, const Opportunity& opp) {
  if (!p.is_user()) return false;
  if (p.is_admin()) return true;
  return is_psv(opp, p.id) || is_west(opp, p.id) || is_owner(opp, p.id);
}

bool can_modify(const Principal& p, const Opportunity& opp) {
  if (!p.is_user()) return false;
  switch (p.department) {
    case Department::kAdmin:
      return true;
    // An agent works a lead in pre-sales verification; once it entered the CRM phase
    // (isPushed) it is the sales person's, and the agent keeps only sight of it (can_access).
    case Department::kPsv:
      return is_psv(opp, p.id) && !opp.is_pushed;
    case Department::kWest:
      return is_west(opp, p.id) && !opp.is_pushed;
    case Department::kSales:
      return is_owner(opp, p.id);
  }
  return false;
}

bool restrict_to_scope(const Principal& p, OpportunityFilter& filter) {
  if (!p.is_user()) return false;
  if (p.is_admin()) return true;
  if (filter.assignee && *filter.assignee != p.id) return false;
  filter.assignee = p.id;
  return true;
}

}  // namespace leadproc
