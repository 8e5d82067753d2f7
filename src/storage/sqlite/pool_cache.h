// The writer connection's copy of the availabilities table, so that round robin ranks a pool in
// memory instead of reading and searching every POC's row on every lead (docs/benchmarks.md §2:
// that was the largest share of the single writer's time).
//
// Contract: while valid, the cache equals the non-deleted rows of `availabilities` as the writer
// connection sees them inside its transaction. It is kept so by
// - counted(): the one per-lead change (lead_count and total_count + 1), applied in place;
// - invalidate(): every other change to the table made through the writer (insert, update), every
//   rollback of a write (the cache may hold its changes), a failed commit, a migration, and a
//   commit by any other connection or process (SqliteStore checks PRAGMA data_version at the
//   start of each write transaction). The next use reloads the table.
// Only the writer uses it, under the writer mutex; it is not thread-safe on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "domain/model.h"

namespace leadproc::sqlite {

class PoolCache {
 public:
  // The cached non-deleted POCs of `process` (ordered by id), or null when not cached. The
  // pointer is good until the next call that changes the cache.
  const std::vector<Availability>* find(AvailabilityProcess process) const;
  // Caches `pool`, read by the writer in its current transaction, as `process`'s.
  const std::vector<Availability>* store(AvailabilityProcess process,
                                         std::vector<Availability> pool);
  // Applies count_assignment()'s change to a cached POC (no-op when it is not cached).
  void counted(const Id& availability_id, std::int64_t local_day);
  void invalidate();

  // Called with the writer's PRAGMA data_version at the start of each write transaction:
  // invalidates the cache when another connection committed since the previous call.
  void check_data_version(std::int64_t data_version);

 private:
  std::unordered_map<AvailabilityProcess, std::vector<Availability>> pools_;
  std::optional<std::int64_t> data_version_;
};

}  // namespace leadproc::sqlite
