// Who is calling, and what they may see (PRODUCT.md "Users and access"; docs/api-auth.md).
//
// Route-level rules (which departments may call an endpoint) are declared with each route
// (src/http/router.h, Access). The rules here are the per-resource scope that a handler applies
// once it has loaded the resource: ADMIN sees and changes everything; PSV and WEST agents the
// leads assigned to them; SALES the opportunities they own. A resource outside the caller's scope
// is answered as if it did not exist (404), so ids of other people's leads leak nothing.
#pragma once

#include <optional>
#include <string>

#include "app/store.h"
#include "domain/model.h"

namespace leadproc {

// The authenticated caller: a user (logged in with a bearer token) or a lead source (an API key).
struct Principal {
  enum class Kind { kUser, kApiKey };
  Kind kind = Kind::kUser;
  Id id;  // the user's or the API key's _id

  // Users only.
  Department department = Department::kSales;  // read from the user at each request
  std::string email;
  Id session_id;  // the session the bearer token belongs to (for logout)
  Timestamp session_expiry{};

  // API keys only.
  std::string key_name;
  Platform platform = Platform::kWebsite;  // leadSource.platform of leads that name none

  bool is_user() const { return kind == Kind::kUser; }
  bool is_admin() const { return is_user() && department == Department::kAdmin; }
  // The user to record as createdBy / modifiedBy / activityBy; nullopt for an API key.
  std::optional<Id> actor() const {
    if (!is_user()) return std::nullopt;
    return id;
  }
};

// True iff the principal may see `opp`: an admin always; another user when they are its
// assignedPsv, assignedWest or opportunityOwner (an agent keeps sight of a lead they qualified);
// an API key never.
bool can_access(const Principal& p, const Opportunity& opp);

// True iff the principal may change `opp` (move its stage, edit it, add follow-ups and notes):
// an admin always; a PSV user as its assignedPsv and a WEST user as its assignedWest while it is
// in pre-sales (not yet isPushed into the CRM phase); a SALES user as its opportunityOwner; an
// API key never. Which moves suit the opportunity's phase is the
// workflow's business.
bool can_modify(const Principal& p, const Opportunity& opp);

// Narrows a list filter to the principal's scope: unchanged for an admin; for other users,
// `assignee` becomes the caller. Returns false when the filter asked for somebody else's leads
// (or the principal is an API key): the caller then answers an empty list.
bool restrict_to_scope(const Principal& p, OpportunityFilter& filter);

}  // namespace leadproc
