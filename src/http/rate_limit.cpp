#include "http/rate_limit.h"

#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace leadproc::http {

AddressRateLimit::AddressRateLimit(int limit, std::chrono::milliseconds window,
                                   std::size_t max_addresses)
    : limit_(limit), window_(window), max_addresses_(max_addresses) {
  if (limit < 1 || window.count() <= 0 || max_addresses < 1)
    throw std::invalid_argument("AddressRateLimit: limit, window and size must be positive");
}

int AddressRateLimit::admit(const std::string& address, Time now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(address);
  if (it == windows_.end()) {
    if (windows_.size() >= max_addresses_) {
      std::erase_if(windows_, [&](const auto& w) { return now - w.second.start >= window_; });
      if (windows_.size() >= max_addresses_) windows_.clear();
    }
    it = windows_.emplace(address, Window{now, 0}).first;
  }
  Window& w = it->second;
  if (now - w.start >= window_ || now < w.start) w = Window{now, 0};
  if (w.count >= limit_) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(w.start + window_ - now).count();
    return left < 1 ? 1 : static_cast<int>(left);
  }
  ++w.count;
  return 0;
}

std::string rate_limit_key(const std::string& address) {
  std::array<unsigned char, 16> bytes{};
  if (address.find(':') == std::string::npos ||
      inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1)
    return address;
  char out[48];
  std::snprintf(out, sizeof out, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0], bytes[1],
                bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
  return out;
}

}  // namespace leadproc::http
