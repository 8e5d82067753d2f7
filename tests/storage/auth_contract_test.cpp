// The Store contract's Authentication block (src/app/store.h): sessions, API keys and login
// throttles, against every adapter (SQLite always; PostgreSQL when LEADPROC_TEST_PG_URL is set, run
// by the storage_pg test). Cases use only the port.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/store.h"
#include "contract_fixture.h"

// Designated initializers leave other options at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid;

constexpr std::int64_t kT0 = 1'700'000'000'000;

Session session(unsigned n, const Id& user, std::string hash, std::int64_t expiry) {
  Session s;
  s.id = oid(n);
  s.user_id = user;
  s.token_hash = std::move(hash);
  s.expiry = at(expiry);
  s.is_active = true;
  s.created_at = at(kT0);
  return s;
}

class AuthContract : public storage_test::ContractTest {
 protected:
  // Sessions 1..3 of `user` (token hashes h1..h3) and 4 of another user (h4).
  void insert_four_sessions(const Id& user) {
    ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                  for (unsigned i = 1; i <= 3; ++i)
                    if (auto s = tx.insert_session(session(i, user, "h" + std::to_string(i), kT0));
                        !s)
                      return s;
                  return tx.insert_session(session(4, oid(200), "h4", kT0));
                }).ok());
  }
};

TEST_P(AuthContract, SessionsRoundTripByTokenHash) {
  Session s = session(1, oid(100), "hash-1", kT0 + 3'600'000);
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_session(s); }).ok());
  auto got = read([](ReadTx& tx) { return tx.find_session("hash-1"); });
  ASSERT_TRUE(got.ok()) << got.error().detail;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->id, s.id);
  EXPECT_EQ((*got)->user_id, s.user_id);
  EXPECT_EQ((*got)->token_hash, "hash-1");
  EXPECT_EQ((*got)->expiry, s.expiry);
  EXPECT_TRUE((*got)->is_active);
  EXPECT_EQ((*got)->created_at, s.created_at);
  auto none = read([](ReadTx& tx) { return tx.find_session("hash-2"); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // The token hash is unique.
  Session dup = session(2, oid(101), "hash-1", kT0);
  auto conflict = write([&](WriteTx& tx) { return tx.insert_session(dup); });
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
}

TEST_P(AuthContract, EndingSessions) {
  const Id user = oid(100);
  ASSERT_NO_FATAL_FAILURE(insert_four_sessions(user));
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.end_session(oid(1)); }).ok());
  EXPECT_FALSE((*read([](ReadTx& tx) { return tx.find_session("h1"); }))->is_active);
  auto missing = write([&](WriteTx& tx) { return tx.end_session(oid(99)); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto ended = write([&](WriteTx& tx) { return tx.end_user_sessions(user); });
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);  // h2 and h3; h1 was already ended
  EXPECT_FALSE((*read([](ReadTx& tx) { return tx.find_session("h3"); }))->is_active);
  EXPECT_TRUE((*read([](ReadTx& tx) { return tx.find_session("h4"); }))->is_active);
}

TEST_P(AuthContract, EndingEveryOtherSessionKeepsOne) {
  const Id user = oid(100);
  ASSERT_NO_FATAL_FAILURE(insert_four_sessions(user));
  auto ended = write([&](WriteTx& tx) { return tx.end_other_sessions(user, oid(2)); });
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);  // h1 and h3
  EXPECT_FALSE((*read([](ReadTx& tx) { return tx.find_session("h1"); }))->is_active);
  EXPECT_TRUE((*read([](ReadTx& tx) { return tx.find_session("h2"); }))->is_active);
  EXPECT_FALSE((*read([](ReadTx& tx) { return tx.find_session("h3"); }))->is_active);
  EXPECT_TRUE((*read([](ReadTx& tx) { return tx.find_session("h4"); }))->is_active);
}

TEST_P(AuthContract, PurgeDeletesExpiredAndEndedSessions) {
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                if (auto s = tx.insert_session(session(1, oid(100), "expired", kT0)); !s) return s;
                if (auto s = tx.insert_session(session(2, oid(100), "live", kT0 + 1)); !s) return s;
                if (auto s = tx.insert_session(session(3, oid(100), "ended", kT0 + 1)); !s)
                  return s;
                return tx.end_session(oid(3));
              }).ok());
  auto purged = write([&](WriteTx& tx) { return tx.purge_sessions(at(kT0)); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
  EXPECT_FALSE(read([](ReadTx& tx) { return tx.find_session("expired"); })->has_value());
  EXPECT_FALSE(read([](ReadTx& tx) { return tx.find_session("ended"); })->has_value());
  EXPECT_TRUE(read([](ReadTx& tx) { return tx.find_session("live"); })->has_value());
}

TEST_P(AuthContract, ApiKeysRoundTrip) {
  ApiKey k;
  k.id = oid(10);
  k.name = "Goa landing page";
  k.key_hash = "key-hash-1";
  k.platform = Platform::kInstagram;
  k.created_by = oid(1);
  k.created_at = at(kT0);
  ApiKey other = k;
  other.id = oid(11);
  other.key_hash = "key-hash-2";
  other.created_by.reset();
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                if (auto s = tx.insert_api_key(other); !s) return s;
                return tx.insert_api_key(k);
              }).ok());

  auto by_hash = read([](ReadTx& tx) { return tx.find_api_key("key-hash-1"); });
  ASSERT_TRUE(by_hash.ok()) << by_hash.error().detail;
  ASSERT_TRUE(by_hash->has_value());
  const ApiKey& got = **by_hash;
  EXPECT_EQ(got.id, k.id);
  EXPECT_EQ(got.name, k.name);
  EXPECT_EQ(got.key_hash, k.key_hash);
  EXPECT_EQ(got.platform, Platform::kInstagram);
  EXPECT_EQ(got.created_by, k.created_by);
  EXPECT_FALSE(got.revoked);
  EXPECT_EQ(got.created_at, k.created_at);
  EXPECT_FALSE(got.last_used_at.has_value());
  EXPECT_FALSE(read([](ReadTx& tx) { return tx.find_api_key("nope"); })->has_value());

  ApiKey changed = k;
  changed.revoked = true;
  changed.name = "renamed";
  changed.last_used_at = at(kT0 + 5);
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.update_api_key(changed); }).ok());
  auto by_id = read([&](ReadTx& tx) { return tx.get_api_key(k.id); });
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_TRUE((*by_id)->revoked);
  EXPECT_EQ((*by_id)->name, "renamed");
  EXPECT_EQ((*by_id)->last_used_at, std::optional<Timestamp>(at(kT0 + 5)));

  auto all = read([](ReadTx& tx) { return tx.list_api_keys(); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, k.id);  // ordered by id
  EXPECT_EQ((*all)[1].id, other.id);

  ApiKey missing = k;
  missing.id = oid(12);
  auto nf = write([&](WriteTx& tx) { return tx.update_api_key(missing); });
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().code, ErrorCode::kNotFound);
  ApiKey dup = other;
  dup.id = oid(13);
  auto conflict = write([&](WriteTx& tx) { return tx.insert_api_key(dup); });
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
}

LoginThrottle throttle(std::string email, std::string address, int failures,
                       std::int64_t last_failure, std::int64_t blocked_until) {
  return LoginThrottle{std::move(email), std::move(address), failures, at(last_failure),
                       at(blocked_until)};
}

void expect_same(const LoginThrottle& got, const LoginThrottle& want) {
  EXPECT_EQ(got.email, want.email);
  EXPECT_EQ(got.address, want.address);
  EXPECT_EQ(got.failures, want.failures);
  EXPECT_EQ(got.last_failure_at, want.last_failure_at);
  EXPECT_EQ(got.blocked_until, want.blocked_until);
}

TEST_P(AuthContract, LoginThrottlesRoundTripClearAndPurge) {
  // Unknown: a fresh throttle of that key.
  auto fresh =
      write([](WriteTx& tx) { return tx.login_throttle_for_update("a@x.test", "10.0.0.1"); });
  ASSERT_OK(fresh);
  expect_same(*fresh, LoginThrottle{"a@x.test", "10.0.0.1"});

  const LoginThrottle pair_a = throttle("a@x.test", "10.0.0.1", 5, kT0, kT0 + 60'000);
  const LoginThrottle pair_a2 = throttle("a@x.test", "10.0.0.2", 1, kT0 + 10, 0);
  const LoginThrottle pair_b = throttle("b@x.test", "10.0.0.1", 2, kT0 + 20, 0);
  const LoginThrottle addr_1 = throttle("", "10.0.0.1", 7, kT0 + 30, 0);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto* t : {&pair_a, &pair_a2, &pair_b, &addr_1})
      if (auto s = tx.save_login_throttle(*t); !s) return s;
    return ok_status();
  }));
  auto got =
      write([](WriteTx& tx) { return tx.login_throttle_for_update("a@x.test", "10.0.0.1"); });
  ASSERT_OK(got);
  expect_same(*got, pair_a);
  // Saving again replaces.
  LoginThrottle more = pair_b;
  more.failures = 3;
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_login_throttle(more); }));
  auto b = write([](WriteTx& tx) { return tx.login_throttle_for_update("b@x.test", "10.0.0.1"); });
  ASSERT_OK(b);
  EXPECT_EQ(b->failures, 3);

  // Only the throttles with a delay running are listed.
  auto listed = read([](ReadTx& tx) { return tx.list_login_throttles(at(kT0 + 100), 10); });
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  expect_same(listed->front(), pair_a);

  // Purge: idle since before kT0 + 15 and no delay running at kT0 + 100: only pair_a2... and
  // pair_a's delay still runs, so it stays.
  auto purged =
      write([](WriteTx& tx) { return tx.purge_login_throttles(at(kT0 + 15), at(kT0 + 100)); });
  ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1);
  auto a2 = write([](WriteTx& tx) { return tx.login_throttle_for_update("a@x.test", "10.0.0.2"); });
  EXPECT_EQ(a2->failures, 0);

  // Clearing: nothing selected clears nothing; a pair; an email's pairs; an address and its pairs.
  EXPECT_EQ(*write([](WriteTx& tx) { return tx.clear_login_throttles({}); }), 0);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_login_throttle(pair_a2); }));
  EXPECT_EQ(*write([](WriteTx& tx) {
    return tx.clear_login_throttles({std::string("a@x.test"), std::string("10.0.0.2")});
  }),
            1);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_login_throttle(pair_a2); }));
  EXPECT_EQ(*write([](WriteTx& tx) {
    return tx.clear_login_throttles({std::string("a@x.test"), std::nullopt});
  }),
            2);  // pair_a and pair_a2
  EXPECT_EQ(*write([](WriteTx& tx) {
    return tx.clear_login_throttles({std::nullopt, std::string("10.0.0.1")});
  }),
            2);  // pair_b and the address's own
  auto left = write([](WriteTx& tx) { return tx.login_throttle_for_update("", "10.0.0.1"); });
  EXPECT_EQ(left->failures, 0);
}

// The lock of login_throttle_for_update: attempts counted at once from many threads, through two
// stores on the same database (two instances), are all counted, none lost.
TEST_P(AuthContract, LoginThrottleUpdatesAreNeverLost) {
  auto other = factory_();
  ASSERT_NE(other, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEach = 6;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < kThreads; ++i) {
    Store& store = i % 2 == 0 ? *store_ : *other;
    threads.emplace_back([&store, &failed] {
      for (int n = 0; n < kEach; ++n) {
        auto s = store.write([](WriteTx& tx) -> Status {
          auto t = tx.login_throttle_for_update("a@x.test", "10.0.0.1");
          if (!t) return t.error();
          t->failures += 1;
          return tx.save_login_throttle(*t);
        });
        if (!s) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  auto t = write([](WriteTx& tx) { return tx.login_throttle_for_update("a@x.test", "10.0.0.1"); });
  ASSERT_OK(t);
  EXPECT_EQ(t->failures, kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Adapters, AuthContract,
                         ::testing::ValuesIn(storage_test::contract_backends("auth")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
