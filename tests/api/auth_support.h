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

}  // namespace leadproc::apitest
