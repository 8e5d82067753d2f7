// Helpers of the authentication API tests (auth_test.cpp, access_table_test.cpp): users with
// passwords, logins, API keys, and servers whose failed-login counts are their own.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "harness.h"

namespace leadproc::apitest {

// A user created through the API with a password, and logged in.
struct Login {
  std::string id;
  std::string email;
  std::string password;
  std::string token;
};

// The password every helper-made user gets (it satisfies the password policy).
inline constexpr std::string_view kTestPassword = "Test-password-1";

// {"Authorization", "Bearer <token>"}.
Headers bearer(const std::string& token);

// Creates a user of `department` with kTestPassword through `admin` (a client sending an admin's
// token) and logs in; throws FixtureError on failure.
Login create_login(HttpClient& admin, std::string_view department);

// POST /api/v1/auth/login with `email` and `password` from a client without credentials.
Response log_in(const TestServer& server, const std::string& email, const std::string& password);

// The token of a fresh login of `email`; throws FixtureError unless 200.
std::string token_for(const TestServer& server, const std::string& email,
                      const std::string& password = std::string(kTestPassword));

struct IssuedKey {
  std::string id;
  std::string key;
};
// POST /api/v1/api-keys through `admin`; throws FixtureError unless 201.
IssuedKey issue_key(HttpClient& admin, std::string_view name, std::string_view platform);

// Options for a server on a database of its own (a fresh one on PostgreSQL too, where the test
// servers otherwise share one), with fast password hashing, plus `env`. Failed logins are
// counted per database and every test logs in from 127.0.0.1: a test that fails logins on
// purpose needs its own database so as not to throttle the others.
ServerOptions own_database(Headers env = {});

// A test with a server on a database of its own (own_database), started before each case and
// restarted with other settings by start(env); its log is printed when the case failed.
class OwnServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, 0);
    admin_.reset();
    server_.reset();
  }
  void start(Headers env = {}) {
    admin_.reset();
    server_.reset();
    try {
      server_ = std::make_unique<TestServer>(own_database(std::move(env)));
    } catch (const std::exception& e) {
      FAIL() << "leadproc did not start: " << e.what();
    }
    admin_.emplace(server_->client());
  }
  TestServer& server() { return *server_; }
  HttpClient& admin() { return *admin_; }
  HttpClient anonymous() { return HttpClient(server_->base_url()); }

  std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> admin_;
};

// One server for a whole test suite, on a database of its own (own_database), started before the
// suite's first case; `Tag::arrange(admin)` (when Tag defines it) then sets up what every case
// shares. Each case gets an admin client; the server's log is printed when a case failed.
// Derive as `class X : public OwnSuiteServerTest<X> {}`.
template <typename Tag>
class OwnSuiteServerTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    start_error_.clear();
    try {
      server_ = std::make_unique<TestServer>(own_database());
      HttpClient admin = server_->client();
      Tag::arrange(admin);
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  static void arrange(HttpClient&) {}
  void SetUp() override {
    ASSERT_TRUE(server_) << "leadproc did not start: " << start_error_;
    admin_.emplace(server_->client());
  }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, 0);
  }
  HttpClient& admin() { return *admin_; }
  // A client without credentials of its own; requests carry `bearer(token)`.
  HttpClient anonymous() { return HttpClient(server_->base_url()); }

  inline static std::unique_ptr<TestServer> server_;
  inline static std::string start_error_;
  std::optional<HttpClient> admin_;
};

// Two PSV agents, each the only POC of one destination's PSV pool (Asha: Goa, Bela: Bali), so a
// lead's agent follows from its destination.
struct TwoPsvAgents {
  Login asha, bela;
  std::string goa, bali;
};
TwoPsvAgents two_psv_agents(HttpClient& admin);

// OwnSuiteServerTest whose suite shares TwoPsvAgents: asha_ (Goa) and bela_ (Bali).
template <typename Tag>
class TwoPsvAgentsTest : public OwnSuiteServerTest<Tag> {
 public:
  static void arrange(HttpClient& admin) {
    auto w = two_psv_agents(admin);
    asha_ = w.asha;
    bela_ = w.bela;
    goa_ = w.goa;
    bali_ = w.bali;
  }

 protected:
  inline static Login asha_, bela_;
  inline static std::string goa_, bali_;
};

}  // namespace leadproc::apitest
