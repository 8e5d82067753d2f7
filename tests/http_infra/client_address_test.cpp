// Which address a request comes from behind trusted reverse proxies (client_address.h).
#include "http/client_address.h"

#include <gtest/gtest.h>

namespace leadproc::http {
namespace {

TrustedProxies trusted(std::string_view list) {
  auto t = TrustedProxies::parse(list);
  EXPECT_TRUE(t) << list;
  return t.value_or(TrustedProxies{});
}

TEST(ClientAddress, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(client_address("198.51.100.9", "203.0.113.7", TrustedProxies{}), "198.51.100.9");
}

TEST(ClientAddress, AnUntrustedPeerCannotClaimAnotherAddress) {
  EXPECT_EQ(client_address("198.51.100.9", "203.0.113.7", trusted("10.0.0.1")), "198.51.100.9");
}

TEST(ClientAddress, BehindATrustedProxyTheForwardedClientCounts) {
  EXPECT_EQ(client_address("10.0.0.1", "203.0.113.7", trusted("10.0.0.1")), "203.0.113.7");
  // The right-most untrusted hop: what the client wrote itself on the left is not believed.
  EXPECT_EQ(client_address("10.0.0.1", "1.2.3.4, 203.0.113.7", trusted("10.0.0.1")), "203.0.113.7");
  // Chains of trusted proxies are walked through.
  EXPECT_EQ(
      client_address("10.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.2", trusted("10.0.0.1 10.0.0.2")),
      "203.0.113.7");
}

TEST(ClientAddress, MalformedOrAbsentHeadersFallBackToTheLastTrustedHop) {
  EXPECT_EQ(client_address("10.0.0.1", "", trusted("10.0.0.1")), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", "unknown", trusted("10.0.0.1")), "10.0.0.1");
  EXPECT_EQ(
      client_address("10.0.0.1", "203.0.113.7, not-an-ip, 10.0.0.2", trusted("10.0.0.1,10.0.0.2")),
      "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.1", "10.0.0.2", trusted("10.0.0.1,10.0.0.2")), "10.0.0.2");
}

TEST(ClientAddress, AddressesCompareInCanonicalForm) {
  EXPECT_EQ(client_address("::ffff:10.0.0.1", "2001:db8:0:0::1", trusted("10.0.0.1")),
            "2001:db8::1");
  EXPECT_EQ(canonical_ip("::0001"), "::1");
  EXPECT_EQ(canonical_ip("10.0.0.256"), std::nullopt);
}

TEST(ClientAddress, TheSettingNamesTheBadEntry) {
  std::string bad;
  EXPECT_FALSE(TrustedProxies::parse("10.0.0.1, proxy.local", &bad));
  EXPECT_EQ(bad, "proxy.local");
  EXPECT_TRUE(TrustedProxies::parse("")->empty());
}

}  // namespace
}  // namespace leadproc::http
