#include "app/change_facts.h"

#include "domain/enums.h"

namespace leadproc {
namespace {

std::optional<Id> psv_of(const Opportunity& o) {
  if (o.assigned_psv) return o.assigned_psv->id;
  return std::nullopt;
}
std::optional<Id> west_of(const Opportunity& o) {
  if (o.assigned_west) return o.assigned_west->id;
  return std::nullopt;
}
std::optional<Id> owner_of(const Opportunity& o) {
  return o.opportunity_owner;
}

}  // namespace

std::vector<RoleChange> role_changes(const std::optional<Opportunity>& before,
                                     const Opportunity& after) {
  std::vector<RoleChange> out;
  const auto role = [&](std::string_view name, std::optional<Id> (*get)(const Opportunity&)) {
    std::optional<Id> was = before ? get(*before) : std::nullopt;
    std::optional<Id> is = get(after);
    if (was != is) out.push_back(RoleChange{name, std::move(was), std::move(is)});
  };
  role("psv", psv_of);
  role("west", west_of);
  role("owner", owner_of);
  return out;
}

std::optional<std::string> stage_of(const Opportunity& o) {
  if (o.crm_stage_meta) return std::string(to_string(o.crm_stage_meta->stage));
  if (o.filtration_status) return o.filtration_status->stage;
  return std::nullopt;
}

std::optional<Id> holder_of(const Opportunity& o) {
  if (o.crm_stage_meta) return owner_of(o);
  if (auto psv = psv_of(o)) return psv;
  return west_of(o);
}

}  // namespace leadproc
