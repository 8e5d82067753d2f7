// Website forms without code (issue 19 item 5; docs/intake.md "Website forms"): an admin sets up
// a form (POST /api/v1/intake/sources, kind "form") and gets its public form key; a website posts
// to POST /api/v1/intake/forms/{formKey}. A plain form post ends on the thank-you page (or the
// error page naming the bad fields, nothing stored); a fetch() gets JSON; CORS preflights are
// answered for the form's origins only; utm_*, gclid and fbclid (as fbc) come from the fields or
// the page's query; the honeypot stores nothing; an address past its limit gets 429; an unknown
// or deleted form's key creates nothing.
#include <algorithm>

#include "harness.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kOrigin = "https://www.example-travel.com";
constexpr const char* kThanks = "https://www.example-travel.com/thank-you";
constexpr const char* kError = "https://www.example-travel.com/oops?lang=en";
constexpr const char* kUrlencoded = "application/x-www-form-urlencoded";
// What Chromium asks for when it sends a form.
constexpr const char* kBrowserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

std::unique_ptr<TestServer> start_server(int posts_per_hour) {
  ServerOptions options;
  options.env = {{"LEADPROC_FORM_POSTS_PER_HOUR", std::to_string(posts_per_hour)}};
  return std::make_unique<TestServer>(options);
}

// A form source on `server`; returns the source as answered.
json::object create_form(HttpClient& admin, const std::string& name = "Goa enquiry") {
  Response r = admin.post(
      "/api/v1/intake/sources",
      json::object{{"kind", "form"},
                   {"name", unique_name(name)},
                   {"thankYouUrl", kThanks},
                   {"errorUrl", kError},
                   {"allowedOrigins", json::array{"HTTPS://WWW.example-travel.com:443"}}});
  if (r.status != 201) throw FixtureError("form source: " + r.describe());
  return r.json().as_object();
}

class WebsiteForms : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = start_server(1000); }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    admin_.emplace(server_->client());
    visitor_.emplace(server_->base_url());
  }

  // A browser's plain form post (it asks for a page, not JSON) unless `headers` say otherwise.
  Response post(const std::string& key, const std::string& body, Headers headers = {},
                std::string_view type = kUrlencoded) {
    if (std::none_of(headers.begin(), headers.end(),
                     [](const auto& h) { return h.first == "Accept"; }))
      headers.emplace_back("Accept", kBrowserAccept);
    return visitor_->request("POST", "/api/v1/intake/forms/" + key, body, headers, type);
  }
  // The opportunities of a customer (E.164), duplicates included.
  std::vector<json::value> opportunities_of(const std::string& e164) {
    Response r = admin_->get("/api/v1/customers/" + e164.substr(3));
    EXPECT_EQ(r.status, 200) << r.describe();
    std::vector<json::value> out;
    const json::value customer = r.json();
    for (const auto& e : at(customer, "items").as_array()) {
      out.push_back(e);
      for (const auto& d : at(e, "duplicates").as_array()) out.push_back(d);
    }
    return out;
  }

  inline static std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> admin_;
  std::optional<HttpClient> visitor_;  // a browser: no credentials of ours
};

TEST_F(WebsiteForms, SettingUpAFormGivesItsPublicKeyAndNamesEveryBadField) {
  const json::object form = create_form(*admin_);
  EXPECT_EQ(str(form, "kind"), "form");
  EXPECT_EQ(str(form, "formKey").rfind("lpf_", 0), 0u) << form;
  EXPECT_EQ(str(form, "postPath"), "/api/v1/intake/forms/" + str(form, "formKey"));
  EXPECT_EQ(str(form, "thankYouUrl"), kThanks);
  // The origin as browsers send it.
  EXPECT_EQ(at(form, "allowedOrigins"), json::value(json::array{kOrigin}));

  Response bad = admin_->post("/api/v1/intake/sources",
                              json::object{{"kind", "form"},
                                           {"name", ""},
                                           {"thankYouUrl", "javascript:alert(1)"},
                                           {"errorUrl", "/relative"},
                                           {"allowedOrigins", json::array{"https://x.com/path"}},
                                           {"googleKey", "k"}});
  expect_problem(bad, 422);
  const auto fields = problem_fields(bad);
  for (const char* f : {"name", "thankYouUrl", "errorUrl", "allowedOrigins[0]", "googleKey"})
    EXPECT_TRUE(contains(fields, f)) << f << ": " << bad.body;

  // Changed: its URLs; its key stays.
  Response changed = admin_->patch("/api/v1/intake/sources/" + str(form, "id"),
                                   json::object{{"thankYouUrl", "https://example.org/thanks"}});
  ASSERT_EQ(changed.status, 200) << changed.describe();
  EXPECT_EQ(str(changed.json(), "thankYouUrl"), "https://example.org/thanks");
  EXPECT_EQ(str(changed.json(), "formKey"), str(form, "formKey"));
  EXPECT_EQ(str(changed.json(), "errorUrl"), kError);
  Response wrong = admin_->patch("/api/v1/intake/sources/" + str(form, "id"),
                                 json::object{{"formId", "123"}, {"errorUrl", "ftp://x"}});
  expect_problem(wrong, 422);
  EXPECT_TRUE(contains(problem_fields(wrong), "formId")) << wrong.body;
  EXPECT_TRUE(contains(problem_fields(wrong), "errorUrl")) << wrong.body;
}

TEST_F(WebsiteForms, APlainPostEndsOnTheThankYouPageWithItsLeadStoredAndAttributed) {
  const json::object form = create_form(*admin_);
  const std::string mobile = next_mobile();
  // utm_source and gclid as fields; utm_campaign and fbclid only in the page's query.
  const std::string body = "name=Ana+L%C3%BAcia&phone=%2B91" + mobile +
                           "&email=ana%40example.com&utm_source=newsletter&gclid=Cj0KCQ-gclid"
                           "&favourite_colour=blue&travelDate=&pax=&lp_hp=";
  Response r = post(str(form, "formKey"), body,
                    {{"Origin", kOrigin},
                     {"Referer",
                      "https://www.example-travel.com/goa-trips?utm_campaign=monsoon"
                      "&fbclid=IwAR2xYz&utm_source=ignored"},
                     {"User-Agent", "Mozilla/5.0 (test)"}});
  ASSERT_EQ(r.status, 303) << r.describe();
  EXPECT_EQ(r.header("location"), kThanks);

  const auto opps = opportunities_of("+91" + mobile);
  ASSERT_EQ(opps.size(), 1u);
  const json::value& o = opps[0];
  EXPECT_EQ(str(o, "name"), "Ana Lúcia");
  EXPECT_EQ(str(o, "email"), "ana@example.com");
  EXPECT_EQ(str(o, "utmSource"), "newsletter");  // the field wins over the page's query
  EXPECT_EQ(str(o, "utmCampaign"), "monsoon");
  EXPECT_EQ(str(o, "gclid"), "Cj0KCQ-gclid");
  const std::string fbc = str(o, "fbc");
  EXPECT_EQ(fbc.rfind("fb.1.", 0), 0u) << fbc;
  EXPECT_EQ(fbc.substr(fbc.size() - 9), ".IwAR2xYz") << fbc;
  EXPECT_EQ(str(o, "userAgent"), "Mozilla/5.0 (test)");
  EXPECT_EQ(str(o, "page"),
            "https://www.example-travel.com/goa-trips?utm_campaign=monsoon&fbclid=IwAR2xYz"
            "&utm_source=ignored");
  EXPECT_EQ(str(o, "leadSource.platform"), "website");
  EXPECT_EQ(str(o, "sourceMeta.fromId"), str(form, "id"));
  EXPECT_EQ(str(o, "sourceMeta.formName"), str(form, "name"));
  Response lead = admin_->get("/api/v1/leads/" + str(o, "leadId"));
  ASSERT_EQ(lead.status, 200) << lead.describe();
  EXPECT_EQ(str(lead.json(), "extra.favourite_colour"), "blue");

  // The form shows its last lead.
  Response got = admin_->get("/api/v1/intake/sources/" + str(form, "id"));
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_FALSE(is_null_at(got.json(), "lastLeadAt")) << got.body;
}

TEST_F(WebsiteForms, AMultipartPostIsTakenLikeAnUrlencodedOne) {
  const json::object form = create_form(*admin_);
  const std::string mobile = next_mobile();
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nZoë Fernandes\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"number\"\r\n\r\n" +
      mobile +
      "\r\n"
      "--XyZ--\r\n";
  Response r = post(str(form, "formKey"), body, {}, "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 303) << r.describe();
  EXPECT_EQ(r.header("location"), kThanks);
  const auto opps = opportunities_of("+91" + mobile);
  ASSERT_EQ(opps.size(), 1u);
  EXPECT_EQ(str(opps[0], "name"), "Zoë Fernandes");
}

TEST_F(WebsiteForms, ABadFieldEndsOnTheErrorPageNamingItAndStoresNothing) {
  const json::object form = create_form(*admin_);
  const std::string mobile = next_mobile();
  Response r =
      post(str(form, "formKey"), "name=Ravi&number=" + mobile + "&email=not-an-email&pax=lots");
  ASSERT_EQ(r.status, 303) << r.describe();
  const std::string location = r.header("location");
  EXPECT_EQ(location.rfind(std::string(kError) + "&errors=", 0), 0u) << location;
  EXPECT_NE(location.find("email"), std::string::npos) << location;
  EXPECT_NE(location.find("pax"), std::string::npos) << location;
  EXPECT_TRUE(opportunities_of("+91" + mobile).empty());
  // The form shows why.
  Response got = admin_->get("/api/v1/intake/sources/" + str(form, "id"));
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_NE(str(got.json(), "lastError").find("email"), std::string::npos) << got.body;

  // A page may not say who gets the lead or where it came from.
  Response forged =
      post(str(form, "formKey"),
           "name=Ravi&number=" + mobile + "&salesPersonToBeAssigned=0123456789abcdef01234567");
  ASSERT_EQ(forged.status, 303) << forged.describe();
  EXPECT_NE(forged.header("location").find("salesPersonToBeAssigned"), std::string::npos)
      << forged.header("location");
  EXPECT_TRUE(opportunities_of("+91" + mobile).empty());
}

TEST_F(WebsiteForms, AFetchGetsJson) {
  const json::object form = create_form(*admin_);
  const std::string key = str(form, "formKey");
  const std::string mobile = next_mobile();
  Response ok = post(key,
                     json::serialize(json::object{{"name", "Meera"},
                                                  {"number", mobile},
                                                  {"page", "https://www.example-travel.com/kerala"},
                                                  {"emial", "typo@example.com"}}),
                     {{"Origin", kOrigin}}, "application/json");
  ASSERT_EQ(ok.status, 201) << ok.describe();
  EXPECT_EQ(ok.header("access-control-allow-origin"), kOrigin);
  const json::value answer = ok.json();
  EXPECT_EQ(at(answer, "received"), json::value(true));
  const auto& warnings = at(answer, "warnings");
  ASSERT_TRUE(warnings.is_array() && warnings.as_array().size() == 1) << ok.body;
  EXPECT_EQ(str(warnings.as_array()[0], "field"), "emial");
  // The answer says nothing about the customer (no ids, no duplicate flag): the route is public.
  EXPECT_EQ(ok.body.find("opportunity"), std::string::npos) << ok.body;
  EXPECT_EQ(opportunities_of("+91" + mobile).size(), 1u);

  // A urlencoded fetch() asking for JSON gets a 422 problem naming the field.
  Response bad = post(key, "name=Meera&number=12", {{"Accept", "application/json"}});
  expect_problem(bad, 422);
  EXPECT_TRUE(contains(problem_fields(bad), "number")) << bad.body;

  Response unreadable = post(key, "{not json", {}, "application/json");
  expect_problem(unreadable, 422);
  Response plain_text = post(key, "name=x", {{"Accept", "application/json"}}, "text/plain");
  expect_problem(plain_text, 422);
  EXPECT_TRUE(contains(problem_fields(plain_text), "Content-Type")) << plain_text.body;
}

TEST_F(WebsiteForms, PreflightsAreAnsweredForTheFormsOriginsOnly) {
  const json::object form = create_form(*admin_);
  const std::string path = "/api/v1/intake/forms/" + str(form, "formKey");
  Response ok = visitor_->request("OPTIONS", path, std::nullopt,
                                  {{"Origin", kOrigin},
                                   {"Access-Control-Request-Method", "POST"},
                                   {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_EQ(ok.status, 204) << ok.describe();
  EXPECT_EQ(ok.header("access-control-allow-origin"), kOrigin);
  EXPECT_NE(ok.header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_NE(ok.header("access-control-allow-headers").find("Content-Type"), std::string::npos);

  Response other = visitor_->request(
      "OPTIONS", path, std::nullopt,
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(other.status, 403) << other.describe();
  EXPECT_EQ(other.header("access-control-allow-origin"), "");

  // A page of another origin using this form's key stores nothing.
  const std::string mobile = next_mobile();
  Response post_other =
      post(str(form, "formKey"), "name=Eve&number=" + mobile, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(post_other.status, 403) << post_other.describe();
  EXPECT_EQ(post_other.header("access-control-allow-origin"), "");
  EXPECT_TRUE(opportunities_of("+91" + mobile).empty());
}

TEST_F(WebsiteForms, TheHoneypotLooksLikeSuccessAndStoresNothing) {
  const json::object form = create_form(*admin_);
  const std::string mobile = next_mobile();
  Response plain =
      post(str(form, "formKey"), "name=Bot&number=" + mobile + "&lp_hp=http%3A%2F%2Fspam");
  ASSERT_EQ(plain.status, 303) << plain.describe();
  EXPECT_EQ(plain.header("location"), kThanks);
  Response fetched =
      post(str(form, "formKey"),
           json::serialize(json::object{{"name", "Bot"}, {"number", mobile}, {"lp_hp", "x"}}), {},
           "application/json");
  ASSERT_EQ(fetched.status, 201) << fetched.describe();
  EXPECT_TRUE(at(fetched.json(), "received").as_bool());
  EXPECT_TRUE(opportunities_of("+91" + mobile).empty());
}

TEST_F(WebsiteForms, AnUnknownOrDeletedFormsKeyIsNotFound) {
  const std::string mobile = next_mobile();
  expect_problem(post("lpf_no-such-form-key-at-all", "name=A&number=" + mobile), 404);
  const json::object form = create_form(*admin_);
  ASSERT_EQ(admin_->del("/api/v1/intake/sources/" + str(form, "id")).status, 204);
  expect_problem(post(str(form, "formKey"), "name=A&number=" + mobile), 404);
  Response preflight = visitor_->request("OPTIONS", "/api/v1/intake/forms/" + str(form, "formKey"),
                                         std::nullopt, {{"Origin", kOrigin}});
  expect_problem(preflight, 404);
  EXPECT_TRUE(opportunities_of("+91" + mobile).empty());
}

// An address past LEADPROC_FORM_POSTS_PER_HOUR gets 429 with Retry-After, and nothing stored.
TEST(WebsiteFormsRateLimit, AnAddressPastItsLimitGets429) {
  auto server = start_server(3);
  HttpClient admin = server->client();
  HttpClient visitor(server->base_url());
  const json::object form = create_form(admin);
  const std::string path = "/api/v1/intake/forms/" + str(form, "formKey");
  for (int i = 0; i < 3; ++i) {
    Response r = visitor.request("POST", path, "name=A&number=" + next_mobile(),
                                 {{"Accept", kBrowserAccept}}, kUrlencoded);
    ASSERT_EQ(r.status, 303) << i << ": " << r.describe();
  }
  const std::string mobile = next_mobile();
  Response limited = visitor.request("POST", path, "name=A&number=" + mobile,
                                     {{"Accept", kBrowserAccept}}, kUrlencoded);
  expect_problem(limited, 429);
  EXPECT_FALSE(limited.header("retry-after").empty());
  Response customer = admin.get("/api/v1/customers/" + mobile);
  ASSERT_EQ(customer.status, 200) << customer.describe();
  EXPECT_TRUE(at(customer.json(), "items").as_array().empty());
}

}  // namespace
}  // namespace leadproc::apitest
