// The API keys recently presented, by the SHA-256 of the secret (app/auth.h
// authenticate_api_key). A lead source sends hundreds of leads a second with one key, and reading
// the key's row for each was about 6 % of ingest's CPU (docs/benchmarks.md §15). An entry lives
// kApiKeyCacheTtl of steady time; revoking a key through this process's use case drops every
// entry at once, so on SQLite (one process) a revocation is immediate; another instance
// (PostgreSQL) or a command run beside the server sees it within the TTL. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/model.h"

namespace leadproc {

inline constexpr std::chrono::seconds kApiKeyCacheTtl{1};

class ApiKeyCache {
 public:
  // The key stored under `hash` if it was put less than kApiKeyCacheTtl ago.
  std::optional<ApiKey> find(const std::string& hash);
  // Remembers `key` (not revoked) under `hash` for kApiKeyCacheTtl from now.
  void put(const std::string& hash, const ApiKey& key);
  // Drops every entry (a key was revoked).
  void clear();

 private:
  static constexpr std::size_t kMaxEntries = 1024;  // beyond it the cache starts afresh
  struct Entry {
    ApiKey key;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_hash_;
};

}  // namespace leadproc
