// Which addresses outbound requests (webhooks) may connect to: every public address, and the
// loopback, private, link-local and other special-purpose ones only inside the networks an
// operator allows (LEADPROC_WEBHOOK_ALLOW_NETWORKS, a comma-separated CIDR list such as
// "127.0.0.0/8,10.1.0.0/16"). Checked on the address actually connected to, after name
// resolution, so a name resolving to 127.0.0.1 is refused like the literal.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc::jobs {

class AddressGuard {
 public:
  // nullopt when `networks` holds something that is not a CIDR block (or a plain address);
  // `bad` then names it.
  static std::optional<AddressGuard> parse(std::string_view networks, std::string* bad = nullptr);

  // True iff the request may connect to `address` (AF_INET or AF_INET6; anything else: false).
  bool allows(const sockaddr* address) const;
  // The same for a textual address ("10.0.0.1", "::1"); false when it is not an address.
  bool allows(std::string_view address) const;

 private:
  struct Block {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 0;                        // of the 128 bits
  };
  bool allows(const std::array<std::uint8_t, 16>& address) const;
  std::vector<Block> allowed_;
};

}  // namespace leadproc::jobs
