#include "domain/round_robin.h"

#include "domain/process_split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
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
                   a.lead_count, a.seq,       a.schedule,    a.rules,
                   a.today};
}

}  // namespace

std::vector<RankedPoc> rank_pool(const std::vector<Availability>& pool,
                                 const std::optional<Id>& destination_id, Platform platform) {
  std::vector<RankedPoc> out;
  out.reserve(pool.size());  // once: a pool of hundreds would otherwise move them ~8 times
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

bool use_night_desk(std::vector<RankedPoc>& candidates) {
  std::vector<RankedPoc> desk;
  std::erase_if(candidates, [&](RankedPoc& c) {
    if (!c.rules.night_desk) return false;
    desk.push_back(std::move(c));
    return true;
  });
  if (!candidates.empty() || desk.empty()) return false;
  candidates = std::move(desk);
  return true;
}

std::vector<SkippedPoc> drop_skipped(std::vector<RankedPoc>& candidates,
                                     const std::optional<std::string>& language,
                                     std::int64_t local_day) {
  std::vector<SkippedPoc> out;
  std::erase_if(candidates, [&](const RankedPoc& c) {
    auto why = skip_reason(c.rules, c.fresh, c.today.on(local_day), language);
    if (why) out.push_back(SkippedPoc{c.availability_id, c.person_id, c.person_name, *why});
    return why.has_value();
  });
  return out;
}

namespace {

// "N reason, M reason" over the reasons in `order` that `reasons` holds.
template <typename Reason>
std::string tally(const std::vector<Reason>& reasons, std::initializer_list<Reason> order,
                  const char*& sep) {
  std::string out;
  for (auto why : order) {
    const auto n = std::count(reasons.begin(), reasons.end(), why);
    if (n == 0) continue;
    out += sep + std::to_string(n) + " " + std::string(to_string(why));
    sep = ", ";
  }
  return out;
}

}  // namespace

std::string waiting_reason(AvailabilityProcess pool, const std::vector<OffDutyPoc>& off_duty,
                           const std::vector<SkippedPoc>& skipped) {
  const std::string name(to_string(pool));
  if (off_duty.empty() && skipped.empty())
    return "no available POC of the " + name + " pool covers it";
  std::vector<OffDuty> off;
  for (const auto& o : off_duty) off.push_back(o.why);
  std::vector<Skip> skips;
  for (const auto& o : skipped) skips.push_back(o.why);
  const char* sep = " ";
  std::string out =
      "nobody of the " + name + " pool " + (skipped.empty() ? "is working:" : "can take it:");
  out += tally(skips, {Skip::kLanguage, Skip::kAtCapacity, Skip::kDailyQuota}, sep);
  out += tally(off, {OffDuty::kOffShift, OffDuty::kOnLeave, OffDuty::kCheckedOut}, sep);
  return out;
}

namespace {

int lowest_tier(const std::vector<RankedPoc>& candidates) {
  int best = candidates.front().tier;
  for (const auto& c : candidates) best = std::min(best, c.tier);
  return best;
}

// The tier's weight total and lead count total.
std::pair<std::int64_t, std::int64_t> tier_totals(const std::vector<RankedPoc>& candidates,
                                                  int tier) {
  std::int64_t weight = 0, leads = 0;
  for (const auto& c : candidates) {
    if (c.tier != tier) continue;
    weight += c.rules.weight;
    leads += c.lead_count;
  }
  return {weight, leads};
}

}  // namespace

std::vector<std::pair<Id, std::int64_t>> lift_returning(std::vector<RankedPoc>& candidates) {
  std::vector<std::pair<Id, std::int64_t>> out;
  if (candidates.empty()) return out;
  const int tier = lowest_tier(candidates);
  const auto [total_weight, total_leads] = tier_totals(candidates, tier);
  for (auto& c : candidates) {
    const std::int64_t w = c.rules.weight;
    const std::int64_t others_weight = total_weight - w;
    if (c.tier != tier || c.schedule.empty() || others_weight <= 0) continue;
    if (total_leads * w - total_weight * c.lead_count < total_weight) continue;
    // The least count with (others' leads + count) * w - total_weight * count < total_weight.
    const std::int64_t others_leads = total_leads - c.lead_count;
    c.lead_count = (others_leads * w - total_weight) / others_weight + 1;
    out.emplace_back(c.availability_id, c.lead_count);
  }
  return out;
}

std::vector<PocVerdict> explain_pool(
    const std::vector<Availability>& pool, const std::optional<Id>& destination_id,
    Platform platform, const std::optional<std::string>& language, const WorkTime& at,
    const std::optional<Id>& chosen,
    const std::function<std::int64_t(const Availability&)>& fresh) {
  // The same filters as assignment, in its order: can take it, working, night desk, skips, tier.
  auto working = [&](const Availability& a) {
    return can_take(a, destination_id) && !not_working(a.schedule, at);
  };
  const bool desk = std::none_of(pool.begin(), pool.end(), [&](const Availability& a) {
    return !a.deleted && !a.rules.night_desk && working(a);
  });
  std::map<Id, Skip> skipped;
  std::optional<int> best;  // the lowest tier among the POCs that could take it
  for (const auto& a : pool) {
    if (a.deleted || !working(a) || a.rules.night_desk != desk) continue;
    const std::int64_t f = a.rules.cap ? fresh(a) : 0;
    if (auto why = skip_reason(a.rules, f, a.today.on(at.local_day), language)) {
      skipped[a.id] = *why;
      continue;
    }
    best = best ? std::min(*best, source_tier(a, platform)) : source_tier(a, platform);
  }
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
    else if (a.rules.night_desk != desk)
      v.verdict = "night desk (the pool is working)";
    else if (auto skip = skipped.find(a.id); skip != skipped.end())
      v.verdict = std::string(to_string(skip->second));
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
  const int best_tier = lowest_tier(candidates);

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
  std::vector<std::size_t> order;  // the tier, in the order ties are broken
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].tier == best_tier) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return key(a) < key(b); });
  const auto [total_weight, total_leads] = tier_totals(candidates, best_tier);
  std::vector<SplitEntry> split;
  for (auto i : order) {
    const auto& c = candidates[i];
    split.push_back(
        SplitEntry{c.rules.weight, total_leads * c.rules.weight - total_weight * c.lead_count});
  }
  return PocChoice{order[*pick_split(split)], 1};
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
