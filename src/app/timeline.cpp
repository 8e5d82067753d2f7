#include "app/timeline.h"

#include <algorithm>

#include "app/opportunity_change.h"

namespace leadproc {
namespace {

const Id& id_of(const TimelineEntry& e) {
  return std::visit([](const auto& item) -> const Id& { return item.id; }, e.item);
}

}  // namespace

std::vector<TimelineEntry> merge_timeline(std::vector<Activity> activities, std::vector<Note> notes,
                                          std::vector<FollowUp> followups, int limit) {
  std::vector<TimelineEntry> out;
  out.reserve(activities.size() + notes.size() + followups.size());
  for (auto& a : activities) out.push_back(TimelineEntry{a.created_at, std::move(a)});
  for (auto& n : notes) out.push_back(TimelineEntry{n.created_at, std::move(n)});
  for (auto& f : followups) out.push_back(TimelineEntry{f.created_at, std::move(f)});
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.at != b.at) return a.at > b.at;
    return id_of(a) > id_of(b);
  });
  if (limit >= 0 && out.size() > static_cast<std::size_t>(limit))
    out.resize(static_cast<std::size_t>(limit));
  return out;
}

Result<std::vector<TimelineEntry>> opportunity_timeline(AppContext& ctx, const Id& opp_id,
                                                        int limit) {
  std::vector<TimelineEntry> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (auto exists = require_opportunity(tx, opp_id); !exists) return exists;
    // Each list is newest first, so its first `limit` rows hold every row of the merged first
    // `limit`.
    auto activities = tx.list_activities(opp_id, Page{std::nullopt, limit});
    if (!activities) return activities.error();
    auto notes = tx.list_notes(opp_id, Page{std::nullopt, limit});
    if (!notes) return notes.error();
    auto followups = tx.list_followups(opp_id);
    if (!followups) return followups.error();
    out = merge_timeline(std::move(*activities), std::move(*notes), std::move(*followups), limit);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
