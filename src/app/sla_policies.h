// Escalation policies, the admin's configuration (docs/api-config.md "Escalation policies";
// domain/sla_policy.h for the rule, app/sla_escalation.h for the job that applies them).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

// A policy's fields as a request gives them: nullopt leaves a field as it is (PATCH) or missing
// (POST, where every field is required).
struct SlaPolicyFields {
  std::optional<ActivityPhase> process;
  std::optional<std::string> stage;
  std::optional<int> after_minutes;
  std::optional<int> warn_before_minutes;
  std::optional<SlaAction> action;
  // The request's own problems (a wrong type, an unknown process or action, a missing field):
  // answered with the policy's other problems in one 422.
  std::vector<FieldError> decode_errors;
};

Result<std::vector<SlaPolicy>> list_sla_policies(AppContext& ctx);
Result<SlaPolicy> get_sla_policy(AppContext& ctx, const std::string& id);  // kNotFound

// A new policy from `fields` (all given; warnBeforeMinutes defaults to 0). 422 naming every bad
// field (domain/sla_policy.h check_sla_policy); 409 past kMaxSlaPolicies policies.
Result<SlaPolicy> create_sla_policy(AppContext& ctx, const SlaPolicyFields& fields,
                                    const std::optional<Id>& actor);

// Changes the fields given; the result is checked whole (422), nothing changes on error. kNotFound.
// A lead the policy already warned or acted on is not warned or acted on again by it.
Result<SlaPolicy> update_sla_policy(AppContext& ctx, const std::string& id,
                                    const SlaPolicyFields& fields);

// Deletes the policy and the record of the steps it took (the SLA report stops listing it).
// kNotFound.
Status delete_sla_policy(AppContext& ctx, const std::string& id);

}  // namespace leadproc
