// Round robin's choice on a store shared by several writers: pick_ranked (domain/round_robin.h)
// over the ranked pool, then claim the POC picked (RoutingWrites::claim_poc) so that no other
// lead counts one for it until this one commits. No lock on the whole pool is held, so leads of
// one pool commit side by side (PostgreSQL), and round robin stays exact:
// - a POC another lead holds (busy) will have that lead counted when it commits, so it is ranked
//   as if it had been (lead_count and today's count + 1) and the choice is made again; the
//   outcome is what the two leads would have got one after the other;
// - when a POC's counts moved since the pool was read (other leads committed), every candidate's
//   counts are read again and the choice is made again;
// - a POC found busy before, or one a streak keeps, is waited for rather than skipped again;
//   once it is ours, if its counts moved meanwhile, it is kept when it still has the least count
//   of its tier (the others' committed counts being at most what they will be), else given back.
// Each lead thus takes a POC with the least count including the leads in flight, which keeps the
// counts within one (PostgreSQL ranks a pool with weights, caps, quotas or languages under its
// pool lock instead, where nothing is ever busy). On SQLite, whose one writer holds everything,
// the first pick is claimed at once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/store.h"
#include "domain/round_robin.h"

namespace leadproc {

// The claimed choice (its index into `candidates`, which are updated in place with the counts
// the choice was made on; a POC that left the pool meanwhile, or that the counts now skip for
// its daily quota, is removed), or nullopt when no candidate is left. `language` and `local_day`
// re-check a POC's daily quota and languages against counts that moved (poc_rules.h).
// `refresh` reads the candidates' counts again as committed now (ranked_pool_for_update's),
// keeping the list as it is (a candidate no longer in the pool is removed).
using RefreshCounts = std::function<Status(std::vector<RankedPoc>& candidates)>;
Result<std::optional<PocChoice>> pick_and_claim(WriteTx& tx, std::vector<RankedPoc>& candidates,
                                                double preference,
                                                const std::optional<Streak>& previous,
                                                const std::optional<std::string>& language,
                                                std::int64_t local_day,
                                                const RefreshCounts& refresh);

}  // namespace leadproc
