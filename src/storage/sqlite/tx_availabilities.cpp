// SqliteTx: the ranked pool of round robin, from the writer's cached copy of the pool (the rest
// of availabilities is in storage/sql/tx_availabilities.cpp).
#include "domain/round_robin.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {

// rank_pool() itself, over the writer's cached copy of the pool (pool_cache.h): ranking needs
// every available POC's source and destination lists, which SQL could only search as text.
Result<std::vector<RankedPoc>> SqliteTx::ranked_pool_for_update(
    AvailabilityProcess process, const std::optional<Id>& destination_id, Platform platform) {
  if (!pools_) {  // not the writer: nothing to cache across transactions
    auto pool = pool_for_update(process);
    if (!pool) return pool.error();
    return rank_pool(*pool, destination_id, platform);
  }
  const std::vector<Availability>* pool = pools_->find(process);
  if (!pool) {
    auto loaded = pool_for_update(process);
    if (!loaded) return loaded.error();
    pool = pools_->store(process, std::move(*loaded));
  }
  return rank_pool(*pool, destination_id, platform);
}

}  // namespace leadproc::sqlite
