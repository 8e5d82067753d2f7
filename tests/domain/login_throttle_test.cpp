// The rules of login throttling (src/domain/login_throttle.h): admitted up to the limit, then
// delays doubling to the maximum; refunds; forgetting.
#include "domain/login_throttle.h"

#include <gtest/gtest.h>

namespace leadproc {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0{std::chrono::milliseconds(1'700'000'000'000)};

TEST(LoginThrottle, DelaysStartAtTheLimitAndDoubleToTheMaximum) {
  ThrottlePolicy p{5, 1min, 1h, 24h};
  EXPECT_EQ(delay_after(4, p), 0ms);
  EXPECT_EQ(delay_after(5, p), 1min);
  EXPECT_EQ(delay_after(6, p), 2min);
  EXPECT_EQ(delay_after(10, p), 32min);
  EXPECT_EQ(delay_after(11, p), 1h);  // 64 min, capped
  EXPECT_EQ(delay_after(1000, p), 1h);
}

TEST(LoginThrottle, EachAttemptIsCountedWhenAdmittedAndRefusedWhileDelayed) {
  ThrottlePolicy p{3, 10s, 1h, 24h};
  LoginThrottle t{"a@x.test", "10.0.0.1"};
  for (int i = 1; i <= 3; ++i) {
    auto d = reserve_attempt(t, p, kT0);
    ASSERT_TRUE(d.admitted);
    EXPECT_EQ(d.next.failures, i);
    t = d.next;
  }
  EXPECT_EQ(t.blocked_until, kT0 + 10s);
  auto refused = reserve_attempt(t, p, kT0 + 2500ms);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 8);  // 7.5 s, rounded up
  EXPECT_EQ(refused.next.failures, 3);        // nothing counted
  auto again = reserve_attempt(t, p, kT0 + 10s);
  ASSERT_TRUE(again.admitted);
  EXPECT_EQ(again.next.blocked_until, kT0 + 10s + 20s);
}

TEST(LoginThrottle, ARefundUndoesTheDelayItStarted) {
  ThrottlePolicy p{2, 10s, 1h, 24h};
  LoginThrottle t{"", "10.0.0.1", 1, kT0, Timestamp{}};
  auto d = reserve_attempt(t, p, kT0 + 1s);
  ASSERT_TRUE(d.admitted);
  EXPECT_EQ(d.next.blocked_until, kT0 + 11s);
  LoginThrottle back = refund_attempt(d.next, d);
  EXPECT_EQ(back.failures, 1);
  EXPECT_EQ(back.blocked_until, Timestamp{});
  // A delay set by someone else since is left alone.
  LoginThrottle later = d.next;
  later.failures = 3;
  later.blocked_until = kT0 + 40s;
  EXPECT_EQ(refund_attempt(later, d).blocked_until, kT0 + 40s);
  EXPECT_EQ(refund_attempt(later, d).failures, 2);
}

TEST(LoginThrottle, IdleThrottlesStartAfresh) {
  ThrottlePolicy p{5, 1min, 1h, 24h};
  LoginThrottle t{"a@x.test", "10.0.0.1", 9, kT0, kT0 + 16min};
  EXPECT_FALSE(reserve_attempt(t, p, kT0 + 15min).admitted);
  auto d = reserve_attempt(t, p, kT0 + 24h);
  ASSERT_TRUE(d.admitted);
  EXPECT_EQ(d.next.failures, 1);
}

}  // namespace
}  // namespace leadproc
