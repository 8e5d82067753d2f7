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
  return RankedPoc{a.id,         a.person_id, a.person_name, source_tier(a, platform),
                   a.lead_count, a.seq,       a.schedule};
}

}  // namespace

std::vector<RankedPoc> rank_pool(const std::vector<Availability>& pool,
                                 const std::optional<Id>& destination_id, Platform platform) {
  std::vector<RankedPoc> out;
  for (const auto& a : pool)
    if (can_take(a, destination_id)) out.push_back(ranked(a, platform));
  return out;
}

std::vector<OffDutyPoc> drop_off_duty(std::vector<RankedPoc>& candidates, const WorkTime& at) {
  std::vector<OffDutyPoc> out;
  std::erase_if(candidates, [&](const RankedPoc& c) {
    if (c.schedule.empty()) return false;
    auto why = not_working(c.schedule, at);
    if (why) out.push_back(OffDutyPoc{c.availability_id, c.person_id, c.person_name, *why});
    return why.has_value();
  });
  return out;
}

std::string waiting_reason(AvailabilityProcess pool, const std::vector<OffDutyPoc>& off_duty) {
  const std::string name(to_string(pool));
  if (off_duty.empty()) return "no available POC of the " + name + " pool covers it";
  std::string out = "nobody of the " + name + " pool is working:";
  const char* sep = " ";
  for (auto why : {OffDuty::kOffShift, OffDuty::kOnLeave, OffDuty::kCheckedOut}) {
    const auto n = std::count_if(off_duty.begin(), off_duty.end(),
                                 [&](const OffDutyPoc& p) { return p.why == why; });
    if (n == 0) continue;
    out += sep + std::to_string(n) + " " + std::string(to_string(why));
    sep = ", ";
  }
  return out;
}

std::vector<PocVerdict> explain_pool(const std::vector<Availability>& pool,
                                     const std::optional<Id>& destination_id, Platform platform,
                                     const WorkTime& at, const std::optional<Id>& chosen) {
  std::optional<int> best;  // the lowest tier among the POCs that could take it
  for (const auto& a : pool)
    if (can_take(a, destination_id) && !not_working(a.schedule, at))
      best = best ? std::min(*best, source_tier(a, platform)) : source_tier(a, platform);
  std::vector<PocVerdict> out;
  for (const auto& a : pool) {
    if (a.deleted) continue;
    PocVerdict v{a.id, a.person_id, a.person_name, "candidate", true};
    const int tier = source_tier(a, platform);
    if (!a.is_available)
      v.verdict = "not available";
    else if (!covers(a, destination_id))
      v.verdict = "does not cover the destination";
    else if (auto why = not_working(a.schedule, at))
      v.verdict = std::string(to_string(*why));
    else if (best && tier > *best)
      v.verdict =
          "source tier " + std::to_string(tier) + " (tier " + std::to_string(*best) + " present)";
    else
      v.excluded = false;
    if (!v.excluded && chosen && a.id == *chosen) v.verdict = "chosen";
    out.push_back(std::move(v));
  }
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
