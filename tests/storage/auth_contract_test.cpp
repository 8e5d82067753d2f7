// The Store contract's Authentication block (src/app/store.h): sessions, API keys and failed
// logins, against every adapter (SQLite always; PostgreSQL when LEADPROC_TEST_PG_URL is set, run
// by the storage_pg test). Cases use only the port.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

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

class AuthContract : public storage_test::ContractTest {};

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
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (unsigned i = 1; i <= 3; ++i)
                  if (auto s = tx.insert_session(session(i, user, "h" + std::to_string(i), kT0));
                      !s)
                    return s;
                return tx.insert_session(session(4, oid(200), "h4", kT0));
              }).ok());
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

TEST_P(AuthContract, LoginFailuresCountWithinAWindow) {
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (std::int64_t t : {kT0, kT0 + 10, kT0 + 20})
                  if (auto s = tx.record_login_failure("email:a@x.test", at(t)); !s) return s;
                return tx.record_login_failure("ip:10.0.0.1", at(kT0 + 30));
              }).ok());
  auto all = read([](ReadTx& tx) { return tx.login_failures("email:a@x.test", at(kT0)); });
  ASSERT_TRUE(all.ok()) << all.error().detail;
  EXPECT_EQ(all->count, 3);
  EXPECT_EQ(all->oldest, std::optional<Timestamp>(at(kT0)));
  auto recent = read([](ReadTx& tx) { return tx.login_failures("email:a@x.test", at(kT0 + 5)); });
  EXPECT_EQ(recent->count, 2);
  EXPECT_EQ(recent->oldest, std::optional<Timestamp>(at(kT0 + 10)));
  auto none = read([](ReadTx& tx) { return tx.login_failures("email:b@x.test", at(0)); });
  EXPECT_EQ(none->count, 0);
  EXPECT_FALSE(none->oldest.has_value());

  auto purged = write([](WriteTx& tx) { return tx.purge_login_failures(at(kT0 + 15)); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(read([](ReadTx& tx) { return tx.login_failures("email:a@x.test", at(0)); })->count, 1);
  ASSERT_TRUE(write([](WriteTx& tx) { return tx.clear_login_failures("email:a@x.test"); }).ok());
  EXPECT_EQ(read([](ReadTx& tx) { return tx.login_failures("email:a@x.test", at(0)); })->count, 0);
  EXPECT_EQ(read([](ReadTx& tx) { return tx.login_failures("ip:10.0.0.1", at(0)); })->count, 1);
}

INSTANTIATE_TEST_SUITE_P(Adapters, AuthContract,
                         ::testing::ValuesIn(storage_test::contract_backends("auth")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
