// An opportunity's timeline (PRODUCT.md "Follow-ups, notes, SLA"): its activities, notes and
// follow-ups merged, newest first.
#pragma once

#include <variant>
#include <vector>

#include "app/context.h"

namespace leadproc {

struct TimelineEntry {
  Timestamp at{};  // createdAt of the item
  std::variant<Activity, Note, FollowUp> item;
};

// Pure: merges the three lists (each in any order) newest first by createdAt, then by id
// (newest first), and keeps the first `limit`.
std::vector<TimelineEntry> merge_timeline(std::vector<Activity> activities, std::vector<Note> notes,
                                          std::vector<FollowUp> followups, int limit);

// The newest `limit` entries (1..500) of the opportunity's timeline, read in one snapshot.
// kNotFound when the opportunity does not exist.
Result<std::vector<TimelineEntry>> opportunity_timeline(AppContext& ctx, const Id& opp_id,
                                                        int limit);

}  // namespace leadproc
