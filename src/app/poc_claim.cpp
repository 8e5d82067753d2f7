#include "app/poc_claim.h"

#include <set>

namespace leadproc {
namespace {

// True iff candidates[i] has the least lead_count of its tier (ties included).
bool least_of_tier(const std::vector<RankedPoc>& candidates, std::size_t i) {
  for (const auto& c : candidates)
    if (c.tier == candidates[i].tier && c.lead_count < candidates[i].lead_count) return false;
  return true;
}

}  // namespace

Result<std::optional<PocChoice>> pick_and_claim(WriteTx& tx, std::vector<RankedPoc>& candidates,
                                                double preference,
                                                const std::optional<Streak>& previous,
                                                const std::optional<std::string>& language,
                                                std::int64_t local_day,
                                                const RefreshCounts& refresh) {
  // Bounded only against a pool that keeps changing under the lead (the client is then asked
  // to retry); each round is one or two statements.
  const std::size_t max_rounds = 16 * candidates.size() + 64;
  std::set<Id> busy;
  auto erase = [&](std::size_t i) {
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(i));
  };
  for (std::size_t round = 0; round < max_rounds; ++round) {
    auto choice = pick_ranked(candidates, preference, previous);
    if (!choice) return std::optional<PocChoice>();
    const std::size_t i = choice->index;
    const bool kept_by_streak = choice->streak_length > 1;
    const bool wait = kept_by_streak || busy.contains(candidates[i].availability_id);
    auto claim = tx.claim_poc(candidates[i], wait);
    if (!claim) return claim.error();
    switch (claim->outcome) {
      case ClaimOutcome::kTaken: {
        if (claim->lead_count == candidates[i].lead_count && claim->today == candidates[i].today)
          return std::optional<PocChoice>(*choice);
        // Waited, and its holders' leads are now counted: ours if still due, else given back.
        const Id held = candidates[i].availability_id;
        if (auto s = refresh(candidates); !s) return s.error();
        busy.clear();
        std::optional<std::size_t> at;
        for (std::size_t k = 0; k < candidates.size(); ++k)
          if (candidates[k].availability_id == held) at = k;
        if (at) {
          RankedPoc& poc = candidates[*at];
          poc.lead_count = claim->lead_count;
          poc.today = claim->today;
          const bool room = !skip_reason(poc.rules, poc.fresh, poc.today.on(local_day), language);
          if (room && (kept_by_streak || least_of_tier(candidates, *at)))
            return std::optional<PocChoice>(PocChoice{*at, choice->streak_length});
          if (!room) erase(*at);
        }
        if (auto s = tx.release_poc_claim(); !s) return s.error();
        continue;
      }
      case ClaimOutcome::kBusy: {
        // Its holder's lead will be counted: rank it as if it were.
        RankedPoc& poc = candidates[i];
        busy.insert(poc.availability_id);
        poc.lead_count += 1;
        poc.today = DayCount{local_day, poc.today.on(local_day) + 1};
        if (skip_reason(poc.rules, poc.fresh, poc.today.on(local_day), language)) erase(i);
        continue;
      }
      case ClaimOutcome::kChanged:
        if (auto s = refresh(candidates); !s) return s.error();
        busy.clear();
        continue;
      case ClaimOutcome::kGone:
        erase(i);
        continue;
    }
  }
  return Error::unavailable("round robin could not claim a POC: the pool keeps changing", 1);
}

}  // namespace leadproc
