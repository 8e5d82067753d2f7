// Which address a request comes from, for login throttling and the access log, when leadproc
// runs behind reverse proxies (nginx, a load balancer) that it is told to trust. Without trusted
// proxies every client behind one proxy would share the proxy's address, and one user's failed
// logins would throttle everyone.
//
// The rule (the one nginx's realip module applies with real_ip_recursive on): if the peer is not
// a trusted proxy, the peer is the client and X-Forwarded-For is ignored (anyone can send it).
// Otherwise walk X-Forwarded-For from the right, skipping trusted proxies; the first other entry
// is the client. A malformed entry ends the walk (it was written by someone untrusted); if no
// untrusted entry is found, the left-most trusted address seen is the client.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc::http {

// A parsed list of trusted proxy addresses (IPv4 or IPv6, exact addresses).
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // "10.0.0.1, 10.0.0.2" (commas and/or spaces). nullopt, with `bad` set to the first entry that
  // is not an IP address, if any is malformed.
  static std::optional<TrustedProxies> parse(std::string_view list, std::string* bad = nullptr);

  bool empty() const { return addresses_.empty(); }
  bool contains(std::string_view address) const;

 private:
  std::vector<std::string> addresses_;  // canonical text (inet_ntop)
};

// The canonical text of an IP address (so "::0001" and "::1" compare equal); nullopt if `text` is
// not one.
std::optional<std::string> canonical_ip(std::string_view text);

// The client's address by the rule above. `forwarded_for` is the X-Forwarded-For header (all its
// fields joined with ", "), empty if absent.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const TrustedProxies& trusted);

}  // namespace leadproc::http
