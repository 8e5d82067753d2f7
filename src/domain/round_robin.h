// Choosing the POC for a lead (PRODUCT.md "Assignment"; the spec's "Round-Robin Logic").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/poc_rules.h"

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
  WorkSchedule schedule;   // when the POC works (work_schedule.h); the caller filters on it
  PocRules rules;          // cap, quota, weight, languages, night desk (poc_rules.h)
  DayCount today;          // for the daily quota
  std::int64_t fresh = 0;  // its fresh untouched leads; the caller fills it for capped POCs
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

// The night desk (poc_rules.h): removes the night-desk POCs from `candidates` (POCs working now)
// and returns them; when no other POC is left, they become the candidates and the answer is
// true (the lead goes to the night desk). The night desk only ever takes leads nobody else of
// the pool is working for.
bool use_night_desk(std::vector<RankedPoc>& candidates);

// A working POC of the pool skipped for this lead, and why (poc_rules.h).
struct SkippedPoc {
  Id availability_id;
  Id person_id;
  std::string person_name;
  Skip why;
};

// Removes from `candidates` the POCs that cannot take a lead in `language` now (skip_reason():
// language, then cap on `fresh`, then daily quota on `today` for the local day `local_day`),
// keeping the order of the others, and returns those removed.
std::vector<SkippedPoc> drop_skipped(std::vector<RankedPoc>& candidates,
                                     const std::optional<std::string>& language,
                                     std::int64_t local_day);

// Why a lead for `pool` waits: "nobody of the PSV pool is working: 2 off shift, 1 on leave" when
// POCs cover it but none works now (`off_duty` non-empty, nobody skipped); "nobody of the PSV pool
// can take it: 2 at capacity, 1 off shift" when working POCs were skipped; else "no available POC
// of the PSV pool covers it".
std::string waiting_reason(AvailabilityProcess pool, const std::vector<OffDutyPoc>& off_duty,
                           const std::vector<SkippedPoc>& skipped = {});

// The catch-up rule for a POC coming back (docs/product.md "Routing and fairness"): in the
// lowest tier of `candidates`, a POC with a work schedule (shifts, leave or a check-out) that is a
// whole lead or more behind its weighted share of the tier's leads (lead_count * total weight <=
// (sum of the tier's lead counts) * weight - total weight) has its lead_count lifted so that it is
// less than one lead behind, computed against the others' counts: it gets at most one lead of
// catch-up, not every lead until even. Applied in place; answers the lifted POCs' ids and new
// counts (the caller stores them). Pure rotation never triggers it (weighted round robin keeps
// every POC less than one lead from its share).
std::vector<std::pair<Id, std::int64_t>> lift_returning(std::vector<RankedPoc>& candidates);

// Why each non-deleted POC of `pool` would or would not take a lead for the destination from the
// platform at `at` (the routing dry run): "chosen" (`chosen` is its availability id), "candidate",
// or excluded: "not available", "does not cover the destination", "off shift", "on leave",
// "checked out", "night desk (the pool is working)", "language", "at capacity", "daily quota
// reached", "source tier N (tier M present)". In pool order. `fresh` answers a POC's fresh
// untouched leads (asked only for capped POCs).
struct PocVerdict {
  Id availability_id;
  Id person_id;
  std::string person_name;
  std::string verdict;
  bool excluded = false;
};
std::vector<PocVerdict> explain_pool(const std::vector<Availability>& pool,
                                     const std::optional<Id>& destination_id, Platform platform,
                                     const std::optional<std::string>& language, const WorkTime& at,
                                     const std::optional<Id>& chosen,
                                     const std::function<std::int64_t(const Availability&)>& fresh);

// Picks from `candidates`: in the lowest tier present, by weighted round robin over lead_count
// (process_split.h's pick_split, its credits derived from the counts: credit = (sum of the tier's
// counts) * weight - total weight * lead_count), so that after any n leads each POC is within one
// lead of n * weight / total weight; ties (and equal weights: least lead_count) by seq (unset
// last), then id. The previous POC keeps the lead while it is in that tier and its streak is
// shorter than max_streak(preference). nullopt: no candidate. `index` is into `candidates`.
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
