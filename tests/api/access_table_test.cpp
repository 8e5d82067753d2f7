// The access table: every route of the API, its rule, and the status class each kind of caller
// gets (docs/api-auth.md). The route list comes from the binary itself (`leadproc routes`), so a
// new endpoint fails EveryRouteHasTheExpectedRule until it has a rule AND a row here. The
// benchmark-only routes (LEADPROC_BENCH_ENDPOINTS) are listed and served here too, so they are
// checked like the others whatever the environment says.
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "auth_support.h"
#include "harness.h"
#include "sse_client.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kPublic = "public";
constexpr const char* kAdmin = "users:ADMIN";
constexpr const char* kAnyUser = "users:*";
constexpr const char* kIngest = "apiKey|users:*";  // a lead source's key or any user

struct Row {
  const char* method;
  const char* pattern;
  const char* access;
};

// One row per route. Agents' routes (kAnyUser) narrow what each user sees in the handler
// (app/access.h); that scope is tested in auth_test.cpp and the workflow tests.
const Row kTable[] = {
    {"GET", "/healthz", kPublic},
    {"GET", "/readyz", kPublic},
    {"GET", "/metrics", kPublic},
    // The OpenAPI document: the API's shape, no data.
    {"GET", "/api/v1/openapi.json", kPublic},
    // The web UI's page and files (web/, embedded): no data, the UI calls the API with a token.
    {"GET", "/", kPublic},
    {"GET", "/ui/{file}", kPublic},
    {"GET", "/ui/vendor/{file}", kPublic},
    {"POST", "/api/v1/auth/login", kPublic},
    {"POST", "/api/v1/auth/logout", kAnyUser},
    {"GET", "/api/v1/auth/me", kAnyUser},
    {"POST", "/api/v1/auth/password", kAnyUser},  // one's own password
    // Configuration: ADMIN only, but for the reads marked.
    {"POST", "/api/v1/users", kAdmin},
    {"GET", "/api/v1/users", kAdmin},
    {"GET", "/api/v1/users/{id}", kAdmin},
    {"PATCH", "/api/v1/users/{id}", kAdmin},
    {"DELETE", "/api/v1/users/{id}", kAdmin},
    {"POST", "/api/v1/users/{id}/deactivate", kAdmin},
    {"GET", "/api/v1/users/{id}/open-opportunities", kAdmin},
    {"POST", "/api/v1/users/{id}/password", kAdmin},
    // The people directory: names for the user ids on records, for everyone who works leads.
    {"GET", "/api/v1/people", kAnyUser},
    {"POST", "/api/v1/api-keys", kAdmin},
    {"GET", "/api/v1/api-keys", kAdmin},
    {"GET", "/api/v1/api-keys/{id}", kAdmin},
    {"DELETE", "/api/v1/api-keys/{id}", kAdmin},
    {"GET", "/api/v1/login-throttles", kAdmin},
    {"POST", "/api/v1/login-throttles/clear", kAdmin},
    {"POST", "/api/v1/destinations", kAdmin},
    // Destinations are read by agents too (resolving an unknown lead picks one).
    {"GET", "/api/v1/destinations", kAnyUser},
    {"GET", "/api/v1/destinations/{id}", kAnyUser},
    {"PATCH", "/api/v1/destinations/{id}", kAdmin},
    {"DELETE", "/api/v1/destinations/{id}", kAdmin},
    {"POST", "/api/v1/process-destination-maps", kAdmin},
    {"GET", "/api/v1/process-destination-maps", kAdmin},
    {"GET", "/api/v1/process-destination-maps/{id}", kAdmin},
    {"PUT", "/api/v1/process-destination-maps/{id}", kAdmin},
    {"PATCH", "/api/v1/process-destination-maps/{id}", kAdmin},
    {"DELETE", "/api/v1/process-destination-maps/{id}", kAdmin},
    {"POST", "/api/v1/availabilities", kAdmin},
    {"GET", "/api/v1/availabilities", kAdmin},
    {"GET", "/api/v1/availabilities/{id}", kAdmin},
    {"PATCH", "/api/v1/availabilities/{id}", kAdmin},
    {"DELETE", "/api/v1/availabilities/{id}", kAdmin},
    // Escalation policies (the sla-escalation job's configuration).
    {"POST", "/api/v1/sla-policies", kAdmin},
    {"GET", "/api/v1/sla-policies", kAdmin},
    {"GET", "/api/v1/sla-policies/{id}", kAdmin},
    {"PATCH", "/api/v1/sla-policies/{id}", kAdmin},
    {"DELETE", "/api/v1/sla-policies/{id}", kAdmin},
    // An agent's own shift and check-in/out (their own availabilities only).
    {"GET", "/api/v1/me/work", kAnyUser},
    {"POST", "/api/v1/me/check-in", kAnyUser},
    {"POST", "/api/v1/me/check-out", kAnyUser},
    // The admin's what-if: where a lead would go now (changes nothing).
    {"POST", "/api/v1/routing/dry-run", kAdmin},
    // The routing settings (the sticky owner's window).
    {"GET", "/api/v1/routing/settings", kAdmin},
    {"PUT", "/api/v1/routing/settings", kAdmin},
    {"GET", "/api/v1/weburls", kAdmin},
    {"POST", "/api/v1/weburls", kAdmin},
    {"GET", "/api/v1/weburls/{id}", kAdmin},
    {"POST", "/api/v1/weburls/{id}/destination", kAdmin},
    {"GET", "/api/v1/weburls/{id}/destination-preview", kAdmin},
    {"GET", "/api/v1/weburls/{id}/hits", kAdmin},
    {"POST", "/api/v1/score-configurations", kAdmin},
    {"GET", "/api/v1/score-configurations", kAdmin},
    {"GET", "/api/v1/score-configurations/{id}", kAdmin},
    {"POST", "/api/v1/score-configurations/{id}/activate", kAdmin},
    {"GET", "/api/v1/reports/sla", kAdmin},
    {"GET", "/api/v1/reports/funnel", kAdmin},
    {"GET", "/api/v1/exports/funnel.csv", kAdmin},
    {"GET", "/api/v1/reports/time-in-stage", kAdmin},
    {"GET", "/api/v1/exports/time-in-stage.csv", kAdmin},
    {"GET", "/api/v1/reports/now", kAdmin},
    {"GET", "/api/v1/exports/now.csv", kAdmin},
    // Intake (docs/intake.md): Meta calls the webhook with no key of ours; the handler checks
    // Meta's own proof (the verify token, the body's signature: kProvesItself below).
    {"GET", "/api/v1/intake/meta", kPublic},
    {"POST", "/api/v1/intake/meta", kPublic},
    {"PUT", "/api/v1/intake/meta/pages/{pageId}", kAdmin},
    {"GET", "/api/v1/intake/meta/pages", kAdmin},
    {"GET", "/api/v1/intake/meta/receipts", kAdmin},
    {"POST", "/api/v1/intake/meta/receipts/{leadgenId}/retry", kAdmin},
    {"POST", "/api/v1/intake/meta/pages/{pageId}/sync", kAdmin},
    {"GET", "/api/v1/intake/meta/pages/{pageId}/forms", kAdmin},
    {"PUT", "/api/v1/intake/meta/pages/{pageId}/forms/{formId}", kAdmin},
    // Outbound (docs/events.md): the outbox and the webhook subscriptions, secrets included.
    {"GET", "/api/v1/outbox/events", kAdmin},
    {"POST", "/api/v1/webhooks", kAdmin},
    {"GET", "/api/v1/webhooks", kAdmin},
    {"PATCH", "/api/v1/webhooks/{id}", kAdmin},
    {"DELETE", "/api/v1/webhooks/{id}", kAdmin},
    {"GET", "/api/v1/webhooks/{id}/deliveries", kAdmin},
    {"GET", "/api/v1/webhooks/{id}/deliveries/{seq}/attempts", kAdmin},
    {"POST", "/api/v1/webhooks/{id}/deliveries/{seq}/replay", kAdmin},
    {"POST", "/api/v1/webhooks/{id}/replay", kAdmin},
    {"GET", "/api/v1/conversions/settings", kAdmin},
    {"PUT", "/api/v1/conversions/settings", kAdmin},
    {"GET", "/api/v1/conversions", kAdmin},
    // Google calls its webhook with no key of ours; the handler checks the form's google_key.
    {"POST", "/api/v1/intake/google", kPublic},
    {"POST", "/api/v1/intake/sources", kAdmin},
    {"GET", "/api/v1/intake/sources", kAdmin},
    {"GET", "/api/v1/intake/sources/{id}", kAdmin},
    {"PATCH", "/api/v1/intake/sources/{id}", kAdmin},
    {"DELETE", "/api/v1/intake/sources/{id}", kAdmin},
    // A website's form posts with no key of ours: the form key in the path names the form.
    {"POST", "/api/v1/intake/forms/{formKey}", kPublic},
    {"OPTIONS", "/api/v1/intake/forms/{formKey}", kPublic},
    {"GET", "/api/v1/jobs", kAdmin},
    {"POST", "/api/v1/jobs/{name}/run", kAdmin},
    // Leads: sources send them with a key, agents log direct calls.
    {"POST", "/api/v1/leads", kIngest},
    // Reading and working leads: any user, within their own scope.
    {"GET", "/api/v1/leads/{id}", kAnyUser},
    {"GET", "/api/v1/opportunities", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}", kAnyUser},
    {"GET", "/api/v1/search", kAnyUser},
    {"GET", "/api/v1/customers/{number}", kAnyUser},
    {"PATCH", "/api/v1/opportunities/{id}", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}/activities", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}/routing", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}/timeline", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}/transitions", kAnyUser},
    {"POST", "/api/v1/opportunities/{id}/transitions", kAnyUser},
    {"POST", "/api/v1/opportunities/{id}/reassign", kAnyUser},
    {"POST", "/api/v1/opportunities/bulk", kAnyUser},  // reassign: ADMIN (403), per item rules
    {"GET", "/api/v1/opportunities/{id}/followups", kAnyUser},
    {"POST", "/api/v1/opportunities/{id}/followups", kAnyUser},
    {"GET", "/api/v1/opportunities/{id}/notes", kAnyUser},
    {"POST", "/api/v1/opportunities/{id}/notes", kAnyUser},
    {"GET", "/api/v1/followups", kAnyUser},
    // The caller's own live events (Server-Sent Events: sse_client.h reads its status).
    {"GET", "/api/v1/events/stream", kAnyUser},
    // The people report: everyone's for admins, one's own beside the total for the others.
    {"GET", "/api/v1/reports/people", kAnyUser},
    {"GET", "/api/v1/exports/people.csv", kAnyUser},
    // The list as CSV: the same scope as the list.
    {"GET", "/api/v1/exports/opportunities.csv", kAnyUser},
    {"GET", "/api/v1/exports/followups.csv", kAnyUser},
    {"GET", "/api/v1/exports/sla.csv", kAdmin},
    {"GET", "/api/v1/opportunities/counts", kAnyUser},
    {"GET", "/api/v1/me/views", kAnyUser},
    {"POST", "/api/v1/me/views", kAnyUser},
    {"PATCH", "/api/v1/me/views/{id}", kAnyUser},
    {"DELETE", "/api/v1/me/views/{id}", kAnyUser},
    {"GET", "/api/v1/followups/{id}", kAnyUser},
    {"POST", "/api/v1/followups/{id}/complete", kAnyUser},
    {"POST", "/api/v1/followups/{id}/cancel", kAnyUser},
    {"POST", "/api/v1/followups/{id}/reschedule", kAnyUser},
    // Benchmark-only, with the settings' flag (tests/api/bench_echo_test.cpp): as POST /leads.
    {"POST", "/api/v1/_bench/echo", kIngest},
    // Test-only, with LEADPROC_TEST_CLOCK: moves the server's clock.
    {"POST", "/api/v1/_test/clock", kAdmin},
};

// The rows above that exist only with a setting on (LEADPROC_BENCH_ENDPOINTS,
// LEADPROC_TEST_CLOCK).
const char* const kOptional[] = {"POST /api/v1/_bench/echo", "POST /api/v1/_test/clock"};

struct Route {
  std::string method;
  std::string pattern;
  std::string access;  // "" when the route has no rule
};

// `leadproc routes`: the routes the server registers, with their rules; with the optional ones
// unless `optional` is false (then with their settings unset in the environment).
std::vector<Route> server_routes(bool optional = true) {
  const char* command =
      optional ? LEADPROC_BINARY " routes --bench-endpoints --test-clock"
               : "env -u LEADPROC_BENCH_ENDPOINTS -u LEADPROC_TEST_CLOCK " LEADPROC_BINARY
                 " routes";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command, "r"), ::pclose);
  if (!pipe) throw FixtureError("cannot run leadproc routes");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  json::value v = json::parse(out);
  std::vector<Route> routes;
  for (const auto& r : v.as_array()) {
    const auto& access = at(r, "access");
    routes.push_back({str(r, "method"), str(r, "pattern"),
                      access.is_string() ? std::string(access.get_string()) : std::string()});
  }
  return routes;
}

// Public routes whose handler checks a proof of its own instead of our credentials (Meta's
// verify token, the body's HMAC signature, a Google form's key): every caller here lacks it, so
// each is refused by the handler (401/403, or 503 while the route is not configured), whatever our
// credentials.
const std::set<std::string> kProvesItself{"GET /api/v1/intake/meta", "POST /api/v1/intake/meta",
                                          "POST /api/v1/intake/google"};

std::string key_of(const std::string& method, const std::string& pattern) {
  return method + " " + pattern;
}

TEST(AccessTable, EveryRouteHasTheExpectedRule) {
  std::map<std::string, std::string> expected;
  for (const auto& row : kTable) expected[key_of(row.method, row.pattern)] = row.access;
  std::set<std::string> seen;
  for (const auto& r : server_routes()) {
    const std::string key = key_of(r.method, r.pattern);
    seen.insert(key);
    EXPECT_FALSE(r.access.empty()) << key << " is registered without an access rule";
    auto it = expected.find(key);
    if (it == expected.end()) {
      ADD_FAILURE() << key << " (" << r.access
                    << ") has no row in kTable of tests/api/access_table_test.cpp";
      continue;
    }
    EXPECT_EQ(r.access, it->second) << key;
  }
  for (const auto& [key, access] : expected)
    EXPECT_TRUE(seen.count(key)) << key << " is in kTable but the server has no such route";
}

TEST(AccessTable, OptionalRoutesExistOnlyWithTheirSettings) {
  std::set<std::string> plain;
  for (const auto& r : server_routes(false)) plain.insert(key_of(r.method, r.pattern));
  const auto with_optional = server_routes(true);
  EXPECT_EQ(with_optional.size(), plain.size() + std::size(kOptional));
  for (const char* key : kOptional) EXPECT_FALSE(plain.count(key)) << key << " is on by default";
}

// Who calls: nobody, a bad token, a lead source's key, or a user of each department.
struct Caller {
  std::string name;
  Headers headers;
  std::optional<std::string> department;  // users
  bool api_key = false;
  Login login;  // users
};

class AccessTableApi : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      server_ = std::make_unique<TestServer>(
          own_database({{"LEADPROC_BENCH_ENDPOINTS", "1"}, {"LEADPROC_TEST_CLOCK", "1"}}));
    } catch (const std::exception& e) {
      FAIL() << "leadproc did not start: " << e.what();
    }
    HttpClient admin = server_->client();
    callers_.push_back({"no credentials", {}, std::nullopt, false, {}});
    callers_.push_back({"a bad token", bearer("lps_no-such-token"), std::nullopt, false, {}});
    IssuedKey key = issue_key(admin, "access table", "website");
    callers_.push_back({"an API key", {{"X-Api-Key", key.key}}, std::nullopt, true, {}});
    for (const char* d : {"ADMIN", "PSV", "WEST", "SALES"}) {
      Login l = create_login(admin, d);
      callers_.push_back({d, bearer(l.token), d, false, l});
    }
  }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, 0);
  }

  // The status class `caller` must get on a route with rule `access`.
  enum class Expect { kPasses, k401, k403 };
  static Expect expectation(const Caller& c, const std::string& access) {
    if (access == kPublic) return Expect::kPasses;
    if (!c.department && !c.api_key) return Expect::k401;
    if (c.api_key) return access == kIngest ? Expect::kPasses : Expect::k403;
    if (access == kAnyUser || access == kIngest) return Expect::kPasses;
    return access == "users:" + *c.department ? Expect::kPasses : Expect::k403;
  }

  std::unique_ptr<TestServer> server_;
  std::vector<Caller> callers_;
};

std::string concrete(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "65a1b2c3d4e5f60718293a4b";  // an id nothing has
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

TEST_F(AccessTableApi, EveryCallerGetsTheExpectedStatusOnEveryRoute) {
  HttpClient http(server_->base_url());
  int checked = 0;
  for (const auto& route : server_routes()) {
    const std::string path = concrete(route.pattern);
    const bool has_body =
        route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
    for (auto& caller : callers_) {
      Response r;
      if (route.pattern == "/api/v1/events/stream") {
        // A stream that passes never ends: only its status is read.
        r.status = SseClient(server_->port(), path, caller.headers).status();
      } else {
        r = http.request(route.method, path,
                         has_body ? std::optional<std::string>("{}") : std::nullopt,
                         caller.headers);
      }
      const std::string what = route.method + " " + route.pattern + " by " + caller.name;
      if (kProvesItself.count(key_of(route.method, route.pattern))) {
        EXPECT_TRUE(r.status == 401 || r.status == 403 || r.status == 503)
            << what << ": " << r.describe();
        ++checked;
        continue;
      }
      switch (expectation(caller, route.access)) {
        case Expect::k401:
          EXPECT_EQ(r.status, 401) << what << ": " << r.describe();
          break;
        case Expect::k403:
          EXPECT_EQ(r.status, 403) << what << ": " << r.describe();
          break;
        case Expect::kPasses:
          // Past the guard: whatever the handler says about an empty body or an unknown id, but
          // never a refusal of the caller and never a crash.
          EXPECT_TRUE(r.status >= 200 && r.status < 500 && r.status != 401 && r.status != 403)
              << what << ": " << r.describe();
          break;
      }
      ++checked;
      // Logging out ended that caller's session: log in again for the next routes.
      if (route.pattern == "/api/v1/auth/logout" && caller.department && r.status == 204)
        caller.headers = bearer(token_for(*server_, caller.login.email, caller.login.password));
    }
  }
  EXPECT_GE(checked, static_cast<int>(std::size(kTable) * callers_.size()));
}

}  // namespace
}  // namespace leadproc::apitest
