#include "http/limits.h"

#include <sys/resource.h>

#include <algorithm>
#include <stdexcept>

namespace leadproc::http {

ConnectionTable::ConnectionTable(std::size_t max_total, std::size_t max_per_address)
    : max_total_(max_total), max_per_address_(max_per_address) {
  if (max_total < 1) throw std::invalid_argument("max_connections must be >= 1");
  if (max_per_address < 1) throw std::invalid_argument("max_connections_per_address must be >= 1");
}

void ConnectionTable::count(const Entry& e) {
  ++counted_;
  ++addresses_[e.address].counted;
}

void ConnectionTable::uncount(const Entry& e) {
  --counted_;
  auto it = addresses_.find(e.address);
  if (it != addresses_.end() && --it->second.counted == 0) addresses_.erase(it);
}

std::optional<std::uint64_t> ConnectionTable::oldest_idle(const std::string* address) const {
  std::optional<std::uint64_t> best;
  Clock::time_point best_since{};
  // A linear scan, only when a limit is reached: a few thousand entries take microseconds, and
  // an ordered index would cost every request two updates instead.
  for (const auto& [id, e] : entries_) {
    if (!e.idle || e.evicting || (address != nullptr && e.address != *address)) continue;
    if (!best || e.idle_since < best_since) {
      best = id;
      best_since = e.idle_since;
    }
  }
  return best;
}

ConnectionTable::Admission ConnectionTable::admit(std::uint64_t id, const std::string& address,
                                                  bool exempt) {
  std::lock_guard lock(mu_);
  Admission out;
  std::optional<std::uint64_t> victim;
  if (!exempt) {
    auto it = addresses_.find(address);
    if (it != addresses_.end() && it->second.counted >= max_per_address_) {
      victim = oldest_idle(&address);
      if (!victim) {
        out.refused_reason = "max_per_address";
        return out;
      }
      out.evict_reason = "max_per_address";
    }
  }
  // Evicting for the address also makes room in the total.
  if (!victim && counted_ >= max_total_) {
    victim = oldest_idle(nullptr);
    if (!victim) {
      out.refused_reason = "max_connections";
      return out;
    }
    out.evict_reason = "max_connections";
  }
  if (victim) {
    Entry& v = entries_.at(*victim);
    v.evicting = true;
    uncount(v);
    out.evict = victim;
  }
  Entry e{address, exempt, true, false, Clock::now()};
  count(e);
  entries_.insert_or_assign(id, std::move(e));
  out.admitted = true;
  return out;
}

void ConnectionTable::set_idle(std::uint64_t id, bool idle) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  e.idle = idle;
  if (idle) e.idle_since = Clock::now();
  if (!idle && e.evicting) {  // it got a request before it was closed: it stays, and counts
    e.evicting = false;
    count(e);
  }
}

void ConnectionTable::remove(std::uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (!it->second.evicting) uncount(it->second);
  entries_.erase(it);
}

std::size_t ConnectionTable::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

bool BodyBudget::try_reserve(std::size_t bytes) {
  std::lock_guard lock(mu_);
  if (bytes > limit_ || in_use_ > limit_ - bytes) return false;
  in_use_ += bytes;
  return true;
}

void BodyBudget::release(std::size_t bytes) {
  std::lock_guard lock(mu_);
  const std::size_t n = std::min(bytes, in_use_);
  in_use_ -= n;
  released_total_ += n;
}

std::uint64_t BodyBudget::released_total() const {
  std::lock_guard lock(mu_);
  return released_total_;
}

std::size_t BodyBudget::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

std::size_t BodyReservation::release() {
  const std::size_t n = bytes_;
  if (budget_ != nullptr && n > 0) budget_->release(n);
  budget_ = nullptr;
  bytes_ = 0;
  return n;
}

std::size_t per_address_limit_for(std::size_t max_total) {
  return std::min(max_total, std::max<std::size_t>(4, max_total / 4));
}

ConnectionLimits connection_limits_for(std::uint64_t open_files) {
  const std::uint64_t reserve = std::max<std::uint64_t>(64, open_files / 8);
  const auto total =
      static_cast<std::size_t>(open_files > reserve + 16 ? open_files - reserve : 16);
  return {total, per_address_limit_for(total)};
}

ConnectionLimits default_connection_limits() {
  constexpr std::uint64_t kCap = 1 << 20;
  rlimit limit{};
  std::uint64_t files = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
    files = limit.rlim_cur == RLIM_INFINITY ? kCap : std::min<std::uint64_t>(limit.rlim_cur, kCap);
  return connection_limits_for(files);
}

}  // namespace leadproc::http
