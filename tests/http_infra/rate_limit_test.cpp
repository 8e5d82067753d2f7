// The per-address rate limit of the public form route (http/rate_limit.h), with the time passed
// in: an address gets `limit` requests per window and then a Retry-After until its window ends;
// other addresses are not affected; the table's memory stays bounded.
#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace leadproc::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const AddressRateLimit::Time t0{milliseconds(1'700'000'000'000)};

TEST(AddressRateLimit, AdmitsTheLimitPerWindowThenSaysWhenToRetry) {
  AddressRateLimit limit(3, std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limit.admit("203.0.113.7", t0 + seconds(i)), 0) << i;
  EXPECT_EQ(limit.admit("203.0.113.7", t0 + seconds(10)), 3590);
  // Another address has its own window.
  EXPECT_EQ(limit.admit("203.0.113.8", t0 + seconds(10)), 0);
  // Once the window has ended, the address starts afresh.
  EXPECT_EQ(limit.admit("203.0.113.7", t0 + std::chrono::hours(1)), 0);
}

TEST(AddressRateLimit, RetryAfterIsAtLeastOneSecond) {
  AddressRateLimit limit(1, seconds(10));
  EXPECT_EQ(limit.admit("a", t0), 0);
  EXPECT_EQ(limit.admit("a", t0 + milliseconds(9'999)), 1);
}

TEST(AddressRateLimit, ForgetsEndedWindowsToStayWithinItsSize) {
  AddressRateLimit limit(1, seconds(10), 2);
  EXPECT_EQ(limit.admit("a", t0), 0);
  EXPECT_EQ(limit.admit("b", t0), 0);
  // "a" and "b" have ended by now: forgotten to make room for "c", whose window is new.
  EXPECT_EQ(limit.admit("c", t0 + seconds(20)), 0);
  EXPECT_EQ(limit.admit("c", t0 + seconds(21)), 10 - 1);
}

TEST(AddressRateLimit, RefusesNonsense) {
  EXPECT_THROW(AddressRateLimit(0, seconds(1)), std::invalid_argument);
  EXPECT_THROW(AddressRateLimit(1, seconds(0)), std::invalid_argument);
}

TEST(RateLimitKey, AnIpv6AddressCountsByItsSlash64) {
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:aaaa::1"), "2001:0db8:0001:0002::/64");
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:bbbb::9"), rate_limit_key("2001:db8:1:2::1"));
  EXPECT_EQ(rate_limit_key("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(rate_limit_key("not an address"), "not an address");
}

}  // namespace
}  // namespace leadproc::http
