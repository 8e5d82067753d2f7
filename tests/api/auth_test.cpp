// Authentication and access, black-box (docs/api-auth.md): login, logout, me, session expiry,
// the ends of sessions, API keys, per-resource scope, security headers, and secrets
// kept out of the logs. The role x endpoint table is access_table_test.cpp; login throttling is
// login_throttle_test.cpp.
#include <chrono>
#include <thread>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNoSuchId = "65a1b2c3d4e5f60718293a4b";

// A server of its own per test (so that failed logins of one test never throttle another).
class AuthApi : public OwnServerTest {};

void expect_401(const Response& r) {
  expect_problem(r, 401);
  EXPECT_TRUE(r.header("www-authenticate").starts_with("Bearer")) << r.header("www-authenticate");
}

TEST_F(AuthApi, LoginMeAndLogout) {
  Login sam = create_login(admin(), "SALES");
  // Email case and spaces do not matter.
  Response r = log_in(server(),
                      "  " + std::string(1, static_cast<char>(std::toupper(sam.email[0]))) +
                          sam.email.substr(1) + " ",
                      sam.password);
  ASSERT_EQ(r.status, 200) << r.describe();
  json::value v = r.json();
  const std::string token = str(v, "token");
  EXPECT_TRUE(token.starts_with("lps_")) << token;
  EXPECT_EQ(str(v, "tokenType"), "Bearer");
  EXPECT_TRUE(at(v, "expiresAt").is_string());
  EXPECT_EQ(str(v, "user._id"), sam.id);
  EXPECT_EQ(at(v, "user.hasCredentials"), json::value(true));
  EXPECT_TRUE(at(v, "user").get_object().find("credentials") == at(v, "user").get_object().end());
  EXPECT_TRUE(at(v, "user").get_object().find("password") == at(v, "user").get_object().end());
  EXPECT_EQ(r.body.find("$2"), std::string::npos) << "a bcrypt hash left the server";

  HttpClient c = anonymous();
  Response me = c.get("/api/v1/auth/me", bearer(token));
  ASSERT_EQ(me.status, 200) << me.describe();
  EXPECT_EQ(str(me.json(), "user._id"), sam.id);
  EXPECT_EQ(str(me.json(), "user.department"), "SALES");
  EXPECT_EQ(me.body.find("$2"), std::string::npos);

  Response out = c.post("/api/v1/auth/logout", json::object{}, bearer(token));
  EXPECT_EQ(out.status, 204) << out.describe();
  expect_401(c.get("/api/v1/auth/me", bearer(token)));
  expect_401(c.post("/api/v1/auth/logout", json::object{}, bearer(token)));
  // The other session of the same user is untouched.
  EXPECT_EQ(c.get("/api/v1/auth/me", bearer(sam.token)).status, 200);
}

TEST_F(AuthApi, MissingOrBadCredentialsAre401) {
  HttpClient c = anonymous();
  expect_401(c.get("/api/v1/opportunities"));
  expect_401(c.get("/api/v1/opportunities", bearer("lps_not-a-token")));
  expect_401(c.get("/api/v1/opportunities", {{"Authorization", "Basic YTpi"}}));
  expect_401(c.get("/api/v1/opportunities", {{"Authorization", "Bearer"}}));
  expect_401(c.get("/api/v1/users", {{"X-Api-Key", "lpk_not-a-key"}}));
  expect_401(c.post("/api/v1/leads", lead_body("Asha", next_mobile()),
                    {{"Authorization", "ApiKey lpk_not-a-key"}}));
  expect_401(c.post("/api/v1/leads", lead_body("Asha", next_mobile())));
  // Public endpoints need nothing.
  EXPECT_EQ(c.get("/healthz").status, 200);
  EXPECT_EQ(c.get("/readyz").status, 200);
  EXPECT_EQ(c.get("/metrics").status, 200);
}

TEST_F(AuthApi, UnknownEmailAndWrongPasswordLookAlike) {
  Login priya = create_login(admin(), "PSV");
  Response wrong = log_in(server(), priya.email, "Wrong-password-9");
  Response unknown = log_in(server(), "nobody." + run_token() + "@auth.test", "Wrong-password-9");
  expect_problem(wrong, 401);
  expect_problem(unknown, 401);
  EXPECT_EQ(at(wrong.json(), "detail"), at(unknown.json(), "detail"));
  EXPECT_EQ(str(wrong.json(), "detail"), "invalid email or password");

  HttpClient c = anonymous();
  Response missing = c.post("/api/v1/auth/login", json::object{{"email", priya.email}});
  expect_problem(missing, 422);
  EXPECT_TRUE(contains(problem_fields(missing), "password"));
}

// The server's clock is moved (LEADPROC_TEST_CLOCK), not waited for: ten seconds before the end
// of its hour the session works, ten seconds after it does not.
TEST_F(AuthApi, ExpiredSessionsStopWorkingAtOnce) {
  server_.reset();
  start({{"LEADPROC_SESSION_TTL", "1h"}});
  Login sam = create_login(admin(), "SALES");
  HttpClient c = anonymous();
  Response me = c.get("/api/v1/auth/me", bearer(sam.token));
  ASSERT_EQ(me.status, 200) << me.describe();
  advance_clock(admin(), 3590s);
  ASSERT_EQ(c.get("/api/v1/auth/me", bearer(sam.token)).status, 200);
  advance_clock(admin(), 20s);  // (the admin's session is younger than Sam's)
  expect_401(c.get("/api/v1/auth/me", bearer(sam.token)));
  // A new login works again.
  EXPECT_EQ(c.get("/api/v1/auth/me", bearer(token_for(server(), sam.email))).status, 200);
}

TEST_F(AuthApi, DeactivatingDeletingOrResettingAUserEndsTheirSessions) {
  Login priya = create_login(admin(), "PSV");
  Login wes = create_login(admin(), "WEST");
  Login sam = create_login(admin(), "SALES");
  HttpClient c = anonymous();

  ASSERT_EQ(admin().post("/api/v1/users/" + priya.id + "/deactivate", json::object{}).status, 200);
  expect_401(c.get("/api/v1/auth/me", bearer(priya.token)));
  expect_problem(log_in(server(), priya.email, priya.password), 401);

  ASSERT_EQ(admin().del("/api/v1/users/" + wes.id).status, 204);
  expect_401(c.get("/api/v1/auth/me", bearer(wes.token)));

  Response weak =
      admin().post("/api/v1/users/" + sam.id + "/password", json::object{{"password", "short"}});
  expect_problem(weak, 422);
  EXPECT_TRUE(contains(problem_fields(weak), "password"));
  EXPECT_EQ(c.get("/api/v1/auth/me", bearer(sam.token)).status, 200);
  Response reset = admin().post("/api/v1/users/" + sam.id + "/password",
                                json::object{{"password", "Brand-new-pass-7"}});
  EXPECT_EQ(reset.status, 204) << reset.describe();
  expect_401(c.get("/api/v1/auth/me", bearer(sam.token)));
  EXPECT_EQ(
      c.get("/api/v1/auth/me", bearer(token_for(server(), sam.email, "Brand-new-pass-7"))).status,
      200);
  expect_problem(admin().post("/api/v1/users/" + std::string(kNoSuchId) + "/password",
                              json::object{{"password", "Brand-new-pass-7"}}),
                 404);
}

TEST_F(AuthApi, PasswordsFollowThePolicyAndNeverComeBack) {
  Response weak =
      admin().post("/api/v1/users", json::object{{"email", "weak." + run_token() + "@auth.test"},
                                                 {"department", "PSV"},
                                                 {"password", "aaaaaaaaaaaa"}});
  expect_problem(weak, 422);
  EXPECT_TRUE(contains(problem_fields(weak), "password"));
  Login priya = create_login(admin(), "PSV");
  Response patch =
      admin().patch("/api/v1/users/" + priya.id, json::object{{"password", "Another-pass-1"}});
  expect_problem(patch, 422);
  Response creds =
      admin().patch("/api/v1/users/" + priya.id, json::object{{"credentials", "$2b$04$abc"}});
  expect_problem(creds, 422);
  for (const std::string& path : {std::string("/api/v1/users"), "/api/v1/users/" + priya.id}) {
    Response r = admin().get(path);
    ASSERT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(r.body.find("$2"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("credentials"), std::string::npos) << path;
  }
}

TEST_F(AuthApi, ApiKeysIngestButCannotRead) {
  IssuedKey key = issue_key(admin(), "Instagram bot", "instagram");
  EXPECT_TRUE(key.key.starts_with("lpk_")) << key.key;
  // The key is shown once: never in the listing or the detail.
  Response one = admin().get("/api/v1/api-keys/" + key.id);
  ASSERT_EQ(one.status, 200) << one.describe();
  EXPECT_EQ(str(one.json(), "name"), "Instagram bot");
  EXPECT_EQ(str(one.json(), "platform"), "instagram");
  EXPECT_EQ(at(one.json(), "revoked"), json::value(false));
  EXPECT_EQ(one.body.find(key.key), std::string::npos);
  EXPECT_EQ(one.body.find("keyHash"), std::string::npos);
  Response list = admin().get("/api/v1/api-keys");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(key.key), std::string::npos);

  HttpClient source = anonymous();
  // The key's platform is the default; a platform in the body wins.
  json::object plain{{"name", "Asha"}, {"number", next_mobile()}};
  Response made = source.post("/api/v1/leads", plain, {{"X-Api-Key", key.key}});
  ASSERT_EQ(made.status, 201) << made.describe();
  EXPECT_EQ(str(made.json(), "lead.leadSource.platform"), "instagram");
  EXPECT_TRUE(is_null_at(made.json(), "opportunity.createdBy"));
  Response other = source.post("/api/v1/leads", lead_body("Ravi", next_mobile(), "whatsapp_bot"),
                               {{"Authorization", "ApiKey " + key.key}});
  ASSERT_EQ(other.status, 201) << other.describe();
  EXPECT_EQ(str(other.json(), "lead.leadSource.platform"), "whatsapp_bot");
  EXPECT_TRUE(at(admin().get("/api/v1/api-keys/" + key.id).json(), "lastUsedAt").is_string());

  const std::string opp = str(made.json(), "opportunity._id");
  const Headers as_key = {{"X-Api-Key", key.key}};
  expect_problem(source.get("/api/v1/opportunities", as_key), 403);
  expect_problem(source.get("/api/v1/opportunities/" + opp, as_key), 403);
  expect_problem(source.get("/api/v1/leads/" + str(made.json(), "lead._id"), as_key), 403);
  expect_problem(source.get("/api/v1/users", as_key), 403);
  expect_problem(source.get("/api/v1/auth/me", as_key), 403);
  expect_problem(
      source.post("/api/v1/api-keys", json::object{{"name", "x"}, {"platform", "dc"}}, as_key),
      403);

  EXPECT_EQ(admin().del("/api/v1/api-keys/" + key.id).status, 204);
  expect_401(source.post("/api/v1/leads", lead_body("Meera", next_mobile()), as_key));
  EXPECT_EQ(at(admin().get("/api/v1/api-keys/" + key.id).json(), "revoked"), json::value(true));
  // A bad key names both fields: the name's rule (the use case) and the platform's word (the
  // decoder) in one answer.
  Response bad = admin().post("/api/v1/api-keys", json::object{{"name", ""}, {"platform", "fax"}});
  expect_problem(bad, 422);
  EXPECT_TRUE(contains(problem_fields(bad), "name"));
  EXPECT_TRUE(contains(problem_fields(bad), "platform"));
}

TEST_F(AuthApi, AnAgentLogsADirectCallAsThemselves) {
  Login priya = create_login(admin(), "PSV");
  Response r = anonymous().post("/api/v1/leads", lead_body("Caller", next_mobile(), "dc"),
                                bearer(priya.token));
  ASSERT_EQ(r.status, 201) << r.describe();
  EXPECT_EQ(str(r.json(), "opportunity.createdBy"), priya.id);
}

TEST_F(AuthApi, AgentsSeeOnlyTheirOwnLeads) {
  Login a = create_login(admin(), "PSV");
  Login b = create_login(admin(), "PSV");
  Login sales = create_login(admin(), "SALES");
  const std::string goa = create_destination(admin(), unique_name("Goa"));
  create_map(admin(), "PSV", {MapEntry(goa)});
  create_availability(admin(), Poc{a.id, "PSV", {goa}, {}, 1});
  create_availability(admin(), Poc{b.id, "PSV", {goa}, {}, 2});
  json::object first = lead_body("One", next_mobile());
  first["destination"] = goa;
  json::object second = lead_body("Two", next_mobile());
  second["destination"] = goa;
  json::object l1 = ingest(admin(), first);
  json::object l2 = ingest(admin(), second);
  // Round robin gave one to each; find whose is whose.
  std::string opp_a = str(l1, "opportunity._id"), opp_b = str(l2, "opportunity._id");
  std::string lead_a = str(l1, "lead._id"), lead_b = str(l2, "lead._id");
  if (str(l1, "opportunity.assignedPsv._id") != a.id) {
    std::swap(opp_a, opp_b);
    std::swap(lead_a, lead_b);
  }
  ASSERT_EQ(str(get_opportunity(admin(), opp_a), "assignedPsv._id"), a.id);
  ASSERT_EQ(str(get_opportunity(admin(), opp_b), "assignedPsv._id"), b.id);

  HttpClient c = anonymous();
  const Headers as_a = bearer(a.token);
  EXPECT_EQ(c.get("/api/v1/opportunities/" + opp_a, as_a).status, 200);
  EXPECT_EQ(c.get("/api/v1/opportunities/" + opp_a + "/activities", as_a).status, 200);
  EXPECT_EQ(c.get("/api/v1/leads/" + lead_a, as_a).status, 200);
  // Somebody else's lead answers as if it did not exist.
  expect_problem(c.get("/api/v1/opportunities/" + opp_b, as_a), 404);
  expect_problem(c.get("/api/v1/opportunities/" + opp_b + "/activities", as_a), 404);
  expect_problem(c.get("/api/v1/leads/" + lead_b, as_a), 404);
  Response unknown = c.get(std::string("/api/v1/opportunities/") + kNoSuchId, as_a);
  expect_problem(unknown, 404);
  EXPECT_EQ(at(unknown.json(), "detail"),
            at(c.get("/api/v1/opportunities/" + opp_b, as_a).json(), "detail"));

  Response mine = c.get("/api/v1/opportunities?limit=500", as_a);
  ASSERT_EQ(mine.status, 200) << mine.describe();
  ASSERT_EQ(at(mine.json(), "items").get_array().size(), 1u) << mine.body;
  EXPECT_EQ(str(at(mine.json(), "items").get_array()[0], "_id"), opp_a);
  Response theirs = c.get("/api/v1/opportunities?assignee=" + b.id, as_a);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_TRUE(at(theirs.json(), "items").get_array().empty());

  // SALES owns none of these yet.
  Response sales_list = c.get("/api/v1/opportunities", bearer(sales.token));
  ASSERT_EQ(sales_list.status, 200);
  EXPECT_TRUE(at(sales_list.json(), "items").get_array().empty());
  expect_problem(c.get("/api/v1/opportunities/" + opp_a, bearer(sales.token)), 404);

  // The admin sees both.
  EXPECT_GE(list_opportunities(admin()).size(), 2u);
  // Agents cannot reach configuration (they read destinations and the people directory only:
  // directory_test.cpp).
  expect_problem(c.get("/api/v1/process-destination-maps", as_a), 403);
  expect_problem(c.post("/api/v1/destinations", json::object{}, as_a), 403);
  expect_problem(c.post("/api/v1/users", json::object{}, as_a), 403);
}

// Once a lead is qualified it is the sales person's: the PSV agent who qualified it keeps sight
// of it (its trail, their notes) but no longer changes it; the sales owner does
// (docs/api-auth.md, can_modify).
TEST_F(AuthApi, AnAgentKeepsSightOfAQualifiedLeadButNoLongerChangesIt) {
  Login agent = create_login(admin(), "PSV");
  Login sales = create_login(admin(), "SALES");
  const std::string goa = create_destination(admin(), unique_name("Goa"));
  create_map(admin(), "PSV", {MapEntry(goa)});
  create_availability(admin(), Poc{agent.id, "PSV", {goa}, {}, 1});
  create_availability(admin(), Poc{sales.id, "Sales", {goa}, {}, 1});
  json::object body = lead_body("Qualified", next_mobile());
  body["destination"] = goa;
  const std::string opp = str(ingest(admin(), body), "opportunity._id");
  const std::string base = "/api/v1/opportunities/" + opp;

  HttpClient c = anonymous();
  const Headers as_agent = bearer(agent.token);
  Response note = c.post(base + "/notes", json::object{{"note", "called, keen"}}, as_agent);
  ASSERT_EQ(note.status, 201) << "the agent works the lead in PSV\n" << note.describe();
  Response qualified = c.post(base + "/transitions",
                              json::object{{"to", "PSVQualified"}, {"remarks", "villa"}}, as_agent);
  ASSERT_EQ(qualified.status, 200) << qualified.describe();
  ASSERT_EQ(str(qualified.json(), "status"), "Open");
  ASSERT_EQ(str(qualified.json(), "opportunityOwner"), sales.id);

  EXPECT_EQ(c.get(base, as_agent).status, 200) << "the agent keeps sight of it";
  expect_problem(c.post(base + "/notes", json::object{{"note", "one more thing"}}, as_agent), 403);
  expect_problem(
      c.post(base + "/transitions", json::object{{"to", "followup"}, {"remarks", "x"}}, as_agent),
      403);
  expect_problem(c.post(base + "/reassign", json::object{{"to", sales.id}}, as_agent), 403);
  Response owner_note =
      c.post(base + "/notes", json::object{{"note", "first call booked"}}, bearer(sales.token));
  EXPECT_EQ(owner_note.status, 201) << owner_note.describe();
}

void expect_security_headers(const Response& r) {
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << r.describe();
  EXPECT_EQ(r.header("x-frame-options"), "DENY") << r.describe();
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << r.describe();
  EXPECT_EQ(r.header("cache-control"), "no-store") << r.describe();
}

TEST_F(AuthApi, EveryAnswerCarriesSecurityHeaders) {
  Login priya = create_login(admin(), "PSV");
  HttpClient c = anonymous();
  expect_security_headers(c.get("/healthz"));
  expect_security_headers(c.get("/api/v1/opportunities"));                       // 401
  expect_security_headers(c.get("/api/v1/users", bearer(priya.token)));          // 403
  expect_security_headers(c.get("/api/v1/no-such-thing", bearer(priya.token)));  // 404
  expect_security_headers(c.get("/api/v1/auth/me", bearer(priya.token)));        // 200
  expect_security_headers(log_in(server(), priya.email, priya.password));        // 200 + token
  // A body over 1 MiB is refused before anything else, credentials or not.
  std::string big = "{\"name\":\"" + std::string((1 << 20) + 10, 'x') + "\"}";
  Response too_big = c.request("POST", "/api/v1/leads", big);
  expect_problem(too_big, 413);
  expect_security_headers(too_big);
}

TEST_F(AuthApi, SecretsStayOutOfTheLogs) {
  Login priya = create_login(admin(), "PSV");
  IssuedKey key = issue_key(admin(), "form", "website");
  HttpClient c = anonymous();
  EXPECT_EQ(
      c.post("/api/v1/leads", lead_body("Asha", next_mobile()), {{"X-Api-Key", key.key}}).status,
      201);
  EXPECT_EQ(c.get("/api/v1/auth/me?token=" + priya.token, bearer(priya.token)).status, 200);
  expect_problem(log_in(server(), priya.email, "Wrong-password-9"), 401);
  const std::string log = server().log();
  ASSERT_NE(log.find("auth.login"), std::string::npos) << "the requests were not logged at all";
  EXPECT_EQ(log.find(priya.token), std::string::npos) << "a bearer token is in the log";
  EXPECT_EQ(log.find(key.key), std::string::npos) << "an API key is in the log";
  EXPECT_EQ(log.find(priya.password), std::string::npos) << "a password is in the log";
  EXPECT_EQ(log.find("Wrong-password-9"), std::string::npos) << "a password is in the log";
  const std::size_t admin_token = server().auth_headers().empty()
                                      ? std::string::npos
                                      : log.find(server().auth_headers()[0].second.substr(7));
  EXPECT_EQ(admin_token, std::string::npos);
}

}  // namespace
}  // namespace leadproc::apitest
