// Routing: the availability pools and their round robin, preference streaks, the routing settings
// and the sticky owner, and the record of each decision. One port of the store (app/store.h):
// ReadTx and WriteTx inherit every port, so a use case asks its transaction; the adapters implement
// them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "domain/round_robin.h"

namespace leadproc {

struct AvailabilityFilter {
  std::optional<AvailabilityProcess> process;
  std::optional<Id> person_id;
  bool include_deleted = false;
};

// The admin's routing settings (GET/PUT /api/v1/routing/settings; app/sticky_owner.h).
struct RoutingSettings {
  // A new enquiry whose number's earlier opportunity for the destination closed at most this many
  // days before goes to that opportunity's owner when they are working; 0: off.
  int sticky_owner_days = 30;
};

// A closed original opportunity and when it was closed (migration 28's closed_at).
struct ClosedOriginal {
  Opportunity opp;
  Timestamp closed_at{};
};

// What claim_poc answers (RoutingWrites::claim_poc).
enum class ClaimOutcome { kTaken, kBusy, kChanged, kGone };
struct PocClaim {
  ClaimOutcome outcome = ClaimOutcome::kTaken;
  std::int64_t lead_count = 0;  // kChanged: the POC's committed counts
  DayCount today;
};

class RoutingReads {
 public:
  virtual Result<std::optional<Availability>> get_availability(const Id& id) = 0;
  virtual Result<std::vector<Availability>> list_availabilities(const AvailabilityFilter& f) = 0;
  // The routing records of an opportunity (JSON texts), oldest first.
  virtual Result<std::vector<std::string>> list_routing_decisions(const Id& opp_id) = 0;
  // The admin's routing settings, nullopt when never saved.
  virtual Result<std::optional<RoutingSettings>> get_routing_settings() = 0;
  // The original (not a duplicate) opportunity with this number and destination (nullopt
  // destination matches leads with none) closed most recently, if it closed at or after `since`.
  virtual Result<std::optional<ClosedOriginal>> latest_closed_original(
      const std::string& e164, const std::optional<Id>& destination_id, Timestamp since) = 0;

 protected:
  ~RoutingReads() = default;
};

class RoutingWrites {
 public:
  virtual Status insert_availability(const Availability& a) = 0;
  virtual Status update_availability(const Availability& a) = 0;
  // All non-deleted POCs of a process, locked for the rest of the transaction.
  virtual Result<std::vector<Availability>> pool_for_update(AvailabilityProcess process) = 0;
  // rank_pool(pool_for_update(process), destination_id, platform) (round_robin.h), ordered by
  // id, as the transaction sees the pool now (other instances' commits included, nothing of a
  // rolled-back write). Nothing is locked: the POC a lead takes is claimed with claim_poc. Round
  // robin needs these few fields of the POCs that can take the lead, not every POC's whole record
  // (a JSON parse of each one's lists on every lead), so adapters compute it cheaply: PostgreSQL
  // in SQL, SQLite over the writer's cached pool.
  virtual Result<std::vector<RankedPoc>> ranked_pool_for_update(
      AvailabilityProcess process, const std::optional<Id>& destination_id, Platform platform) = 0;
  // Claims `seen` (a candidate of ranked_pool_for_update, with the counts the caller ranked it
  // by) for this lead until the transaction ends, so that no other transaction counts a lead for
  // it meanwhile (app/poc_claim.h). kTaken: claimed, with its counts as they are now
  // (`lead_count`, `today`: without `wait` always `seen`'s). kBusy (only without `wait`): another
  // transaction holds it, which will count a lead for it. kChanged (only without `wait`): its
  // counts are no longer `seen`'s (the committed ones are given); nothing is held. kGone: no
  // longer available, or deleted; nothing is held. With `wait`, waits for a holder to end
  // instead of answering kBusy. SQLite, whose one writer excludes every other, answers kTaken
  // with `seen`'s counts at once.
  virtual Result<PocClaim> claim_poc(const RankedPoc& seen, bool wait) = 0;
  // Gives back the POC of the last claim_poc(seen, true) (its counts moved and another POC is
  // now due): as if it had not been claimed. A no-op on SQLite.
  virtual Status release_poc_claim() = 0;
  // leadCount += 1 and totalCount += 1, and one more lead on the local day `local_day`
  // (WorkTime::local_day; the count restarts at 1 on a new day).
  virtual Status count_assignment(const Id& availability_id, std::int64_t local_day) = 0;
  // leadCount = max(leadCount, lead_count): round_robin.h's lift_returning, stored.
  virtual Status lift_lead_count(const Id& availability_id, std::int64_t lead_count) = 0;
  // How many open opportunities each person holds in the pool's fresh stage, not yet touched
  // (PSV/WEST: funnel step "assigned"; Sales: CRM stage fresh_lead): the POCs' cap. Every id
  // asked is in the answer.
  virtual Result<std::map<Id, std::int64_t>> fresh_lead_counts(
      AvailabilityProcess pool, const std::vector<Id>& person_ids) = 0;
  // Streak state per (pool, destination key); the key is "" for leads with no destination.
  // streak_for_update locks the streak (its key, which may have no row yet) until the
  // transaction ends, for a choice that depends on it (max_streak > 1); save_streak writes it
  // under that lock.
  virtual Result<std::optional<Streak>> streak_for_update(AvailabilityProcess pool,
                                                          const std::string& destination_key) = 0;
  virtual Status save_streak(AvailabilityProcess pool, const std::string& destination_key,
                             const Streak& streak) = 0;
  // The streak read without a lock, and written only when no other transaction holds its lock
  // (then nothing is written: that one's streak is as recent). For destinations whose choice
  // does not depend on the streak (max_streak == 1), where it only informs the routing record,
  // so that their leads do not wait for each other on it.
  virtual Result<std::optional<Streak>> peek_streak(AvailabilityProcess pool,
                                                    const std::string& destination_key) = 0;
  virtual Status note_streak(AvailabilityProcess pool, const std::string& destination_key,
                             const Streak& streak) = 0;
  // Opportunities awaiting assignment whose pool is `process`, oldest first.
  virtual Result<std::vector<Opportunity>> waiting_for_pool(AvailabilityProcess process,
                                                            int limit) = 0;
  virtual Status put_routing_settings(const RoutingSettings& s, Timestamp at) = 0;
  virtual Status insert_routing_decision(const Id& opp_id, Timestamp at,
                                         const std::string& doc) = 0;

 protected:
  ~RoutingWrites() = default;
};

}  // namespace leadproc
