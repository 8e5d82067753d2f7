// Choosing the POC for a lead (PRODUCT.md "Assignment"; the spec's "Round-Robin Logic").
#pragma once

#include <cstdint>
#include <optional>
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

// Picks from `pool` (POCs of the right process, available, not deleted): among those covering
// the destination, the first non-empty tier of (source lists the platform) / (empty source) /
// (any); least lead_count, then seq (unset last), then id. The previous POC keeps the lead while
// it is in the tier and its streak is shorter than max_streak(preference). nullopt: no POC.
std::optional<PocChoice> pick_poc(const std::vector<Availability>& pool,
                                  const std::optional<Id>& destination_id, Platform platform,
                                  double preference, const std::optional<Streak>& previous);

// The lead_count a POC (re)entering rotation starts at: its own, lifted to the least count of
// the other available POCs in `pool`, so it does not receive a flood of catch-up leads.
std::int64_t catch_up_lead_count(const Availability& entering,
                                 const std::vector<Availability>& pool);

}  // namespace leadproc
