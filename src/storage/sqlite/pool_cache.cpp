#include "storage/sqlite/pool_cache.h"

namespace leadproc::sqlite {

const std::vector<Availability>* PoolCache::find(AvailabilityProcess process) const {
  auto it = pools_.find(process);
  return it == pools_.end() ? nullptr : &it->second;
}

const std::vector<Availability>* PoolCache::store(AvailabilityProcess process,
                                                  std::vector<Availability> pool) {
  auto& slot = pools_[process];
  slot = std::move(pool);
  return &slot;
}

void PoolCache::counted(const Id& availability_id, std::int64_t local_day) {
  for (auto& [process, pool] : pools_) {
    for (auto& a : pool) {
      if (a.id != availability_id) continue;
      ++a.lead_count;
      ++a.total_count;
      a.today = DayCount{local_day, a.today.on(local_day) + 1};
      return;
    }
  }
}

void PoolCache::invalidate() {
  pools_.clear();
}

void PoolCache::check_data_version(std::int64_t data_version) {
  if (data_version_ && *data_version_ != data_version) invalidate();
  data_version_ = data_version;
}

}  // namespace leadproc::sqlite
