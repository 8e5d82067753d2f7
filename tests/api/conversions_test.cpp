// Conversions back to the ad platforms (docs/conversions.md; issue 20 items 4 and 6), end to end:
// the real server sends to loopback stand-ins of Meta's Conversions API and Google Ads'
// uploadClickConversions (webhook_receiver.h), which check each request's shape. The
// conversions-send job is run on demand (POST /api/v1/jobs/conversions-send/run); the windows
// are crossed with the test clock, never by waiting. Each case looks at its own leads only.
#include <regex>
#include <set>

#include "harness.h"
#include "webhook_receiver.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kDataset = "998877665544";
constexpr const char* kCustomer = "1234567890";
constexpr const char* kQualifiedAction = "customers/1234567890/conversionActions/111";
constexpr const char* kWonAction = "customers/1234567890/conversionActions/222";
constexpr const char* kMetaToken = "meta-token-never-shown";
constexpr const char* kGoogleToken = "google-token-never-shown";

json::value body_of(const Received& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  return ec ? json::value() : v;
}

// A leadgen_id above 2^53 (a double would round it): unique per call.
std::string next_leadgen_id() {
  static std::int64_t n = 0;
  return std::to_string(9'100'000'000'000'000'000LL + (++n) * 7 +
                        std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000);
}

// The Meta requests whose event is about `leadgen_id`.
std::vector<Received> meta_of(const std::vector<Received>& got, const std::string& leadgen_id) {
  std::vector<Received> out;
  for (const auto& r : got)
    if (json::serialize(at(body_of(r), "data")).find(leadgen_id) != std::string::npos)
      out.push_back(r);
  return out;
}

// The Google rows (conversions[i]) of `gclid`, in the order they were sent.
std::vector<json::object> google_rows(const std::vector<Received>& got, const std::string& gclid) {
  std::vector<json::object> out;
  for (const auto& r : got) {
    const json::value b = body_of(r);
    if (!at(b, "conversions").is_array()) continue;
    for (const auto& row : at(b, "conversions").get_array())
      if (str(row, "gclid") == gclid) out.push_back(row.get_object());
  }
  return out;
}

class Conversions : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    meta_ = std::make_unique<WebhookReceiver>();
    google_ = std::make_unique<WebhookReceiver>();
    ServerOptions options;
    // Sessions outlive the clock's moves (Google's window is crossed: 91 days).
    options.env = {{"LEADPROC_META_GRAPH_URL", meta_->base()},
                   {"LEADPROC_GOOGLE_ADS_URL", google_->base()},
                   {"LEADPROC_SESSION_TTL", "400d"}};
    server_ = std::make_unique<TestServer>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    meta_.reset();
    google_.reset();
  }

 protected:
  void SetUp() override {
    client_.emplace(server_->client());
    meta_->set_answer(meta_ok);
    google_->set_answer(google_ok);
    if (!goa_.empty()) return;
    HttpClient& h = http();
    goa_ = create_destination(h, unique_name("Goa"));
    create_map(h, "PSV", {MapEntry(goa_)});
    const std::string psv = create_user(h, "PSV", "Pia");
    const std::string sales = create_user(h, "SALES", "Sam");
    create_availability(h, {psv, "PSV", {goa_}, {}, 1, true});
    create_availability(h, {sales, "Sales", {goa_}, {}, 1, true});
    Response put = h.put(
        "/api/v1/conversions/settings",
        json::object{
            {"meta", json::object{{"enabled", true},
                                  {"datasetId", kDataset},
                                  {"accessToken", kMetaToken},
                                  {"stageEvents",
                                   json::object{
                                       {"InPSV", "Initial Lead"},
                                       {"Open", "Qualified Lead"},
                                       {"Won", "Converted"},
                                   }}}},
            {"google", json::object{{"enabled", true},
                                    {"customerId", kCustomer},
                                    {"developerToken", "dev-token"},
                                    {"accessToken", kGoogleToken},
                                    {"conversionActions", json::object{
                                                              {"qualified", kQualifiedAction},
                                                              {"won", kWonAction},
                                                          }}}}});
    ASSERT_EQ(put.status, 200) << put.describe();
  }
  void TearDown() override {
    if (HasFailure()) print_server_log(*server_, 0);
  }

  static Answer meta_ok(const Received&, int nth) {
    return Answer{
        200,
        {},
        R"({"events_received":1,"messages":[],"fbtrace_id":"Trace)" + std::to_string(nth) + "\"}"};
  }
  static Answer google_ok(const Received& r, int) {
    json::array results;
    for (std::size_t i = 0; i < at(body_of(r), "conversions").as_array().size(); ++i)
      results.emplace_back(json::object{{"gclid", "x"}});
    return Answer{200, {}, json::serialize(json::object{{"results", std::move(results)}})};
  }

  HttpClient& http() { return *client_; }

  // A lead from Meta lead ads (its traceID the leadgen_id) or with a gclid; its opportunity id.
  std::string meta_lead(const std::string& leadgen_id) {
    json::object body = lead_body("Asha Menon", next_mobile(), "paid_ads");
    body["destination"] = goa_;
    body["traceID"] = leadgen_id;
    body["leadSource"].as_object()["primarySource"] = "meta_lead_ads";
    return str(ingest(http(), body), "opportunity._id");
  }
  std::string google_lead(const std::string& gclid) {
    json::object body = lead_body("Ravi Rao", next_mobile());
    body["destination"] = goa_;
    body["gclid"] = gclid;
    return str(ingest(http(), body), "opportunity._id");
  }
  void move(const std::string& opp, json::object body) {
    Response r = http().post("/api/v1/opportunities/" + opp + "/transitions", body);
    ASSERT_EQ(r.status, 200) << r.describe();
  }
  // Qualified (CRM entry) and then won with a deal value.
  void qualify_and_win(const std::string& opp) {
    move(opp, {{"to", "PSVQualified"}});
    move(opp, {{"to", "followup"}});  // a CRM stage change within Open: no new status
    move(opp, {{"to", "won"},
               {"bookingId", "BK-7"},
               {"dealValue", {{"amount", "125000.50"}, {"currency", "INR"}}}});
  }
  // Runs the job (again when another run holds the slot).
  void run_job() {
    for (int i = 0; i < 100; ++i) {
      Response r = http().post("/api/v1/jobs/conversions-send/run", json::object{});
      if (r.status == 200) {
        EXPECT_EQ(str(r.json(), "outcome"), "ok") << r.describe();
        return;
      }
      ASSERT_EQ(r.status, 409) << r.describe();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the conversions-send job never ran";
  }
  json::array report(const std::string& opp) {
    Response r = http().get("/api/v1/conversions?opportunityId=" + opp);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.status == 200 ? at(r.json(), "items").as_array() : json::array{};
  }
  // Runs the job until `pred` holds of the opportunity's report (bounded).
  json::array until(const std::string& opp, const std::function<bool(const json::array&)>& pred) {
    json::array rows;
    for (int i = 0; i < 100; ++i) {
      run_job();
      rows = report(opp);
      if (pred(rows)) return rows;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "report never satisfied the condition: " << json::serialize(rows);
    return rows;
  }
  static bool settled(const json::array& rows, std::size_t n) {
    if (rows.size() < n) return false;
    for (const auto& r : rows)
      if (str(r, "status") == "pending") return false;
    return true;
  }

  inline static std::unique_ptr<TestServer> server_;
  inline static std::unique_ptr<WebhookReceiver> meta_, google_;
  std::optional<HttpClient> client_;
  inline static std::string goa_;
};

// The settings: secrets are write-only (GET says only that they are set); a bad PUT names every
// bad field and changes nothing.
TEST_F(Conversions, SettingsKeepSecretsAndRefuseBadFields) {
  Response got = http().get("/api/v1/conversions/settings");
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_EQ(got.body.find(kMetaToken), std::string::npos);
  EXPECT_EQ(got.body.find(kGoogleToken), std::string::npos);
  EXPECT_EQ(at(got.json(), "meta.accessTokenSet"), json::value(true));
  EXPECT_EQ(at(got.json(), "google.developerTokenSet"), json::value(true));
  EXPECT_EQ(str(got.json(), "meta.datasetId"), kDataset);
  EXPECT_EQ(str(got.json(), "meta.stageEvents.Won"), "Converted");
  EXPECT_EQ(str(got.json(), "google.conversionActions.won"), kWonAction);

  Response bad = http().put(
      "/api/v1/conversions/settings",
      json::object{{"meta", json::object{{"datasetId", "abc"},
                                         {"stageEvents", json::object{{"Booked", "X"}}}}},
                   {"google", json::object{{"customerId", "123-456-7890"},
                                           {"conversionActions", json::object{{"lost", "y"}}},
                                           {"colour", "red"}}}});
  ASSERT_EQ(bad.status, 422) << bad.describe();
  std::set<std::string> named;
  const json::value problem = bad.json();
  for (const auto& e : at(problem, "errors").as_array()) named.insert(str(e, "field"));
  for (const char* field : {"meta.datasetId", "meta.stageEvents.Booked", "google.customerId",
                            "google.conversionActions.lost", "google.colour"})
    EXPECT_TRUE(named.contains(field)) << field << " not named in " << bad.body;
  EXPECT_EQ(http().get("/api/v1/conversions/settings").body, got.body) << "nothing changed";

  // Enabling needs the whole setting: a platform without its token is refused.
  Response incomplete = http().put(
      "/api/v1/conversions/settings",
      json::object{{"meta", json::object{{"enabled", true}, {"stageEvents", json::object{}}}}});
  EXPECT_EQ(incomplete.status, 422) << incomplete.describe();
}

// A Meta lead's stages reach the stand-in as Conversion Leads events, in stage order, each once,
// in Meta's shape; Meta's fbtrace_id of each is in the report.
TEST_F(Conversions, MetaGetsEveryStageInOrderInItsShape) {
  const std::string leadgen_id = next_leadgen_id();
  const std::string opp = meta_lead(leadgen_id);
  move(opp, {{"to", "PSVFollowUp1"}});  // still InPSV: the stage reached is not sent twice
  qualify_and_win(opp);
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 3); });
  ASSERT_EQ(rows.size(), 3u) << json::serialize(rows);

  const auto got = meta_of(meta_->received(), leadgen_id);
  ASSERT_EQ(got.size(), 3u);
  const std::vector<std::string> names{"Initial Lead", "Qualified Lead", "Converted"};
  std::int64_t previous_time = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].method, "POST");
    EXPECT_EQ(got[i].target, std::string("/v21.0/") + kDataset + "/events");
    const json::value b = body_of(got[i]);
    EXPECT_EQ(str(b, "access_token"), kMetaToken);
    ASSERT_EQ(at(b, "data").as_array().size(), 1u);
    const json::value& e = at(b, "data").as_array()[0];
    EXPECT_EQ(str(e, "event_name"), names[i]);
    EXPECT_EQ(str(e, "action_source"), "system_generated");
    EXPECT_EQ(str(e, "custom_data.event_source"), "crm");
    EXPECT_EQ(str(e, "custom_data.lead_event_source"), "leadproc");
    // The leadgen_id exactly, as a JSON integer (no double rounding).
    ASSERT_TRUE(at(e, "user_data.lead_id").is_int64()) << got[i].body;
    EXPECT_EQ(std::to_string(at(e, "user_data.lead_id").get_int64()), leadgen_id);
    ASSERT_TRUE(at(e, "event_time").is_int64());
    EXPECT_GE(at(e, "event_time").get_int64(), previous_time) << "in stage order";
    previous_time = at(e, "event_time").get_int64();
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(str(rows[i], "platform"), "meta");
    EXPECT_EQ(str(rows[i], "status"), "sent");
    EXPECT_EQ(str(rows[i], "name"), names[i]);
    EXPECT_TRUE(str(rows[i], "fbtraceId").starts_with("Trace")) << json::serialize(rows[i]);
    EXPECT_EQ(num(rows[i], "attempts"), 1);
  }
  EXPECT_EQ(str(rows[0], "stage"), "InPSV");
  EXPECT_EQ(str(rows[2], "stage"), "Won");

  // Idempotent: more runs send nothing more.
  run_job();
  EXPECT_EQ(meta_of(meta_->received(), leadgen_id).size(), 3u);
}

// Meta refuses an event: it is rejected with Meta's reason and fbtrace_id, and not retried.
TEST_F(Conversions, MetaRefusalIsKeptWithItsReason) {
  const std::string leadgen_id = next_leadgen_id();
  meta_->set_answer([leadgen_id](const Received& r, int nth) {
    if (r.body.find(leadgen_id) == std::string::npos) return meta_ok(r, nth);
    return Answer{400,
                  {},
                  R"({"error":{"message":"Invalid parameter","type":"OAuthException","code":100,)"
                  R"("error_subcode":2804003,"error_user_msg":"The lead ID is not valid",)"
                  R"("fbtrace_id":"RefusedTrace"}})"};
  });
  const std::string opp = meta_lead(leadgen_id);
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 1); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(str(rows[0], "status"), "rejected");
  EXPECT_NE(str(rows[0], "reason").find("Invalid parameter"), std::string::npos) << rows[0];
  EXPECT_NE(str(rows[0], "reason").find("The lead ID is not valid"), std::string::npos);
  EXPECT_EQ(str(rows[0], "fbtraceId"), "RefusedTrace");
  run_job();
  EXPECT_EQ(meta_of(meta_->received(), leadgen_id).size(), 1u) << "a rejection is final";
  Response listed = http().get("/api/v1/conversions?status=rejected&platform=meta&limit=500");
  ASSERT_EQ(listed.status, 200) << listed.describe();
  EXPECT_NE(listed.body.find(opp), std::string::npos);
}

// Meta answers 503 (Retry-After) once: the stage is sent again after the wait, exactly once
// more, and the later stage waits for it (order kept through the outage).
TEST_F(Conversions, A503DelaysAndTheRetrySendsOnce) {
  const std::string leadgen_id = next_leadgen_id();
  auto mine = std::make_shared<std::atomic<int>>(0);
  meta_->set_answer([leadgen_id, mine](const Received& r, int nth) {
    if (r.body.find(leadgen_id) != std::string::npos && ++*mine == 1)
      return Answer{503, {{"Retry-After", "120"}}, R"({"error":{"message":"busy","code":2}})"};
    return meta_ok(r, nth);
  });
  const std::string opp = meta_lead(leadgen_id);
  qualify_and_win(opp);
  json::array rows = until(opp, [](const json::array& r) {
    return r.size() == 3 && num(r[0], "attempts").value_or(0) >= 1;
  });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(str(rows[0], "status"), "pending");
  EXPECT_NE(str(rows[0], "reason").find("503"), std::string::npos) << rows[0];
  EXPECT_EQ(num(rows[1], "attempts"), 0) << "a later stage waits for the earlier one";
  EXPECT_EQ(meta_of(meta_->received(), leadgen_id).size(), 1u);
  run_job();  // before Retry-After: nothing
  EXPECT_EQ(meta_of(meta_->received(), leadgen_id).size(), 1u) << "retried before Retry-After";

  advance_clock(http(), std::chrono::seconds(130));
  rows = until(opp, [](const json::array& r) { return settled(r, 3); });
  const auto got = meta_of(meta_->received(), leadgen_id);
  ASSERT_EQ(got.size(), 4u) << "one 503, then each of the three stages once";
  EXPECT_EQ(got[0].body, got[1].body) << "the retry is the same event";
  EXPECT_EQ(str(rows[0], "status"), "sent");
  EXPECT_EQ(num(rows[0], "attempts"), 2);
  EXPECT_EQ(num(rows[2], "attempts"), 1);
}

// A stage that could not be sent within Meta's 7 days is expired, never sent late.
TEST_F(Conversions, MetaStagesOlderThanSevenDaysExpire) {
  const std::string leadgen_id = next_leadgen_id();
  meta_->set_answer([leadgen_id](const Received& r, int nth) {
    if (r.body.find(leadgen_id) != std::string::npos) return Answer{503, {}, "down"};
    return meta_ok(r, nth);
  });
  const std::string opp = meta_lead(leadgen_id);
  until(opp, [](const json::array& r) {
    return r.size() == 1 && num(r[0], "attempts").value_or(0) >= 1;
  });
  meta_->set_answer(meta_ok);
  advance_clock(http(), std::chrono::hours(24 * 7 + 1));
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 1); });
  EXPECT_EQ(str(rows[0], "status"), "expired");
  EXPECT_NE(str(rows[0], "reason").find("7 days"), std::string::npos) << rows[0];
  EXPECT_EQ(meta_of(meta_->received(), leadgen_id).size(), 1u) << "only the failed try";
}

// A gclid lead's qualification and win reach the Google stand-in in order, in the documented
// REST shape, the win with its deal value and the opportunity as order_id.
TEST_F(Conversions, GoogleGetsQualifiedThenWonWithTheDealValue) {
  const std::string gclid = "Cj0KCQ-" + next_leadgen_id();
  const std::string opp = google_lead(gclid);
  qualify_and_win(opp);
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 2); });
  ASSERT_EQ(rows.size(), 2u) << json::serialize(rows);
  EXPECT_EQ(str(rows[0], "stage"), "qualified");
  EXPECT_EQ(str(rows[1], "stage"), "won");
  for (const auto& r : rows) EXPECT_EQ(str(r, "status"), "sent");

  std::vector<Received> requests;
  for (const auto& r : google_->received())
    if (r.body.find(gclid) != std::string::npos) requests.push_back(r);
  ASSERT_FALSE(requests.empty());
  for (const auto& r : requests) {
    EXPECT_EQ(r.target, std::string("/v22/customers/") + kCustomer + ":uploadClickConversions");
    EXPECT_EQ(r.headers.at("authorization"), std::string("Bearer ") + kGoogleToken);
    EXPECT_EQ(r.headers.at("developer-token"), "dev-token");
    EXPECT_EQ(at(body_of(r), "partialFailure"), json::value(true));
  }
  const auto sent = google_rows(requests, gclid);
  ASSERT_EQ(sent.size(), 2u);
  const std::regex google_time(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})");
  EXPECT_EQ(str(sent[0], "conversionAction"), kQualifiedAction);
  EXPECT_EQ(str(sent[1], "conversionAction"), kWonAction);
  for (const auto& row : sent) {
    EXPECT_TRUE(std::regex_match(str(row, "conversionDateTime"), google_time)) << row;
    EXPECT_EQ(str(row, "orderId"), opp);
  }
  EXPECT_FALSE(sent[0].contains("conversionValue"));
  EXPECT_EQ(at(sent[1], "conversionValue"), json::value(125000.5));
  EXPECT_EQ(str(sent[1], "currencyCode"), "INR");
  EXPECT_LE(str(sent[0], "conversionDateTime"), str(sent[1], "conversionDateTime"));
}

// Google's partial failure names a row: that conversion is rejected with Google's message.
TEST_F(Conversions, GooglePartialFailureRejectsItsRow) {
  const std::string gclid = "BAD-" + next_leadgen_id();
  google_->set_answer([gclid](const Received& r, int nth) {
    const json::value sent = body_of(r);
    const json::array& rows = at(sent, "conversions").as_array();
    json::array errors, results;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (str(rows[i], "gclid") != gclid) {
        results.emplace_back(json::object{{"gclid", str(rows[i], "gclid")}});
        continue;
      }
      results.emplace_back(json::object{});
      errors.emplace_back(
          json::object{{"errorCode", {{"conversionUploadError", "UNPARSEABLE_GCLID"}}},
                       {"message", "The gclid could not be decoded."},
                       {"location",
                        {{"fieldPathElements",
                          json::array{json::object{{"fieldName", "conversions"}, {"index", i}},
                                      json::object{{"fieldName", "gclid"}}}}}}});
    }
    json::object body{{"results", std::move(results)}};
    if (!errors.empty())
      body["partialFailureError"] = json::object{
          {"code", 3},
          {"message", "The gclid could not be decoded."},
          {"details",
           json::array{json::object{{"@type",
                                     "type.googleapis.com/google.ads.googleads.v22.errors."
                                     "GoogleAdsFailure"},
                                    {"errors", std::move(errors)}}}}};
    return Answer{200, {}, json::serialize(body)};
  });
  const std::string opp = google_lead(gclid);
  move(opp, {{"to", "PSVQualified"}});
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 1); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(str(rows[0], "status"), "rejected");
  EXPECT_EQ(str(rows[0], "reason"), "The gclid could not be decoded.");
}

// A click older than Google's 90 days: its conversion is expired, never uploaded.
TEST_F(Conversions, GoogleClicksOlderThanNinetyDaysExpire) {
  const std::string gclid = "OLD-" + next_leadgen_id();
  const std::string opp = google_lead(gclid);
  advance_clock(http(), std::chrono::hours(24 * 91));
  move(opp, {{"to", "PSVQualified"}});
  const json::array rows = until(opp, [](const json::array& r) { return settled(r, 1); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(str(rows[0], "status"), "expired");
  EXPECT_NE(str(rows[0], "reason").find("90 days"), std::string::npos) << rows[0];
  EXPECT_TRUE(google_rows(google_->received(), gclid).empty());
}

}  // namespace
}  // namespace leadproc::apitest
