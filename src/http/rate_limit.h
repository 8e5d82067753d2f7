// A per-address rate limit for public routes that write (the website forms' POST
// /api/v1/intake/forms/{formKey}: item 5 of issue 19): at most `limit` requests per client
// address in each window of `window`, counted in this process's memory (so per instance: with N
// instances behind a balancer an address gets up to N times the limit). Beast-free, with the time
// passed in, so that it is unit-tested without sockets or sleeps (tests/http_infra).
//
// Why not the login throttle (domain/login_throttle.h): it counts failures in the database, with
// growing delays, to slow password guessing across instances; a form post is not a failure, and
// a bot flooding a form must cost no database write at all. Why not the ConnectionTable
// (http/limits.h): it bounds connections held open, not requests sent over them.
//
// Memory is bounded: at most `max_addresses` addresses are tracked; when a new one would pass
// that, windows that have ended are forgotten, and if none has, the table is cleared (admitting
// more than the limit for one window is better than refusing every address).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leadproc::http {

class AddressRateLimit {
 public:
  using Time = std::chrono::sys_time<std::chrono::milliseconds>;

  // limit >= 1 and window > 0 (std::invalid_argument otherwise).
  AddressRateLimit(int limit, std::chrono::milliseconds window, std::size_t max_addresses = 100000);

  // Counts one request of `address` at `now`. 0 if admitted; else the whole seconds (>= 1) until
  // the address's window ends, for Retry-After. Thread-safe.
  int admit(const std::string& address, Time now);

 private:
  struct Window {
    Time start;
    int count = 0;
  };
  const int limit_;
  const std::chrono::milliseconds window_;
  const std::size_t max_addresses_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

// The key an address is limited under: an IPv6 address by its /64 (one subscriber's network
// commonly holds a whole /64, and would otherwise get a new limit per address); anything else as
// it is.
std::string rate_limit_key(const std::string& address);

}  // namespace leadproc::http
