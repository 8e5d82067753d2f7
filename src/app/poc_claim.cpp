#include "app/poc_claim.h"

#include <set>

namespace leadproc {

Result<std::optional<PocChoice>> pick_and_claim(WriteTx& tx, std::vector<RankedPoc>& candidates,
                                                double preference,
                                                const std::optional<Streak>& previous,
                                                const std::optional<std::string>& language,
                                                std::int64_t local_day) {
  // Each POC is found busy at most once (then waited for), so the rounds are bounded by the
  // candidates and the times a wait found the counts moved; the bound only guards against a
  // pool that keeps changing under the lead (the client is asked to retry).
  const std::size_t max_rounds = 4 * candidates.size() + 16;
  std::set<Id> busy;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    auto choice = pick_ranked(candidates, preference, previous);
    if (!choice) return std::optional<PocChoice>();
    RankedPoc& poc = candidates[choice->index];
    const bool wait = choice->streak_length > 1 || busy.contains(poc.availability_id);
    auto claim = tx.claim_poc(poc, wait);
    if (!claim) return claim.error();
    switch (claim->outcome) {
      case ClaimOutcome::kTaken:
        return std::optional<PocChoice>(*choice);
      case ClaimOutcome::kBusy:
        busy.insert(poc.availability_id);
        poc.lead_count += 1;
        poc.today = DayCount{local_day, poc.today.on(local_day) + 1};
        break;
      case ClaimOutcome::kChanged:
        poc.lead_count = claim->lead_count;
        poc.today = claim->today;
        break;
      case ClaimOutcome::kGone:
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(choice->index));
        continue;
    }
    // Counted by others now: the daily quota may be reached (the cap counts open leads, which
    // the other lead's commit changes as well; it is left to the next lead).
    if (skip_reason(poc.rules, poc.fresh, poc.today.on(local_day), language))
      candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(choice->index));
  }
  return Error::unavailable("round robin could not claim a POC: the pool keeps changing", 1);
}

}  // namespace leadproc
