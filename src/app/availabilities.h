// Configuration API: availabilities, the POCs in round-robin rotation (the spec's
// `availabilities`; PRODUCT.md "Assignment"). Every function runs one store transaction.
//
// The input (AvailabilityInput; the HTTP body is decoded by http/decode_availabilities.h):
// `personId` (required on create: the _id of an active, non-deleted user whose department fits
// the process), `process` (required on create), `isAvailable` (default true), `source` (platforms,
// de-duplicated; empty = generalist), `destinations` (references, app/destinations.h, resolved to
// non-deleted destinations and stored as {_id, name}; de-duplicated; empty = every destination),
// `seq` (or none), `shifts`, `leave`, and the routing rules (domain/poc_rules.h; their JSON and
// its bounds: codec/poc_rules_json.h). `personId` and `process` cannot change after creation
// (422; create another entry instead). One person has at most one non-deleted entry per process
// (409).
//
// Rotation rules: a POC entering rotation (created available, or enabled) starts at the pool's
// least leadCount (catch_up_lead_count). Leaving rotation (disabled, deleted, its user deactivated
// or deleted) is refused with 409 when it would leave a pool that routing depends on without an
// available POC. Whenever a POC is available after a change, leads waiting for its pool are
// assigned in the same transaction (assign_waiting).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/destinations.h"
#include "app/input.h"

namespace leadproc {

// The routing rules a request sets (absent: unchanged; a cleared cap, dailyQuota or languages:
// none).
struct PocRulesPatch {
  Patch<std::int64_t> cap;
  Patch<std::int64_t> daily_quota;
  std::optional<int> weight;
  Patch<std::vector<std::string>> languages;
  std::optional<bool> night_desk;
  void apply_to(PocRules& r) const;
};

// An availability to create, or the changes of a PATCH (absent: nullopt).
struct AvailabilityInput {
  std::optional<std::string> person_id;  // as given: a user's _id
  std::optional<AvailabilityProcess> process;
  std::optional<bool> is_available;
  std::optional<std::vector<Platform>> source;  // an empty list clears
  // Given: replaces the list (empty: every destination); nullopt entries the decoder could not
  // read.
  std::optional<std::vector<std::optional<DestinationRef>>> destinations;
  Patch<std::int64_t> seq;
  std::optional<std::vector<Shift>> shifts;  // given: replaces them (empty: always on shift)
  std::optional<std::vector<LeavePeriod>> leave;
  PocRulesPatch rules;
  std::vector<FieldError> decode_errors;  // what the decoder found
};

Result<Availability> create_availability(AppContext& ctx, const AvailabilityInput& in,
                                         const std::optional<Id>& actor = std::nullopt);
// Non-deleted entries, filtered by `filter` (include_deleted is ignored).
Result<std::vector<Availability>> list_availabilities(AppContext& ctx, AvailabilityFilter filter);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<Availability> get_availability(AppContext& ctx, const Id& id);
// PATCH: only the given fields change.
Result<Availability> update_availability(AppContext& ctx, const Id& id, const AvailabilityInput& in,
                                         const std::optional<Id>& actor = std::nullopt);
// Soft delete (deleted=true); 409 if it is the last available POC of a pool routing depends on.
Status delete_availability(AppContext& ctx, const Id& id,
                           const std::optional<Id>& actor = std::nullopt);

// work status and the agent's check-in/out (issue 21; domain/work_schedule.h)

// A POC with whether it works now (nullopt) or why not.
struct WorkStatus {
  Availability poc;
  std::optional<OffDuty> off_duty;
};

// `pocs` with their status at ctx.now() in the business time zone.
Result<std::vector<WorkStatus>> work_status(const AppContext& ctx, std::vector<Availability> pocs);

// The person's own POCs (non-deleted) with their status; 404 when they are in no pool.
Result<std::vector<WorkStatus>> my_work(AppContext& ctx, const Id& person_id);
// Checks every POC of the person out until the end of today's business day (they receive no lead
// until then, or until they check in); check-in clears it and assigns the leads waiting for those
// pools. Both answer my_work's list; 404 when the person is in no pool.
Result<std::vector<WorkStatus>> check_out(AppContext& ctx, const Id& person_id);
Result<std::vector<WorkStatus>> check_in(AppContext& ctx, const Id& person_id);

// rules shared with the users use cases

// Pure: may a user of department `d` sit in a pool of process `p`? Sales<->SALES, PSV<->PSV,
// West<->WEST (department_for); JunkAutomation, which no person works, takes any department.
bool department_fits(AvailabilityProcess p, Department d);

// Pure: why routing depends on pool `pool`, or nullopt when it does not. A non-deleted process
// map with at least one active entry sends leads to a pool: PSV, UNKNOWN and UPCOMING maps to
// PSV, WEST to West, NO-FILTER to Sales; and any such map to Sales as well, since qualified leads
// enter the CRM phase. JunkAutomation is never depended on. (Leads with no destination also go to
// PSV as UNKNOWN; that alone does not make PSV depended on, so an empty configuration can be
// edited freely.)
std::optional<std::string> routing_dependency(AvailabilityProcess pool,
                                              const std::vector<ProcessDestinationMap>& maps);

// Pure: true iff `pool` has an available, non-deleted POC whose id is not in `leaving`.
bool pool_keeps_a_poc(const std::vector<Availability>& pool, const std::vector<Id>& leaving);

// Refuses (409, saying why) taking the POCs `leaving` (ids of entries of `pool`) out of rotation
// when no other available POC would remain and routing depends on the pool. Locks the pool.
Status ensure_pool_keeps_a_poc(WriteTx& tx, AvailabilityProcess pool,
                               const std::vector<Id>& leaving);

}  // namespace leadproc
