// Browser sessions (docs/api-auth.md "Browser sessions"): the login's session cookie opens the
// API without an Authorization header, an unsafe request signed in by it needs the server's own
// Origin (CSRF), a cross-origin login is refused, logging out ends the session for the cookie and
// the token alike and clears the cookie, and a user changes their own password.
#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// A server of its own per test: failed password checks count on the login throttles.
class Sessions : public OwnServerTest {
 protected:
  std::string origin() const { return server_->base_url(); }  // http://127.0.0.1:<port>
  Headers cookie(const std::string& token, std::optional<std::string> from = std::nullopt) {
    Headers h{{"Cookie", "theme=dark; leadproc_session=" + token + "; lang=en"}};
    if (from) h.emplace_back("Origin", *from);
    return h;
  }
  // A user's display name as the admin reads it.
  std::string first_name_of(const std::string& id) {
    return str(admin().get("/api/v1/users/" + id).json(), "firstName");
  }
};

// The value of attribute `name` ("Max-Age") in a Set-Cookie header, "" if absent.
std::string cookie_attribute(const std::string& set_cookie, const std::string& name) {
  auto at_pos = set_cookie.find("; " + name + "=");
  if (at_pos == std::string::npos) return "";
  auto start = at_pos + name.size() + 3;
  return set_cookie.substr(start, set_cookie.find(';', start) - start);
}

bool has_flag(const std::string& set_cookie, const std::string& flag) {
  return set_cookie.find("; " + flag) != std::string::npos;
}

TEST_F(Sessions, LoginSetsAnHttpOnlyStrictCookieThatOpensTheApi) {
  Login sam = create_login(admin(), "SALES");
  Response r = log_in(server(), sam.email, sam.password);
  ASSERT_EQ(r.status, 200) << r.describe();
  const std::string token = str(r.json(), "token");  // API clients still get the token
  const std::string set_cookie = r.header("set-cookie");
  EXPECT_TRUE(set_cookie.starts_with("leadproc_session=" + token + ";")) << set_cookie;
  EXPECT_TRUE(has_flag(set_cookie, "HttpOnly")) << set_cookie;
  EXPECT_TRUE(has_flag(set_cookie, "SameSite=Strict")) << set_cookie;
  EXPECT_TRUE(has_flag(set_cookie, "Path=/")) << set_cookie;
  EXPECT_EQ(cookie_attribute(set_cookie, "Max-Age"), "43200") << "the session's 12 hours";
  EXPECT_FALSE(has_flag(set_cookie, "Secure")) << "plain http on loopback must keep working";

  // A new tab: the cookie alone, no Authorization header.
  HttpClient tab = anonymous();
  Response me = tab.get("/api/v1/auth/me", cookie(token));
  ASSERT_EQ(me.status, 200) << me.describe();
  EXPECT_EQ(str(me.json(), "user._id"), sam.id);
  EXPECT_EQ(tab.get("/api/v1/opportunities", cookie(token)).status, 200);
  // An Authorization header wins over the cookie.
  expect_problem(tab.get("/api/v1/auth/me", {{"Authorization", "Bearer lps_nothing"},
                                             {"Cookie", "leadproc_session=" + token}}),
                 401);
  // A cookie that opens nothing is 401 and is removed.
  Response bad = tab.get("/api/v1/auth/me", cookie("lps_not-a-session"));
  expect_problem(bad, 401);
  EXPECT_EQ(cookie_attribute(bad.header("set-cookie"), "Max-Age"), "0") << bad.header("set-cookie");
}

TEST_F(Sessions, AnUnsafeRequestByCookieNeedsTheServersOwnOrigin) {
  Login boss = create_login(admin(), "ADMIN");
  Login sam = create_login(admin(), "SALES");
  HttpClient browser = anonymous();
  const std::string path = "/api/v1/users/" + sam.id;
  auto rename = [&](const std::string& name, const Headers& headers) {
    return browser.patch(path, json::object{{"firstName", name}}, headers);
  };

  Response none = rename("NoOrigin", cookie(boss.token));
  expect_problem(none, 403);
  EXPECT_NE(str(none.json(), "detail").find("Origin"), std::string::npos) << none.body;
  expect_problem(rename("Evil", cookie(boss.token, "http://evil.example")), 403);
  expect_problem(rename("OtherPort", cookie(boss.token, "http://127.0.0.1:1")), 403);
  expect_problem(rename("OtherScheme",
                        cookie(boss.token, "https://127.0.0.1:" + std::to_string(server().port()))),
                 403);
  expect_problem(rename("Null", cookie(boss.token, "null")), 403);
  EXPECT_EQ(first_name_of(sam.id), "Auth") << "a refused request changed the user";

  Response same = rename("SameOrigin", cookie(boss.token, origin()));
  ASSERT_EQ(same.status, 200) << same.describe();
  EXPECT_EQ(first_name_of(sam.id), "SameOrigin");
  // Reads need no Origin.
  EXPECT_EQ(browser.get(path, cookie(boss.token)).status, 200);

  // Bearer tokens are not sent by a browser on its own: Origin does not matter to them.
  Response bearer_foreign =
      browser.patch(path, json::object{{"firstName", "ByBearer"}},
                    {{"Authorization", "Bearer " + boss.token}, {"Origin", "http://evil.example"}});
  EXPECT_EQ(bearer_foreign.status, 200) << bearer_foreign.describe();
  EXPECT_EQ(first_name_of(sam.id), "ByBearer");
}

TEST_F(Sessions, ACrossOriginLoginIsRefused) {
  Login priya = create_login(admin(), "PSV");
  HttpClient browser = anonymous();
  const json::object body{{"email", priya.email}, {"password", priya.password}};
  Response foreign = browser.post("/api/v1/auth/login", body, {{"Origin", "http://evil.example"}});
  expect_problem(foreign, 403);
  EXPECT_EQ(foreign.header("set-cookie"), "");
  Response same = browser.post("/api/v1/auth/login", body, {{"Origin", origin()}});
  EXPECT_EQ(same.status, 200) << same.describe();
  EXPECT_NE(same.header("set-cookie"), "");
}

TEST_F(Sessions, LoggingOutEndsTheSessionForCookieAndTokenAndClearsTheCookie) {
  Login pia = create_login(admin(), "PSV");
  HttpClient browser = anonymous();
  // Out by the cookie: the token of the same session stops working too.
  const std::string first = token_for(server(), pia.email);
  Response out = browser.post("/api/v1/auth/logout", json::object{}, cookie(first, origin()));
  ASSERT_EQ(out.status, 204) << out.describe();
  const std::string cleared = out.header("set-cookie");
  EXPECT_TRUE(cleared.starts_with("leadproc_session=;")) << cleared;
  EXPECT_EQ(cookie_attribute(cleared, "Max-Age"), "0") << cleared;
  expect_problem(browser.get("/api/v1/auth/me", bearer(first)), 401);
  expect_problem(browser.get("/api/v1/auth/me", cookie(first)), 401);

  // Out by the token: the cookie of the same session stops working too.
  const std::string second = token_for(server(), pia.email);
  ASSERT_EQ(browser.get("/api/v1/auth/me", cookie(second)).status, 200);
  Response out2 = browser.post("/api/v1/auth/logout", json::object{}, bearer(second));
  ASSERT_EQ(out2.status, 204) << out2.describe();
  EXPECT_EQ(cookie_attribute(out2.header("set-cookie"), "Max-Age"), "0");
  expect_problem(browser.get("/api/v1/auth/me", cookie(second)), 401);
  // The user's other session is untouched.
  EXPECT_EQ(browser.get("/api/v1/auth/me", bearer(pia.token)).status, 200);
}

TEST_F(Sessions, ChangingOnesOwnPasswordNeedsTheOldOneAndEndsTheOtherSessions) {
  Login wes = create_login(admin(), "WEST");  // wes.token: a session on another device
  const std::string here = token_for(server(), wes.email);  // the session that changes it
  HttpClient browser = anonymous();
  const std::string fresh = "Fresh-passw0rd-for-wes";

  Response wrong =
      browser.post("/api/v1/auth/password",
                   json::object{{"currentPassword", "Not-the-password-1"}, {"newPassword", fresh}},
                   cookie(here, origin()));
  expect_problem(wrong, 422);
  EXPECT_TRUE(contains(problem_fields(wrong), "currentPassword")) << wrong.body;
  Response weak =
      browser.post("/api/v1/auth/password",
                   json::object{{"currentPassword", wes.password}, {"newPassword", "password123"}},
                   bearer(here));
  expect_problem(weak, 422);
  EXPECT_TRUE(contains(problem_fields(weak), "newPassword")) << weak.body;
  expect_problem(
      browser.post("/api/v1/auth/password", json::object{{"newPassword", fresh}}, bearer(here)),
      422);
  // Nothing changed so far.
  EXPECT_EQ(browser.get("/api/v1/auth/me", bearer(wes.token)).status, 200);
  EXPECT_EQ(log_in(server(), wes.email, wes.password).status, 200);

  Response changed =
      browser.post("/api/v1/auth/password",
                   json::object{{"currentPassword", wes.password}, {"newPassword", fresh}},
                   cookie(here, origin()));
  ASSERT_EQ(changed.status, 204) << changed.describe();
  EXPECT_EQ(browser.get("/api/v1/auth/me", cookie(here)).status, 200) << "this session stays";
  EXPECT_EQ(browser.get("/api/v1/auth/me", bearer(here)).status, 200);
  expect_problem(browser.get("/api/v1/auth/me", bearer(wes.token)), 401);
  expect_problem(log_in(server(), wes.email, wes.password), 401);
  EXPECT_EQ(log_in(server(), wes.email, fresh).status, 200);
}

TEST_F(Sessions, GuessingTheCurrentPasswordIsThrottledLikeALogin) {
  Login pia = create_login(admin(), "PSV");
  HttpClient browser = anonymous();
  const json::object guess{{"currentPassword", "Wrong-guess-123"},
                           {"newPassword", "Another-passw0rd"}};
  for (int i = 0; i < 5; ++i)  // the pair's failures admitted without delay
    expect_problem(browser.post("/api/v1/auth/password", guess, bearer(pia.token)), 422);
  Response throttled = browser.post("/api/v1/auth/password", guess, bearer(pia.token));
  expect_problem(throttled, 429);
  EXPECT_NE(throttled.header("retry-after"), "");
  // The right password is not even checked during the delay.
  expect_problem(browser.post("/api/v1/auth/password",
                              json::object{{"currentPassword", pia.password},
                                           {"newPassword", "Another-passw0rd"}},
                              bearer(pia.token)),
                 429);
}

TEST_F(Sessions, BehindATrustedTlsProxyTheCookieIsSecureAndTheOriginHttps) {
  start({{"LEADPROC_TRUSTED_PROXIES", "127.0.0.1"}});
  Login boss = create_login(admin(), "ADMIN");
  HttpClient browser = anonymous();
  const Headers proxied{{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "leads.example.com"}};
  Headers login_headers = proxied;
  login_headers.emplace_back("Origin", "https://leads.example.com");
  Response r =
      browser.post("/api/v1/auth/login",
                   json::object{{"email", boss.email}, {"password", boss.password}}, login_headers);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(has_flag(r.header("set-cookie"), "Secure")) << r.header("set-cookie");

  const std::string path = "/api/v1/users/" + boss.id;
  Headers good = cookie(boss.token, "https://leads.example.com");
  good.insert(good.end(), proxied.begin(), proxied.end());
  EXPECT_EQ(browser.patch(path, json::object{{"firstName", "Proxied"}}, good).status, 200);
  Headers plain = cookie(boss.token, "http://leads.example.com");
  plain.insert(plain.end(), proxied.begin(), proxied.end());
  expect_problem(browser.patch(path, json::object{{"firstName", "Plain"}}, plain), 403);
}

TEST_F(Sessions, CookieSecureTrueMeansThePublicSideIsHttps) {
  start({{"LEADPROC_COOKIE_SECURE", "true"}});
  Login boss = create_login(admin(), "ADMIN");
  Response r = log_in(server(), boss.email, boss.password);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(has_flag(r.header("set-cookie"), "Secure")) << r.header("set-cookie");
  HttpClient browser = anonymous();
  const std::string path = "/api/v1/users/" + boss.id;
  const std::string https = "https://127.0.0.1:" + std::to_string(server().port());
  EXPECT_EQ(
      browser.patch(path, json::object{{"firstName", "Tls"}}, cookie(boss.token, https)).status,
      200);
  expect_problem(
      browser.patch(path, json::object{{"firstName", "Plain"}}, cookie(boss.token, origin())), 403);
}

}  // namespace
}  // namespace leadproc::apitest
