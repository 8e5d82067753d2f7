#include "auth_support.h"

#include <atomic>
#include <cstdlib>

#include "pg_database.h"

namespace leadproc::apitest {

Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

Response log_in(const TestServer& server, const std::string& email, const std::string& password) {
  HttpClient anonymous(server.base_url());
  return anonymous.post("/api/v1/auth/login",
                        json::object{{"email", email}, {"password", password}});
}

std::string token_for(const TestServer& server, const std::string& email,
                      const std::string& password) {
  Response r = log_in(server, email, password);
  if (r.status != 200) throw FixtureError("login of " + email + ": " + r.describe());
  json::value v = r.json();
  if (!at(v, "token").is_string()) throw FixtureError("login of " + email + ": no token");
  return std::string(at(v, "token").get_string());
}

Login create_login(HttpClient& admin, std::string_view department) {
  static std::atomic<int> counter{0};
  Login out;
  std::string lower;
  for (char c : department) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.email = lower + "." + std::to_string(++counter) + "." + run_token() + "@auth.test";
  out.password = std::string(kTestPassword);
  Response r = admin.post("/api/v1/users", json::object{{"email", out.email},
                                                        {"firstName", "Auth"},
                                                        {"lastName", std::string(department)},
                                                        {"department", department},
                                                        {"password", out.password}});
  if (r.status != 201)
    throw FixtureError("creating a " + std::string(department) +
                       " user with a password: " + r.describe());
  out.id = str(r.json(), "_id");
  HttpClient anonymous(admin.base_url());
  Response login = anonymous.post("/api/v1/auth/login",
                                  json::object{{"email", out.email}, {"password", out.password}});
  if (login.status != 200) throw FixtureError("login of " + out.email + ": " + login.describe());
  out.token = str(login.json(), "token");
  return out;
}

IssuedKey issue_key(HttpClient& admin, std::string_view name, std::string_view platform) {
  Response r = admin.post("/api/v1/api-keys", json::object{{"name", name}, {"platform", platform}});
  if (r.status != 201) throw FixtureError("issuing an API key: " + r.describe());
  json::value v = r.json();
  return IssuedKey{str(v, "_id"), str(v, "key")};
}

ServerOptions own_database(Headers env) {
  ServerOptions options;
  if (const char* url = std::getenv("LEADPROC_TEST_DATABASE_URL");
      url && *url && pgtest::is_postgres_url(url))
    options.database_url = pgtest::fresh_database(url, "auth");
  options.env = std::move(env);
  options.env.emplace_back("LEADPROC_BCRYPT_COST", "4");
  return options;
}

TwoPsvAgents two_psv_agents(HttpClient& admin) {
  TwoPsvAgents w{create_login(admin, "PSV"), create_login(admin, "PSV"),
                 create_destination(admin, unique_name("Goa")),
                 create_destination(admin, unique_name("Bali"))};
  create_map(admin, "PSV", {MapEntry(w.goa), MapEntry(w.bali)});
  create_availability(admin, Poc{w.asha.id, "PSV", {w.goa}, {}, 1, true});
  create_availability(admin, Poc{w.bela.id, "PSV", {w.bali}, {}, 2, true});
  return w;
}

}  // namespace leadproc::apitest
