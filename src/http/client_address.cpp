#include "http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>

#include "domain/text.h"

namespace leadproc::http {
namespace {

// Splits on commas (and, for the setting, spaces), dropping empty items.
std::vector<std::string_view> split(std::string_view s, bool spaces_too) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ',' || (spaces_too && (s[i] == ' ' || s[i] == '\t'))) {
      auto item = trim(s.substr(start, i - start));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  const std::string s(text);
  char buf[INET6_ADDRSTRLEN];
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1)
    return std::string(inet_ntop(AF_INET, &v4, buf, sizeof buf));
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {  // ::ffff:10.0.0.1 is 10.0.0.1 (a dual-stack socket's view)
      in_addr mapped;
      std::copy_n(v6.s6_addr + 12, 4, reinterpret_cast<unsigned char*>(&mapped));
      return std::string(inet_ntop(AF_INET, &mapped, buf, sizeof buf));
    }
    return std::string(inet_ntop(AF_INET6, &v6, buf, sizeof buf));
  }
  return std::nullopt;
}

std::optional<TrustedProxies> TrustedProxies::parse(std::string_view list, std::string* bad) {
  TrustedProxies t;
  for (auto item : split(list, true)) {
    auto ip = canonical_ip(item);
    if (!ip) {
      if (bad) *bad = std::string(item);
      return std::nullopt;
    }
    t.addresses_.push_back(*ip);
  }
  return t;
}

bool TrustedProxies::contains(std::string_view address) const {
  auto ip = canonical_ip(address);
  return ip && std::find(addresses_.begin(), addresses_.end(), *ip) != addresses_.end();
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const TrustedProxies& trusted) {
  if (trusted.empty() || !trusted.contains(peer)) return peer;
  std::string client = canonical_ip(peer).value_or(peer);
  const auto hops = split(forwarded_for, false);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto ip = canonical_ip(*it);
    if (!ip) break;  // not an address: the chain is not to be trusted past here
    client = *ip;
    if (!trusted.contains(*ip)) break;
  }
  return client;
}

}  // namespace leadproc::http
