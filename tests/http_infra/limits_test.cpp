// The server's admission limits without sockets (http/limits.h): connection counting with
// eviction of the longest-idle connection, the body budget, and the limits derived from the
// file-descriptor limit. Links leadproc_http and GTest::gtest_main.
#include <gtest/gtest.h>

#include "http/limits.h"

namespace leadproc::http {
namespace {

TEST(ConnectionTable, AdmitsUpToTheTotalThenEvictsTheLongestIdle) {
  ConnectionTable t(2, 10);
  EXPECT_TRUE(t.admit(1, "10.0.0.1", false).admitted);
  EXPECT_TRUE(t.admit(2, "10.0.0.2", false).admitted);
  t.set_idle(1, false);
  t.set_idle(2, false);
  t.set_idle(1, true);  // 1 idle since now
  t.set_idle(2, true);  // 2 idle since later
  const auto a = t.admit(3, "10.0.0.3", false);
  ASSERT_TRUE(a.admitted);
  EXPECT_EQ(a.evict, 1u);
  EXPECT_EQ(a.evict_reason, "max_connections");
  // 1 is being closed and counts no more: the next one evicts 2 (still idle), not 1 again.
  const auto b = t.admit(4, "10.0.0.4", false);
  ASSERT_TRUE(b.admitted);
  EXPECT_EQ(b.evict, 2u);
}

TEST(ConnectionTable, RefusesWhenNoConnectionIsIdle) {
  ConnectionTable t(2, 10);
  t.admit(1, "10.0.0.1", false);
  t.admit(2, "10.0.0.1", false);
  t.set_idle(1, false);
  t.set_idle(2, false);
  const auto a = t.admit(3, "10.0.0.2", false);
  EXPECT_FALSE(a.admitted);
  EXPECT_EQ(a.refused_reason, "max_connections");
  t.remove(2);
  EXPECT_TRUE(t.admit(3, "10.0.0.2", false).admitted);
  EXPECT_EQ(t.size(), 2u);
}

TEST(ConnectionTable, PerAddressLimitEvictsOnlyThatAddressesConnections) {
  ConnectionTable t(100, 2);
  t.admit(1, "10.0.0.9", false);  // another address, idle for longest
  t.admit(2, "10.0.0.1", false);
  t.admit(3, "10.0.0.1", false);
  const auto a = t.admit(4, "10.0.0.1", false);
  ASSERT_TRUE(a.admitted);
  EXPECT_EQ(a.evict, 2u);
  EXPECT_EQ(a.evict_reason, "max_per_address");
  t.set_idle(3, false);
  t.set_idle(4, false);
  const auto b = t.admit(5, "10.0.0.1", false);
  EXPECT_FALSE(b.admitted);
  EXPECT_EQ(b.refused_reason, "max_per_address");
  // Exempt (loopback, a trusted proxy): only the total applies.
  EXPECT_TRUE(t.admit(6, "10.0.0.1", true).admitted);
}

TEST(ConnectionTable, AnEvictedConnectionThatTurnsBusyCountsAgain) {
  ConnectionTable t(1, 1);
  t.admit(1, "10.0.0.1", false);
  const auto a = t.admit(2, "10.0.0.2", false);
  ASSERT_EQ(a.evict, 1u);
  t.set_idle(1, false);  // its request arrived before the close: it stays
  t.set_idle(2, false);
  EXPECT_FALSE(t.admit(3, "10.0.0.3", false).admitted);
  t.remove(1);
  t.remove(2);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.admit(3, "10.0.0.3", false).admitted);
}

TEST(BodyBudget, ReservesUpToTheLimitAndReleasesOnDestruction) {
  BodyBudget budget(100);
  {
    ASSERT_TRUE(budget.try_reserve(60));
    BodyReservation held(budget, 60);
    EXPECT_FALSE(budget.try_reserve(41));
    EXPECT_TRUE(budget.try_reserve(40));
    budget.release(40);
    BodyReservation moved = std::move(held);
    EXPECT_EQ(budget.in_use(), 60u);
  }
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_FALSE(budget.try_reserve(101));
  EXPECT_TRUE(budget.try_reserve(100));
}

TEST(ConnectionLimits, LeaveFilesForTheRestOfTheProcess) {
  const auto common = connection_limits_for(1024);  // a common service default
  EXPECT_EQ(common.max_total, 896u);
  EXPECT_EQ(common.max_per_address, 224u);
  const auto big = connection_limits_for(65536);
  EXPECT_EQ(big.max_total, 57344u);
  const auto tiny = connection_limits_for(50);
  EXPECT_GE(tiny.max_total, 16u);
  EXPECT_GE(tiny.max_per_address, 4u);
  EXPECT_EQ(per_address_limit_for(100), 25u);  // LEADPROC_MAX_CONNECTIONS=100 alone
  EXPECT_EQ(per_address_limit_for(2), 2u);
  const auto current = default_connection_limits();
  EXPECT_GE(current.max_total, 16u);
}

}  // namespace
}  // namespace leadproc::http
