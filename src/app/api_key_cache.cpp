#include "app/api_key_cache.h"

namespace leadproc {

std::optional<ApiKey> ApiKeyCache::find(const std::string& hash) {
  std::lock_guard lock(mutex_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() >= it->second.expires) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  return it->second.key;
}

void ApiKeyCache::put(const std::string& hash, const ApiKey& key) {
  std::lock_guard lock(mutex_);
  if (by_hash_.size() >= kMaxEntries && !by_hash_.contains(hash)) by_hash_.clear();
  by_hash_.insert_or_assign(hash, Entry{key, std::chrono::steady_clock::now() + kApiKeyCacheTtl});
}

void ApiKeyCache::clear() {
  std::lock_guard lock(mutex_);
  by_hash_.clear();
}

}  // namespace leadproc
