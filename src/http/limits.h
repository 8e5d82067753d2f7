// The server's admission limits, Beast-free so that they are unit-tested without sockets
// (tests/http_infra/limits_test.cpp):
//   - ConnectionTable: how many connections may be open, in all and per client address, and which
//     idle connection makes room for a new one when a limit is reached;
//   - BodyBudget: how many request-body bytes may be held in memory at once, over every
//     connection;
//   - default_connection_limits(): the limits that fit the process's file-descriptor limit.
// Why: each open connection costs a file descriptor and each body in flight its bytes, and a
// client that opens connections or starts bodies without finishing them must not be able to
// exhaust either (docs/operations.md, "Limits").
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace leadproc::http {

// Open connections, counted in all and per client address. Thread-safe.
//
// When a new connection would pass a limit, the table picks the connection idle for longest
// (waiting for its next request) among those the limit counts (the same address, or all) to be
// closed instead; only when none is idle is the new connection refused. So a client holding idle
// connections cannot keep others out, and an address that is busy cannot take every slot.
class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;

  // max_total >= 1; max_per_address >= 1 (std::invalid_argument otherwise).
  ConnectionTable(std::size_t max_total, std::size_t max_per_address);

  struct Admission {
    bool admitted = false;
    std::string_view refused_reason;     // when !admitted: "max_connections" or "max_per_address"
    std::optional<std::uint64_t> evict;  // when admitted: close this idle connection to make room
    std::string_view evict_reason;       // with evict: the limit it makes room under
  };

  // Registers connection `id` from `address` (a new connection is idle). `exempt`: the address is
  // not subject to the per-address limit (loopback, trusted proxies: many clients behind one
  // address). A connection picked to be evicted no longer counts towards the limits; it counts
  // again if it turns busy before it is closed (set_idle(false)).
  Admission admit(std::uint64_t id, const std::string& address, bool exempt);
  // The connection is waiting for its next request (idle) or reading/handling one (busy).
  void set_idle(std::uint64_t id, bool idle);
  // Forgets the connection (it is closed). Unknown ids are ignored.
  void remove(std::uint64_t id);

  std::size_t size() const;

 private:
  struct Entry {
    std::string address;
    bool exempt = false;
    bool idle = true;
    bool evicting = false;  // picked to be closed; not counted
    Clock::time_point idle_since;
  };
  struct AddressCount {
    std::size_t counted = 0;  // entries of this address not being evicted
  };

  // The counted idle entry idle for longest, of `address` (or any address when null). Caller
  // holds mu_.
  std::optional<std::uint64_t> oldest_idle(const std::string* address) const;
  void uncount(const Entry& e);  // caller holds mu_
  void count(const Entry& e);    // caller holds mu_

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::unordered_map<std::string, AddressCount> addresses_;
  std::size_t counted_ = 0;  // entries not being evicted
};

// Request-body bytes held in memory at once, over every connection. Thread-safe.
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t limit) : limit_(limit) {}

  // Reserves `bytes` if they fit under the limit; false (nothing reserved) otherwise.
  bool try_reserve(std::size_t bytes);
  void release(std::size_t bytes);
  std::size_t in_use() const;
  // Bytes released since construction (to tell how much memory bodies have freed).
  std::uint64_t released_total() const;

 private:
  const std::size_t limit_;
  mutable std::mutex mu_;
  std::size_t in_use_ = 0;
  std::uint64_t released_total_ = 0;
};

// Holds `bytes` of a BodyBudget until destroyed (or release()d). Movable.
class BodyReservation {
 public:
  BodyReservation() = default;
  BodyReservation(BodyBudget& budget, std::size_t bytes) : budget_(&budget), bytes_(bytes) {}
  ~BodyReservation() { release(); }
  BodyReservation(BodyReservation&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  BodyReservation& operator=(BodyReservation&& other) noexcept {
    if (this != &other) {
      release();
      budget_ = std::exchange(other.budget_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;

  // Gives the bytes back now; returns how many.
  std::size_t release();

 private:
  BodyBudget* budget_ = nullptr;
  std::size_t bytes_ = 0;
};

struct ConnectionLimits {
  std::size_t max_total = 0;
  std::size_t max_per_address = 0;
};

// The default per-address limit under a total of `max_total`: a quarter of it, at least 4 (and at
// most the total).
std::size_t per_address_limit_for(std::size_t max_total);
// Limits that fit a soft RLIMIT_NOFILE of `open_files`: the total leaves an eighth of the files
// (at least 64) to the database, logs and jobs; an address may hold a quarter of the total.
// (1,024 open files: 896 connections, 224 per address.)
ConnectionLimits connection_limits_for(std::uint64_t open_files);
// connection_limits_for() of this process's soft RLIMIT_NOFILE (capped at 1,048,576).
ConnectionLimits default_connection_limits();

}  // namespace leadproc::http
