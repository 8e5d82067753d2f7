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

std::optional<PocChoice> pick_poc(const std::vector<Availability>& pool,
                                  const std::optional<Id>& destination_id, Platform platform,
                                  double preference, const std::optional<Streak>& previous) {
  std::vector<std::size_t> covering;
  for (std::size_t i = 0; i < pool.size(); ++i)
    if (pool[i].is_available && !pool[i].deleted && covers(pool[i], destination_id))
      covering.push_back(i);
  if (covering.empty()) return std::nullopt;

  auto select = [&](auto predicate) {
    std::vector<std::size_t> out;
    for (auto i : covering)
      if (predicate(pool[i])) out.push_back(i);
    return out;
  };
  std::vector<std::size_t> tier = select([&](const Availability& a) {
    return std::find(a.source.begin(), a.source.end(), platform) != a.source.end();
  });
  if (tier.empty()) tier = select([](const Availability& a) { return a.source.empty(); });
  if (tier.empty()) tier = covering;

  if (previous) {
    for (auto i : tier) {
      if (pool[i].id == previous->availability_id && previous->length < max_streak(preference))
        return PocChoice{i, previous->length + 1};
    }
  }
  auto key = [&](std::size_t i) {
    const auto& a = pool[i];
    return std::make_tuple(a.lead_count, a.seq.value_or(std::numeric_limits<std::int64_t>::max()),
                           std::cref(a.id));
  };
  std::size_t best =
      *std::min_element(tier.begin(), tier.end(), [&](auto x, auto y) { return key(x) < key(y); });
  return PocChoice{best, 1};
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
