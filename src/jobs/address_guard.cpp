#include "jobs/address_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace leadproc::jobs {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

std::optional<Bytes> parse_address(std::string_view text) {
  const std::string s(text);
  Bytes out{};
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_v4(const Bytes& a) {
  for (int i = 0; i < 10; ++i)
    if (a[i] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

bool in_block(const Bytes& a, const Bytes& net, int prefix) {
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((a[byte] & mask) != (net[byte] & mask)) return false;
  }
  return true;
}

// Special-purpose ranges never reached without the operator's leave (RFC 6890 and its
// successors): "this network", loopback, private, shared (CGNAT), link-local, benchmarking,
// multicast and reserved; IPv6 unspecified, loopback, unique-local, link-local, multicast.
bool is_special(const Bytes& a) {
  struct Range {
    const char* net;
    int prefix;  // of the textual address's own width
  };
  static constexpr Range kV4[] = {{"0.0.0.0", 8},    {"10.0.0.0", 8},     {"100.64.0.0", 10},
                                  {"127.0.0.0", 8},  {"169.254.0.0", 16}, {"172.16.0.0", 12},
                                  {"192.0.0.0", 24}, {"192.168.0.0", 16}, {"198.18.0.0", 15},
                                  {"224.0.0.0", 4},  {"240.0.0.0", 4}};
  static constexpr Range kV6[] = {
      {"::", 128}, {"::1", 128}, {"fc00::", 7}, {"fe80::", 10}, {"ff00::", 8}};
  if (is_v4(a)) {
    for (const Range& r : kV4)
      if (in_block(a, *parse_address(r.net), 96 + r.prefix)) return true;
    return false;
  }
  for (const Range& r : kV6)
    if (in_block(a, *parse_address(r.net), r.prefix)) return true;
  return false;
}

}  // namespace

std::optional<AddressGuard> AddressGuard::parse(std::string_view networks, std::string* bad) {
  AddressGuard g;
  while (!networks.empty()) {
    const auto comma = networks.find(',');
    std::string_view item = networks.substr(0, comma);
    networks = comma == std::string_view::npos ? std::string_view() : networks.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    const auto slash = item.find('/');
    auto address = parse_address(item.substr(0, slash));
    int prefix = -1;
    if (address) {
      const int width = is_v4(*address) ? 32 : 128;
      if (slash == std::string_view::npos) {
        prefix = width;
      } else {
        const std::string_view p = item.substr(slash + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
        if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > width)
          prefix = -1;
      }
      if (prefix >= 0 && width == 32) prefix += 96;
    }
    if (!address || prefix < 0) {
      if (bad) *bad = std::string(item);
      return std::nullopt;
    }
    g.allowed_.push_back(Block{*address, prefix});
  }
  return g;
}

bool AddressGuard::allows(const Bytes& a) const {
  if (!is_special(a)) return true;
  for (const Block& b : allowed_)
    if (in_block(a, b.bytes, b.prefix)) return true;
  return false;
}

bool AddressGuard::allows(const sockaddr* address) const {
  Bytes a{};
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    a[10] = a[11] = 0xff;
    std::memcpy(&a[12], &v4->sin_addr, 4);
  } else if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    std::memcpy(a.data(), &v6->sin6_addr, 16);
  } else {
    return false;
  }
  return allows(a);
}

bool AddressGuard::allows(std::string_view address) const {
  auto a = parse_address(address);
  return a && allows(*a);
}

}  // namespace leadproc::jobs
