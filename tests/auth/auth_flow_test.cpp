// The authentication use cases (src/app/auth.h, users.h) over a real SQLite store, with a clock
// the test moves: login, sessions and their expiry, throttling with growing delays, the ends of
// sessions, API keys.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "app/auth.h"
#include "app/users.h"
#include "codec/json_codec.h"
#include "crypto/secrets.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kPassword = "Str0ng-enough";

class AuthFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "leadproc-auth-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = sqlite::SqliteStore::open((dir_ / "auth.db").string());
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate().ok());
    AppConfig config;
    config.auth.bcrypt_cost = 4;
    config.auth.session_ttl = 1h;
    ctx_ = std::make_unique<AppContext>(
        *store_, phones_, ids_, [this] { return now_; }, config);
  }
  void TearDown() override {
    ctx_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  User make_user(const std::string& email, const char* department = "PSV") {
    UserInput in;
    in.email = email;
    in.department = parse_department(department);
    in.password = std::string(kPassword);
    auto u = create_user(ctx(), in);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().detail);
    return u.ok() ? *u : User{};
  }

  std::optional<ErrorCode> login_code(const std::string& email, const std::string& password,
                                      const std::string& ip = "10.0.0.1") {
    auto r = login(ctx(), email, password, ip);
    if (r.ok()) return std::nullopt;
    return r.error().code;
  }

  AppContext& ctx() { return *ctx_; }
  void advance(std::chrono::milliseconds d) { now_ += d; }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  PhoneNormalizer phones_{"IN"};
  ObjectIdGenerator ids_{0x1234567890ULL, 1};
  Timestamp now_{std::chrono::milliseconds(1'700'000'000'000)};
  std::unique_ptr<AppContext> ctx_;
};

TEST_F(AuthFlow, LoginGivesATokenOnlyWhoseHashIsStored) {
  User u = make_user("asha@example.test");
  auto r = login(ctx(), " Asha@Example.TEST ", kPassword, "10.0.0.1");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->token.substr(0, 4), "lps_");
  EXPECT_EQ(r->user.id, u.id);
  EXPECT_EQ(r->session.expiry, now_ + 1h);
  EXPECT_EQ(r->session.token_hash, sha256_hex(r->token));

  auto stored = std::optional<Session>();
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Status {
                    auto s = tx.find_session(sha256_hex(r->token));
                    if (!s) return s.error();
                    stored = *s;
                    auto raw = tx.find_session(r->token);  // the token itself is not stored
                    EXPECT_TRUE(raw.ok() && !raw->has_value());
                    return ok_status();
                  })
                  .ok());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, u.id);

  auto p = authenticate_token(ctx(), r->token);
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->id, u.id);
  EXPECT_EQ(p->department, Department::kPsv);
  EXPECT_EQ(p->actor(), std::optional<Id>(u.id));
  EXPECT_FALSE(authenticate_token(ctx(), r->token + "x").ok());
  EXPECT_FALSE(authenticate_token(ctx(), "").ok());
}

TEST_F(AuthFlow, UnknownEmailAndWrongPasswordAnswerAlike) {
  make_user("asha@example.test");
  auto wrong = login(ctx(), "asha@example.test", "Wrong-password1", "10.0.0.1");
  auto unknown = login(ctx(), "nobody@example.test", kPassword, "10.0.0.2");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(wrong.error().detail, unknown.error().detail);
  EXPECT_EQ(login_code("", kPassword), ErrorCode::kValidation);
  EXPECT_EQ(login_code("asha@example.test", ""), ErrorCode::kValidation);
}

TEST_F(AuthFlow, ExpiredSessionsStopAtOnceAndArePurged) {
  make_user("asha@example.test");
  auto r = login(ctx(), "asha@example.test", kPassword, "10.0.0.1");
  ASSERT_TRUE(r.ok());
  advance(1h - 1ms);
  EXPECT_TRUE(authenticate_token(ctx(), r->token).ok());
  advance(1ms);
  auto expired = authenticate_token(ctx(), r->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthorized);
  auto purged = purge_expired_auth(ctx());
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->sessions, 1);
  EXPECT_EQ(purge_expired_auth(ctx())->sessions, 0);
}

TEST_F(AuthFlow, LogoutEndsTheSessionOnly) {
  make_user("asha@example.test");
  auto a = login(ctx(), "asha@example.test", kPassword, "10.0.0.1");
  auto b = login(ctx(), "asha@example.test", kPassword, "10.0.0.1");
  ASSERT_TRUE(a.ok() && b.ok());
  auto p = authenticate_token(ctx(), a->token);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(logout(ctx(), *p).ok());
  EXPECT_FALSE(authenticate_token(ctx(), a->token).ok());
  EXPECT_TRUE(authenticate_token(ctx(), b->token).ok());
  EXPECT_TRUE(logout(ctx(), *p).ok());  // idempotent
}

// Five failures for one account from one address delay that pair only: the owner's right
// password from another address still logs in (anyone could otherwise lock anyone out).
TEST_F(AuthFlow, FailuresDelayTheAccountFromThatAddressOnly) {
  make_user("asha@example.test");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login_code("asha@example.test", "Wrong-password1", "10.0.0.1"),
              ErrorCode::kUnauthorized);
    advance(1s);
  }
  LoginAudit audit;
  auto blocked = login(ctx(), "asha@example.test", kPassword, "10.0.0.1", audit);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(blocked.error().retry_after_seconds, 60 - 1);  // the 5th failure was 1 s ago
  EXPECT_EQ(audit.outcome, LoginOutcome::kThrottledPair);
  EXPECT_FALSE(audit.password_checked);
  // The owner, from another address, is not affected; nor is another user from the same one.
  EXPECT_EQ(login_code("asha@example.test", kPassword, "10.9.9.9"), std::nullopt);
  make_user("ravi@example.test");
  EXPECT_EQ(login_code("ravi@example.test", kPassword, "10.0.0.1"), std::nullopt);
  // Once the delay is over, the pair is checked again.
  advance(59s);
  EXPECT_EQ(login_code("asha@example.test", kPassword, "10.0.0.1"), std::nullopt);
}

// After the limit each failure doubles the delay (up to the maximum); a success resets the pair.
TEST_F(AuthFlow, DelaysGrowAfterTheLimitAndASuccessResetsThePair) {
  make_user("asha@example.test");
  auto retry_after = [&] {
    auto r = login(ctx(), "asha@example.test", kPassword, "10.0.0.1");
    return r.ok() ? 0 : r.error().retry_after_seconds;
  };
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(login_code("asha@example.test", "Wrong-password1", "10.0.0.1"),
              ErrorCode::kUnauthorized);
  std::vector<int> delays;
  for (int i = 0; i < 8; ++i) {
    const int wait = retry_after();
    delays.push_back(wait);
    advance(std::chrono::seconds(wait));
    EXPECT_EQ(login_code("asha@example.test", "Wrong-password1", "10.0.0.1"),
              ErrorCode::kUnauthorized);
  }
  EXPECT_EQ(delays, (std::vector<int>{60, 120, 240, 480, 960, 1920, 3600, 3600}));
  advance(std::chrono::seconds(retry_after()));
  EXPECT_EQ(login_code("asha@example.test", kPassword, "10.0.0.1"), std::nullopt);
  // Reset: four failures and the right password again, no delay.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(login_code("asha@example.test", "Wrong-password1", "10.0.0.1"),
              ErrorCode::kUnauthorized);
  EXPECT_EQ(login_code("asha@example.test", kPassword, "10.0.0.1"), std::nullopt);
}

// An office behind one address: failures on several accounts delay nobody else until the
// address's own, higher limit; successes do not count towards it.
TEST_F(AuthFlow, ASharedAddressIsDelayedOnlyAtItsHigherLimit) {
  const int limit = ctx().config.auth.max_failed_logins_per_address;
  make_user("asha@example.test");
  make_user("ravi@example.test");
  for (int i = 0; i < limit - 1; ++i) {
    EXPECT_EQ(login_code("staff" + std::to_string(i % 20) + "@example.test", "Wrong-password1",
                         "10.6.6.6"),
              ErrorCode::kUnauthorized);
    if (i % 10 == 0) {
      EXPECT_EQ(login_code("asha@example.test", kPassword, "10.6.6.6"), std::nullopt);
    }
  }
  EXPECT_EQ(login_code("ravi@example.test", kPassword, "10.6.6.6"), std::nullopt);
  EXPECT_EQ(login_code("nobody@example.test", kPassword, "10.6.6.6"), ErrorCode::kUnauthorized);
  LoginAudit audit;
  auto blocked = login(ctx(), "ravi@example.test", kPassword, "10.6.6.6", audit);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(audit.outcome, LoginOutcome::kThrottledAddress);
  EXPECT_EQ(login_code("ravi@example.test", kPassword, "10.7.7.7"), std::nullopt);
}

// Concurrent guesses are counted before their check: of 48 at once, 5 are checked.
TEST_F(AuthFlow, ConcurrentGuessesAreCheckedAtMostUpToTheLimit) {
  make_user("asha@example.test");
  std::atomic<int> checked{0};
  std::atomic<int> throttled{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 48; ++i)
    threads.emplace_back([&] {
      LoginAudit audit;
      auto r = login(ctx(), "asha@example.test", "Wrong-password1", "10.0.0.1", audit);
      if (audit.password_checked) ++checked;
      if (!r.ok() && r.error().code == ErrorCode::kTooManyRequests) ++throttled;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(throttled.load(), 43);
}

TEST_F(AuthFlow, AnAdminClearsAThrottle) {
  make_user("asha@example.test");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(login_code("asha@example.test", "Wrong-password1", "10.0.0.1"),
              ErrorCode::kUnauthorized);
  EXPECT_EQ(login_code("asha@example.test", kPassword, "10.0.0.1"), ErrorCode::kTooManyRequests);
  auto listed = list_login_throttles(ctx());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().email, "asha@example.test");
  EXPECT_EQ(listed->front().address, "10.0.0.1");

  auto none = clear_login_throttles(ctx(), ThrottleClearInput{});
  ASSERT_FALSE(none.ok());
  ASSERT_EQ(none.error().fields.size(), 2u);
  EXPECT_EQ(none.error().fields[0].field, "email");
  EXPECT_EQ(none.error().fields[1].field, "address");
  ThrottleClearInput asha;
  asha.email = " Asha@Example.test";
  auto cleared = clear_login_throttles(ctx(), asha);
  ASSERT_TRUE(cleared.ok()) << cleared.error().detail;
  EXPECT_EQ(*cleared, 1);
  LoginAudit audit;
  EXPECT_TRUE(login(ctx(), "asha@example.test", kPassword, "10.0.0.1", audit).ok());
  EXPECT_TRUE(audit.password_checked);
}

TEST_F(AuthFlow, IdleThrottlesAreForgottenAndPurged) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login_code("nobody@example.test", kPassword, "10.6.6.6"), ErrorCode::kUnauthorized);
  EXPECT_EQ(purge_expired_auth(ctx())->login_failures, 0);
  advance(24h + 1ms);
  EXPECT_EQ(purge_expired_auth(ctx())->login_failures, 2);  // the pair and the address
}

TEST_F(AuthFlow, DeactivatingDeletingOrResettingEndsSessions) {
  User a = make_user("asha@example.test");
  User b = make_user("ravi@example.test");
  User c = make_user("meera@example.test");
  auto ta = login(ctx(), a.email, kPassword, "10.0.0.1");
  auto tb = login(ctx(), b.email, kPassword, "10.0.0.1");
  auto tc = login(ctx(), c.email, kPassword, "10.0.0.1");
  ASSERT_TRUE(ta.ok() && tb.ok() && tc.ok());

  ASSERT_TRUE(deactivate_user(ctx(), a.id).ok());
  EXPECT_FALSE(authenticate_token(ctx(), ta->token).ok());
  EXPECT_EQ(login_code(a.email, kPassword), ErrorCode::kUnauthorized);

  ASSERT_TRUE(delete_user(ctx(), b.id).ok());
  EXPECT_FALSE(authenticate_token(ctx(), tb->token).ok());
  EXPECT_EQ(login_code(b.email, kPassword), ErrorCode::kUnauthorized);

  auto weak = set_user_password(ctx(), c.id, "short");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(authenticate_token(ctx(), tc->token).ok());
  ASSERT_TRUE(set_user_password(ctx(), c.id, "Another-pass-2").ok());
  EXPECT_FALSE(authenticate_token(ctx(), tc->token).ok());
  EXPECT_EQ(login_code(c.email, kPassword), ErrorCode::kUnauthorized);
  EXPECT_EQ(login_code(c.email, "Another-pass-2"), std::nullopt);
}

TEST_F(AuthFlow, DepartmentChangesApplyToOpenSessions) {
  User a = make_user("asha@example.test");
  auto t = login(ctx(), a.email, kPassword, "10.0.0.1");
  ASSERT_TRUE(t.ok());
  UserInput sales;
  sales.department = Department::kSales;
  ASSERT_TRUE(update_user(ctx(), a.id, sales).ok());
  auto p = authenticate_token(ctx(), t->token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->department, Department::kSales);
}

TEST_F(AuthFlow, UsersWithoutPasswordCannotLogIn) {
  UserInput nopw;
  nopw.email = "nopw@example.test";
  nopw.department = Department::kPsv;
  auto u = create_user(ctx(), nopw);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(codec::to_json(*u).at("hasCredentials"), json::value(false));
  EXPECT_EQ(login_code("nopw@example.test", kPassword), ErrorCode::kUnauthorized);
}

TEST_F(AuthFlow, PasswordsFollowThePolicyAndNeverShow) {
  UserInput weak_in;
  weak_in.email = "weak@example.test";
  weak_in.department = Department::kPsv;
  weak_in.password = "password";
  auto weak = create_user(ctx(), weak_in);
  ASSERT_FALSE(weak.ok());
  ASSERT_EQ(weak.error().fields.size(), 1u);
  EXPECT_EQ(weak.error().fields[0].field, "password");

  User u = make_user("asha@example.test");
  json::object j = codec::to_json(u);
  EXPECT_FALSE(j.contains("credentials"));
  EXPECT_FALSE(j.contains("password"));
  EXPECT_EQ(j.at("hasCredentials"), json::value(true));

  UserInput new_password;
  new_password.password = "Another-pass-2";
  auto patch = update_user(ctx(), u.id, new_password);
  ASSERT_FALSE(patch.ok());
  EXPECT_EQ(patch.error().code, ErrorCode::kValidation);
}

TEST_F(AuthFlow, ApiKeysIssueAuthenticateAndRevoke) {
  ApiKeyInput goa_form;
  goa_form.name = "Goa form";
  goa_form.platform = Platform::kPaidAds;
  auto issued = issue_api_key(ctx(), goa_form, std::optional<Id>("65a1b2c3d4e5f60718293a4b"));
  ASSERT_TRUE(issued.ok()) << issued.error().detail;
  EXPECT_EQ(issued->secret.substr(0, 4), "lpk_");
  EXPECT_EQ(issued->key.key_hash, sha256_hex(issued->secret));
  EXPECT_EQ(issued->key.platform, Platform::kPaidAds);

  auto p = authenticate_api_key(ctx(), issued->secret);
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->kind, Principal::Kind::kApiKey);
  EXPECT_EQ(p->platform, Platform::kPaidAds);
  EXPECT_EQ(p->actor(), std::nullopt);
  EXPECT_FALSE(p->is_admin());
  EXPECT_EQ(get_api_key(ctx(), issued->key.id)->last_used_at, std::optional<Timestamp>(now_));
  EXPECT_FALSE(authenticate_api_key(ctx(), issued->secret + "x").ok());

  ASSERT_TRUE(revoke_api_key(ctx(), issued->key.id).ok());
  auto revoked = authenticate_api_key(ctx(), issued->secret);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(revoke_api_key(ctx(), issued->key.id).ok());  // idempotent
  auto all = list_api_keys(ctx());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_TRUE((*all)[0].revoked);
  EXPECT_EQ(revoke_api_key(ctx(), "65a1b2c3d4e5f60718293a4c").error().code, ErrorCode::kNotFound);
}

TEST_F(AuthFlow, ApiKeyInputIsValidated) {
  ApiKeyInput unnamed;
  unnamed.name = "  ";  // and no platform
  auto bad = issue_api_key(ctx(), unnamed, std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().fields.size(), 2u);
  auto installed = install_api_key(ctx(), "demo", Platform::kWebsite, "lpk_fixed", std::nullopt);
  ASSERT_TRUE(installed.ok());
  auto again = install_api_key(ctx(), "demo", Platform::kWebsite, "lpk_fixed", std::nullopt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace leadproc
