// Choosing the POC for a lead (PRODUCT.md "Assignment"; the spec's "Round-Robin Logic").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace leadproc {

// Who got the previous lead of a (process, destination) and how many in a row.
struct Streak {
  Id availability_id;
  int length = 0;
};

struct PocChoice {
  std::size_t index;  // into the pool given
  int streak_length;  // the streak after this lead (1 when the POC changed)
};

// True iff the POC covers the destination (an empty list covers all; no destination: all).
bool covers(const Availability& poc, const std::optional<Id>& destination_id);

// The longest streak a destination's preference allows: round(1/p), p clamped to [0.1, 1].
int max_streak(double preference);

// Where a POC's source list puts it for a lead from `platform`: 0 lists the platform, 1 lists
// nothing (a generalist), 2 lists only other platforms. A lead goes to the lowest tier present.
int source_tier(const Availability& poc, Platform platform);

// A POC that can take one lead (available, not deleted, covering its destination), with what
// choosing among such POCs needs. Storage adapters can build these without reading whole
// availability records (Store::ranked_pool_for_update).
struct RankedPoc {
  Id availability_id;
  Id person_id;
  std::string person_name;
  int tier = 0;  // source_tier() for the lead's platform
  std::int64_t lead_count = 0;
  std::optional<std::int64_t> seq;
  WorkSchedule schedule;  // when the POC works (work_schedule.h); the caller filters on it
};

// The POCs of `pool` that can take a lead for the destination from the platform, ranked.
std::vector<RankedPoc> rank_pool(const std::vector<Availability>& pool,
                                 const std::optional<Id>& destination_id, Platform platform);

// A POC of the pool left out of a choice, and why.
struct OffDutyPoc {
  Id availability_id;
  Id person_id;
  std::string person_name;
  OffDuty why;
};

// Removes from `candidates` the POCs not working at `at` (work_schedule.h), keeping the order of
// the others, and returns those removed. A POC without a schedule is always working.
std::vector<OffDutyPoc> drop_off_duty(std::vector<RankedPoc>& candidates, const WorkTime& at);

// Why a lead for `pool` waits: "nobody of the PSV pool is working: 2 off shift, 1 on leave" when
// POCs cover it but none works now (`off_duty` non-empty), else "no available POC of the PSV
// pool covers it".
std::string waiting_reason(AvailabilityProcess pool, const std::vector<OffDutyPoc>& off_duty);

// Why each non-deleted POC of `pool` would or would not take a lead for the destination from the
// platform at `at` (the routing dry run): "chosen" (`chosen` is its availability id), "candidate",
// or excluded: "not available", "does not cover the destination", "off shift", "on leave",
// "checked out", "source tier N (tier M present)". In pool order.
struct PocVerdict {
  Id availability_id;
  Id person_id;
  std::string person_name;
  std::string verdict;
  bool excluded = false;
};
std::vector<PocVerdict> explain_pool(const std::vector<Availability>& pool,
                                     const std::optional<Id>& destination_id, Platform platform,
                                     const WorkTime& at, const std::optional<Id>& chosen);

// Picks from `candidates`: in the lowest tier present, least lead_count, then seq (unset last),
// then id. The previous POC keeps the lead while it is in that tier and its streak is shorter
// than max_streak(preference). nullopt: no candidate. `index` is into `candidates`.
std::optional<PocChoice> pick_ranked(const std::vector<RankedPoc>& candidates, double preference,
                                     const std::optional<Streak>& previous);

// pick_ranked over rank_pool(pool, ...); `index` is into `pool`.
std::optional<PocChoice> pick_poc(const std::vector<Availability>& pool,
                                  const std::optional<Id>& destination_id, Platform platform,
                                  double preference, const std::optional<Streak>& previous);

// The lead_count a POC (re)entering rotation starts at: its own, lifted to the least count of
// the other available POCs in `pool`, so it does not receive a flood of catch-up leads.
std::int64_t catch_up_lead_count(const Availability& entering,
                                 const std::vector<Availability>& pool);

}  // namespace leadproc
