// Login throttling and common passwords, black-box (docs/api-auth.md "Throttling"), on SQLite and
// PostgreSQL: concurrent guesses are checked at most up to the limit (counted through the
// leadproc_login_password_checks_total metric, not timing); failures delay the (account,
// address) pair, and a shared address only at its higher limit; delays grow; a success resets the
// pair; an admin clears a throttle. Each test has a server and database of its own.
#include <atomic>
#include <cstdlib>
#include <latch>
#include <thread>
#include <vector>

#include "auth_support.h"
#include "harness.h"
#include "pg_database.h"

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWrong = "Wrong-password-9";

class LoginThrottleApi : public OwnServerTest {
 protected:
  // Behind a "proxy" at 127.0.0.1, so that each test client names its address in X-Forwarded-For.
  void SetUp() override { start({{"LEADPROC_TRUSTED_PROXIES", "127.0.0.1"}}); }

  Response log_in_from(const std::string& address, const std::string& email,
                       const std::string& password) {
    HttpClient client(server_->base_url());
    return client.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}},
                       {{"X-Forwarded-For", address}});
  }

  // The value of an unlabelled counter in /metrics (0 when absent).
  double counter(const std::string& name) {
    Response r = HttpClient(server_->base_url()).get("/metrics");
    EXPECT_EQ(r.status, 200) << r.describe();
    const std::string prefix = "\n" + name + " ";
    auto at = r.body.find(prefix);
    if (at == std::string::npos) return 0;
    return std::stod(r.body.substr(at + prefix.size()));
  }
  double checks() { return counter("leadproc_login_password_checks_total"); }
};

int retry_after(const Response& r) {
  expect_problem(r, 429);
  const std::string h = r.header("retry-after");
  EXPECT_FALSE(h.empty()) << r.describe();
  return h.empty() ? 0 : std::stoi(h);
}

// 48 wrong guesses at once at one account: five are checked, the others refused unchecked; the
// owner, from another address, logs in meanwhile and after.
TEST_F(LoginThrottleApi, ConcurrentGuessesAreCheckedAtMostUpToTheLimit) {
  Login priya = create_login(admin(), "PSV");
  const double before = checks();
  constexpr int kGuesses = 48;
  std::latch go(kGuesses + 1);
  std::atomic<int> refused{0}, unauthorized{0}, owner_ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i)
    threads.emplace_back([&] {
      HttpClient client(server_->base_url());
      go.arrive_and_wait();
      Response r = client.post("/api/v1/auth/login",
                               json::object{{"email", priya.email}, {"password", kWrong}},
                               {{"X-Forwarded-For", "203.0.113.7"}});
      if (r.status == 429) ++refused;
      if (r.status == 401) ++unauthorized;
    });
  threads.emplace_back([&] {
    HttpClient client(server_->base_url());
    go.arrive_and_wait();
    Response r = client.post("/api/v1/auth/login",
                             json::object{{"email", priya.email}, {"password", priya.password}},
                             {{"X-Forwarded-For", "198.51.100.1"}});
    if (r.status == 200) ++owner_ok;
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(unauthorized.load(), 5);
  EXPECT_EQ(refused.load(), kGuesses - 5);
  EXPECT_EQ(owner_ok.load(), 1);
  EXPECT_EQ(checks() - before, 5 + 1);  // the guesses and the owner's login
  EXPECT_EQ(log_in_from("198.51.100.1", priya.email, priya.password).status, 200);
  // Every refusal was logged as a throttling decision.
  EXPECT_NE(server_->log().find("\"outcome\":\"throttled_account\""), std::string::npos);
  EXPECT_NE(counter("leadproc_login_attempts_total{outcome=\"throttled_account\"}"), 0);
}

// Five failures for one account from one address delay that account from that address only:
// another user from the same address, and the owner from another, log in.
TEST_F(LoginThrottleApi, FailuresDelayOnlyTheAccountFromThatAddress) {
  Login priya = create_login(admin(), "PSV");
  Login ravi = create_login(admin(), "PSV");
  for (int i = 0; i < 5; ++i) expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 401);
  const int seconds = retry_after(log_in_from("203.0.113.7", priya.email, priya.password));
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 60);
  EXPECT_EQ(log_in_from("203.0.113.7", ravi.email, ravi.password).status, 200);
  EXPECT_EQ(log_in_from("198.51.100.1", priya.email, priya.password).status, 200);
  // Sessions already open keep working.
  EXPECT_EQ(HttpClient(server_->base_url()).get("/api/v1/auth/me", bearer(priya.token)).status,
            200);
}

// An office behind one address: failures on several accounts do not delay its other users until
// the per-address limit (50); then everyone there waits, and other addresses do not. A client
// that puts a made-up address in front is still counted by the proxy's entry.
TEST_F(LoginThrottleApi, ASharedAddressIsDelayedOnlyAtItsHigherLimit) {
  Login priya = create_login(admin(), "PSV");
  Login ravi = create_login(admin(), "PSV");
  Login sam = create_login(admin(), "SALES");
  for (int i = 0; i < 49; ++i) {
    const std::string email = "staff" + std::to_string(i % 13) + "@office.test";
    expect_problem(log_in_from("203.0.113.7", email, kWrong), 401);
  }
  EXPECT_EQ(log_in_from("203.0.113.7", priya.email, priya.password).status, 200);
  expect_problem(log_in_from("203.0.113.7", "staff0@office.test", kWrong), 401);  // the 50th
  expect_problem(log_in_from("203.0.113.7", ravi.email, ravi.password), 429);
  expect_problem(log_in_from("192.0.2.99, 203.0.113.7", ravi.email, ravi.password), 429);
  EXPECT_EQ(log_in_from("203.0.113.8", sam.email, sam.password).status, 200);
}

// From a peer that is not a trusted proxy X-Forwarded-For is ignored: failures count for the
// peer's address whatever the header claims.
TEST_F(LoginThrottleApi, AnUntrustedForwardedForChangesNothing) {
  start({});
  Login priya = create_login(admin(), "PSV");
  for (int i = 0; i < 5; ++i)
    expect_problem(log_in_from("203.0.113." + std::to_string(i), priya.email, kWrong), 401);
  expect_problem(log_in_from("198.51.100.1", priya.email, priya.password), 429);
}

// After the limit each failure doubles the delay (LEADPROC_LOGIN_DELAY=1m here); successes reset
// the pair. The delays end by moving the server's clock (LEADPROC_TEST_CLOCK), not by waiting:
// half a minute before the end the attempt is still refused unchecked, at the end it is checked.
TEST_F(LoginThrottleApi, DelaysGrowAndASuccessResetsThePair) {
  start({{"LEADPROC_TRUSTED_PROXIES", "127.0.0.1"}, {"LEADPROC_LOGIN_DELAY", "1m"}});
  Login priya = create_login(admin(), "PSV");
  // Four failures, a success, four failures, a success: never delayed.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i)
      expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 401);
    EXPECT_EQ(log_in_from("203.0.113.7", priya.email, priya.password).status, 200);
  }
  for (int i = 0; i < 5; ++i) expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 401);
  std::vector<int> waits;
  for (int k = 0; k < 3; ++k) {
    waits.push_back(retry_after(log_in_from("203.0.113.7", priya.email, priya.password)));
    if (k == 2) break;
    advance_clock(admin(), std::chrono::seconds(waits.back() - 30));
    expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 429);
    advance_clock(admin(), 30s);
    expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 401);  // checked: a failure
  }
  ASSERT_EQ(waits.size(), 3u);
  // 1, 2, 4 minutes (Retry-After is what is left of the delay, rounded up).
  for (int k = 0; k < 3; ++k) {
    EXPECT_LE(waits[k], 60 << k) << k;
    EXPECT_GT(waits[k], (60 << k) - 30) << k;
  }
}

TEST_F(LoginThrottleApi, AnAdminClearsAThrottle) {
  Login priya = create_login(admin(), "PSV");
  for (int i = 0; i < 5; ++i) expect_problem(log_in_from("203.0.113.7", priya.email, kWrong), 401);
  expect_problem(log_in_from("203.0.113.7", priya.email, priya.password), 429);

  Response listed = admin().get("/api/v1/login-throttles");
  ASSERT_EQ(listed.status, 200) << listed.describe();
  const json::value body = listed.json();
  const auto& items = at(body, "items").as_array();
  ASSERT_EQ(items.size(), 1u) << listed.describe();
  EXPECT_EQ(str(items[0], "email"), priya.email);
  EXPECT_EQ(str(items[0], "address"), "203.0.113.7");

  Response nothing = admin().post("/api/v1/login-throttles/clear", json::object{});
  expect_problem(nothing, 422);
  EXPECT_TRUE(contains(problem_fields(nothing), "email"));
  EXPECT_TRUE(contains(problem_fields(nothing), "address"));
  expect_problem(HttpClient(server_->base_url())
                     .post("/api/v1/login-throttles/clear", json::object{{"email", priya.email}},
                           bearer(priya.token)),
                 403);

  const double before = checks();
  Response cleared =
      admin().post("/api/v1/login-throttles/clear", json::object{{"email", priya.email}});
  ASSERT_EQ(cleared.status, 200) << cleared.describe();
  EXPECT_EQ(at(cleared.json(), "cleared").as_int64(), 1);
  EXPECT_EQ(log_in_from("203.0.113.7", priya.email, priya.password).status, 200);
  EXPECT_EQ(checks() - before, 1);
  EXPECT_EQ(counter("leadproc_login_throttles_cleared_total"), 1);
}

// The most common passwords are refused (422 naming the field) wherever a password is set: user
// creation, setting a password, and the command line.
TEST_F(LoginThrottleApi, CommonPasswordsAreRefusedWhereverAPasswordIsSet) {
  Response created =
      admin().post("/api/v1/users", json::object{{"email", "common." + run_token() + "@auth.test"},
                                                 {"department", "PSV"},
                                                 {"password", "Password123"}});
  expect_problem(created, 422);
  EXPECT_TRUE(contains(problem_fields(created), "password"));
  Login priya = create_login(admin(), "PSV");
  Response set = admin().post("/api/v1/users/" + priya.id + "/password",
                              json::object{{"password", "WELCOME@123"}});
  expect_problem(set, 422);
  EXPECT_TRUE(contains(problem_fields(set), "password"));
  EXPECT_EQ(log_in_from("198.51.100.1", priya.email, priya.password).status, 200);  // unchanged

  const std::string cli =
      std::string(LEADPROC_BINARY) + " --database-url '" + server_->database_url() + "' ";
  auto [create_code, create_out] =
      run_command("printf 'qwerty123456\\n' | " + cli + "user create --email cli." + run_token() +
                  "@auth.test --department PSV 2>&1");
  EXPECT_NE(create_code, 0) << create_out;
  EXPECT_NE(create_out.find("common"), std::string::npos) << create_out;
  auto [set_code, set_out] = run_command("printf '1q2w3e4r5t\\n' | " + cli +
                                         "user set-password --email " + priya.email + " 2>&1");
  EXPECT_NE(set_code, 0) << set_out;
  EXPECT_NE(set_out.find("common"), std::string::npos) << set_out;
}

// Two instances on one PostgreSQL database count together: 48 guesses at once, spread over both,
// are checked 5 times in all. PostgreSQL only (ctest: api_postgresql).
TEST(LoginThrottleMultiInstance, TwoServersCountTogether) {
  const auto url = pgtest::suite_postgres_url();
  if (!url) GTEST_SKIP() << "needs PostgreSQL (LEADPROC_TEST_DATABASE=postgresql)";
  ServerOptions options;
  options.database_url = pgtest::fresh_database(*url, "throttle");
  options.config_via_env = true;
  options.env = {{"LEADPROC_BCRYPT_COST", "4"}};
  std::vector<std::unique_ptr<TestServer>> servers;
  try {
    for (int i = 0; i < 2; ++i) servers.push_back(std::make_unique<TestServer>(options));
  } catch (const std::exception& e) {
    FAIL() << "leadproc did not start: " << e.what();
  }
  HttpClient admin = servers[0]->client();
  Login priya = create_login(admin, "PSV");
  auto total_checks = [&] {
    double sum = 0;
    for (const auto& server : servers) {
      Response r = HttpClient(server->base_url()).get("/metrics");
      const std::string prefix = "\nleadproc_login_password_checks_total ";
      auto at = r.body.find(prefix);
      if (at != std::string::npos) sum += std::stod(r.body.substr(at + prefix.size()));
    }
    return sum;
  };
  const double before = total_checks();
  constexpr int kGuesses = 48;
  std::latch go(kGuesses);
  std::atomic<int> unauthorized{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i)
    threads.emplace_back([&, i] {
      HttpClient client(servers[i % 2]->base_url());
      go.arrive_and_wait();
      Response r = client.post("/api/v1/auth/login",
                               json::object{{"email", priya.email}, {"password", kWrong}});
      if (r.status == 401) ++unauthorized;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(unauthorized.load(), 5);
  EXPECT_EQ(total_checks() - before, 5);
  if (HasFailure())
    for (const auto& s : servers) print_server_log(*s, 0);
}

}  // namespace
}  // namespace leadproc::apitest
