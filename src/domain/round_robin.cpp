#include "domain/round_robin.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace leadproc {

bool covers(const Availability& poc, const std::optional<Id>& destination_id) {
  if (!destination_id || poc.destinations.empty()) return true;
  return std::any_of(poc.destinations.begin(), poc.destinations.end(),
                     [&](const NamedRef& d) { return d.id == *destination_id; });
}

int max_streak(double preference) {
  double p = std::clamp(preference, 0.1, 1.0);
  return std::max(1, static_cast<int>(std::lround(1.0 / p)));
}

int source_tier(const Availability& poc, Platform platform) {
  if (std::find(poc.source.begin(), poc.source.end(), platform) != poc.source.end()) return 0;
  return poc.source.empty() ? 1 : 2;
}

namespace {

bool can_take(const Availability& a, const std::optional<Id>& destination_id) {
  return a.is_available && !a.deleted && covers(a, destination_id);
}

RankedPoc ranked(const Availability& a, Platform platform) {
  return RankedPoc{a.id, a.person_id, a.person_name, source_tier(a, platform), a.lead_count, a.seq};
}

}  // namespace

std::vector<RankedPoc> rank_pool(const std::vector<Availability>& pool,
                                 const std::optional<Id>& destination_id, Platform platform) {
  std::vector<RankedPoc> out;
  for (const auto& a : pool)
    if (can_take(a, destination_id)) out.push_back(ranked(a, platform));
  return out;
}

std::optional<PocChoice> pick_ranked(const std::vector<RankedPoc>& candidates, double preference,
                                     const std::optional<Streak>& previous) {
  if (candidates.empty()) return std::nullopt;
  int best_tier = candidates.front().tier;
  for (const auto& c : candidates) best_tier = std::min(best_tier, c.tier);

  if (previous) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto& c = candidates[i];
      if (c.tier == best_tier && c.availability_id == previous->availability_id &&
          previous->length < max_streak(preference))
        return PocChoice{i, previous->length + 1};
    }
  }
  auto key = [&](std::size_t i) {
    const auto& c = candidates[i];
    return std::make_tuple(c.lead_count, c.seq.value_or(std::numeric_limits<std::int64_t>::max()),
                           std::cref(c.availability_id));
  };
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].tier != best_tier) continue;
    if (!best || key(i) < key(*best)) best = i;
  }
  return PocChoice{*best, 1};
}

std::optional<PocChoice> pick_poc(const std::vector<Availability>& pool,
                                  const std::optional<Id>& destination_id, Platform platform,
                                  double preference, const std::optional<Streak>& previous) {
  std::vector<RankedPoc> candidates;
  std::vector<std::size_t> position;  // of each candidate in `pool`
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (!can_take(pool[i], destination_id)) continue;
    candidates.push_back(ranked(pool[i], platform));
    position.push_back(i);
  }
  auto choice = pick_ranked(candidates, preference, previous);
  if (choice) choice->index = position[choice->index];
  return choice;
}

std::int64_t catch_up_lead_count(const Availability& entering,
                                 const std::vector<Availability>& pool) {
  std::optional<std::int64_t> least;
  for (const auto& a : pool) {
    if (a.id == entering.id || !a.is_available || a.deleted) continue;
    least = least ? std::min(*least, a.lead_count) : a.lead_count;
  }
  return least ? std::max(entering.lead_count, *least) : entering.lead_count;
}

}  // namespace leadproc
