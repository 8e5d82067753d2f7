// Meta Lead Ads intake (docs/intake.md), end to end against a loopback stand-in for the Graph API:
// the verification handshake, the signature over the raw body, a durable receipt per leadgen
// change, the asynchronous fetch and ingestion (one lead per leadgen_id however often Meta
// redelivers, ids beyond 2^53 kept exactly; 1,000 redeliveries), a revoked token: the receipt
// failed with its reason, counted in /metrics, then fetched once the token is replaced; and the
// reconciler (Sync now and the meta-reconcile job): leads whose webhooks never arrived are taken
// in exactly once, across pages of Meta's listing, and a listing cut short never moves a form's
// watermark past a lead.
#include <algorithm>
#include <atomic>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "auth_support.h"
#include "harness.h"
#include "meta_standin.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kAppSecret = "test-app-secret-ü";  // non-ASCII on purpose: bytes are signed
constexpr const char* kVerifyToken = "verify-me-7";
constexpr const char* kPageId = "104857600123456";
constexpr const char* kGoodToken = "EAAB-good+token/=";  // needs percent-encoding in a query
constexpr const char* kRevokedToken = "EAAB-revoked";

// Meta's lead object for `leadgen_id` (ids as strings, as the Graph API sends them).
std::string graph_lead(const std::string& leadgen_id, const std::string& name,
                       const std::string& phone, const std::string& platform = "fb") {
  json::object lead{
      {"id", leadgen_id},
      {"created_time", "2026-12-06T09:00:00+0000"},
      {"ad_id", "120210000000000001"},
      {"ad_name", "Goa winter"},
      {"adset_id", "120210000000000002"},
      {"adset_name", "Mumbai 25-45"},
      {"campaign_id", "120210000000000003"},
      {"campaign_name", "Goa Q4"},
      {"form_id", "998877665544332"},
      {"is_organic", false},
      {"platform", platform},
      {"field_data",
       json::array{json::object{{"name", "full_name"}, {"values", json::array{name}}},
                   json::object{{"name", "phone_number"}, {"values", json::array{phone}}},
                   json::object{{"name", "email"}, {"values", json::array{"a@example.com"}}}}}};
  return json::serialize(lead);
}

// The leadgen_id in a Graph request target "/v21.0/<id>?...".
std::string leadgen_of(const std::string& target) {
  const auto slash = target.find('/', 1);
  return target.substr(slash + 1, target.find('?') - slash - 1);
}

// A webhook body as Meta writes it: ids as bare JSON numbers, non-ASCII escaped as \uXXXX.
std::string webhook(const std::vector<std::string>& leadgen_ids,
                    const std::string& form_id = "998877665544332") {
  std::string changes;
  for (const auto& id : leadgen_ids) {
    if (!changes.empty()) changes += ",";
    changes += R"({"field":"leadgen","value":{"ad_id":120210000000000001,"form_id":)" + form_id +
               R"(,"leadgen_id":)" + id + R"(,"created_time":1765011600,"page_id":)" + kPageId +
               R"(,"adgroup_id":120210000000000002}})";
  }
  return R"({"object":"page","entry":[{"id":")" + std::string(kPageId) +
         R"(","time":1765011601,"note":"\u0939\u093f\u0928\u094d\u0926\u0940 caf\u00e9","changes":[)" +
         changes + "]}]}";
}

class MetaIntake : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = std::make_unique<GraphStandIn>([this](const std::string& target) {
      const std::string id = leadgen_of(target);
      if (target.find("access_token=EAAB-revoked") != std::string::npos)
        return std::pair<int, std::string>(
            400, R"({"error":{"message":"Error validating access token: The session has been )"
                 R"(invalidated because the user changed their password.","type":"OAuthException",)"
                 R"("code":190,"error_subcode":460,"fbtrace_id":"AbC"}})");
      if (target.find("/leadgen_forms?") != std::string::npos) return forms_listing();
      if (target.find("/leads?") != std::string::npos) return leads_listing(target);
      std::lock_guard lock(mu_);
      if (auto custom = answered_.find(id); custom != answered_.end())
        return std::pair<int, std::string>(200, custom->second);
      auto it = phones_.find(id);
      if (it == phones_.end())
        return std::pair<int, std::string>(404,
                                           R"({"error":{"message":"no such lead","code":100}})");
      return std::pair<int, std::string>(200, graph_lead(id, "अनिल Kumar", it->second));
    });
    ASSERT_NE(graph_->url(), "http://127.0.0.1:0");
    try {
      server_ = std::make_unique<TestServer>(own_database({
          {"LEADPROC_META_APP_SECRET", kAppSecret},
          {"LEADPROC_META_VERIFY_TOKEN", kVerifyToken},
          {"LEADPROC_META_GRAPH_URL", graph_->url()},
          {"LEADPROC_META_GRAPH_VERSION", "v21.0"},
          // The reconciler runs when a test asks (Sync now, the job run by hand), never by the
          // clock in the middle of one.
          {"LEADPROC_META_RECONCILE_MINUTES", "0"},
      }));
    } catch (const std::exception& e) {
      FAIL() << "leadproc did not start: " << e.what();
    }
    admin_.emplace(server_->client());
  }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, 0);
    admin_.reset();
    server_.reset();
    graph_.reset();
  }

  // A leadgen id the stand-in knows, with a fresh phone number.
  void known(const std::string& leadgen_id) {
    std::lock_guard lock(mu_);
    phones_[leadgen_id] = "+91" + next_mobile();
  }
  // A lead of form `form_id` on Meta's side whose field_data is `answers` (question key, text).
  void answered(const std::string& leadgen_id, const std::string& form_id,
                const std::vector<std::pair<std::string, std::string>>& answers) {
    json::array field_data;
    for (const auto& [key, text] : answers)
      field_data.push_back(
          json::object{{"name", key}, {"values", json::array{json::string(text)}}});
    json::object lead = json::parse(graph_lead(leadgen_id, "", "")).as_object();
    lead["form_id"] = form_id;
    lead["field_data"] = std::move(field_data);
    std::lock_guard lock(mu_);
    answered_[leadgen_id] = json::serialize(lead);
  }
  Response put_form(const std::string& form_id, const json::object& body) {
    return admin().put("/api/v1/intake/meta/pages/" + std::string(kPageId) + "/forms/" + form_id,
                       body);
  }
  json::array forms() {
    auto r = admin().get("/api/v1/intake/meta/pages/" + std::string(kPageId) + "/forms");
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.json().at("items").as_array();
  }
  // The opportunity and the lead record of the ingested receipt of `leadgen_id` (nullopt when
  // it was not ingested).
  struct Ingested {
    json::value opportunity;
    json::value lead;
  };
  std::optional<Ingested> ingested(const std::string& leadgen_id) {
    auto r = receipt_when(leadgen_id, "ingested");
    if (r.is_null()) return std::nullopt;
    auto opp = admin().get("/api/v1/opportunities/" + str(r, "opportunityId"));
    EXPECT_EQ(opp.status, 200) << opp.describe();
    auto lead = admin().get("/api/v1/leads/" + str(opp.json(), "leadId"));
    EXPECT_EQ(lead.status, 200) << lead.describe();
    return Ingested{opp.json(), lead.json()};
  }
  Response post_signed(const std::string& body) {
    return anonymous().request("POST", "/api/v1/intake/meta", body,
                               {{"X-Hub-Signature-256", "sha256=" + hmac_hex(kAppSecret, body)}});
  }
  Response save_page(const std::string& token) {
    return admin().put("/api/v1/intake/meta/pages/" + std::string(kPageId),
                       json::object{{"accessToken", token}});
  }
  json::array receipts(const std::string& query = "") {
    auto r = admin().get("/api/v1/intake/meta/receipts" + query);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.json().at("items").as_array();
  }
  // The receipt of `leadgen_id` once its status is `status` (polled for up to 30 s), or null.
  json::value receipt_when(const std::string& leadgen_id, const std::string& status) {
    for (int i = 0; i < 600; ++i) {
      for (const auto& r : receipts())
        if (str(r, "leadgenId") == leadgen_id && str(r, "status") == status) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }
  HttpClient& admin() { return *admin_; }
  HttpClient anonymous() { return HttpClient(server_->base_url()); }

  // A lead on Meta's side only (its webhook never arrived): listed in its form's leads, created
  // `ago` before now; returns its mobile number.
  std::string on_meta(const std::string& leadgen_id, const std::string& form_id,
                      std::chrono::seconds ago) {
    const std::string mobile = next_mobile();
    std::lock_guard lock(mu_);
    phones_[leadgen_id] = "+91" + mobile;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    listed_[form_id].push_back({leadgen_id, now - ago.count()});
    return mobile;
  }
  Response sync() {
    return admin().post("/api/v1/intake/meta/pages/" + std::string(kPageId) + "/sync",
                        json::object{});
  }
  // Every receipt ingested (polled for up to 60 s).
  bool all_ingested(std::size_t expected) {
    for (int i = 0; i < 1200; ++i) {
      auto all = receipts("?limit=500");
      if (all.size() == expected && std::all_of(all.begin(), all.end(), [](const json::value& r) {
            return str(r, "status") == "ingested";
          }))
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  // GET /{page_id}/leadgen_forms: the forms that have leads on Meta's side, in one page.
  std::pair<int, std::string> forms_listing() {
    std::lock_guard lock(mu_);
    json::array data;
    for (const auto& [form, leads] : listed_)
      data.push_back(json::object{{"id", form}, {"name", "Form " + form}, {"status", "ACTIVE"}});
    return {200, json::serialize(json::object{{"data", std::move(data)}})};
  }
  // GET /{form_id}/leads?...&filtering=[{"field":"time_created","operator":"GREATER_THAN",
  // "value":N}]: the form's leads created after N, newest first, two a page; paging.next carries
  // the offset as `after`. Page `fail_page_` (when set) answers 500.
  std::pair<int, std::string> leads_listing(const std::string& target) {
    const auto slash = target.find('/', 1);
    const std::string form = target.substr(slash + 1, target.find("/leads?") - slash - 1);
    const std::string query = percent_decode(target.substr(target.find('?') + 1));
    constexpr std::string_view kValue = R"("operator":"GREATER_THAN","value":)";
    const auto value = query.find(kValue);
    if (query.find(R"("field":"time_created")") == std::string::npos || value == std::string::npos)
      return {400, R"({"error":{"message":"filtering is missing","code":100}})"};
    const std::int64_t since = std::stoll(query.substr(value + kValue.size()));
    std::size_t after = 0;
    if (auto a = query.find("&after="); a != std::string::npos)
      after = std::stoul(query.substr(a + 7));
    std::lock_guard lock(mu_);
    if (fail_page_ && static_cast<int>(after / 2) == *fail_page_)
      return {500, R"({"error":{"message":"An unexpected error has occurred.","code":2}})"};
    std::vector<std::pair<std::string, std::int64_t>> leads;
    for (const auto& l : listed_[form])
      if (l.second > since) leads.push_back(l);
    std::sort(leads.begin(), leads.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    json::array data;
    for (std::size_t i = after; i < leads.size() && i < after + 2; ++i) {
      const std::time_t t = leads[i].second;
      char when[32];
      std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+0000", std::gmtime(&t));
      data.push_back(json::object{{"id", leads[i].first},
                                  {"created_time", when},
                                  {"ad_id", "120210000000000001"},
                                  {"adset_id", "120210000000000002"},
                                  {"form_id", form}});
    }
    json::object answer{{"data", std::move(data)}};
    if (after + 2 < leads.size()) {
      std::string next = target;
      if (auto a = next.find("&after="); a != std::string::npos) next.erase(a);
      answer["paging"] =
          json::object{{"cursors", json::object{{"after", "x"}}},
                       {"next", graph_->url() + next + "&after=" + std::to_string(after + 2)}};
    }
    return {200, json::serialize(answer)};
  }
  static std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  }

 protected:
  std::unique_ptr<GraphStandIn> graph_;
  std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> admin_;
  std::mutex mu_;
  std::map<std::string, std::string> phones_;
  std::map<std::string, std::string> answered_;  // leadgen_id -> the Graph answer (answered())
  std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> listed_;  // per form
  std::optional<int> fail_page_;  // a page of the leads listings that answers 500
};

TEST_F(MetaIntake, HandshakeEchoesTheChallengeOnlyForTheVerifyToken) {
  HttpClient meta = anonymous();
  auto ok = meta.get(std::string("/api/v1/intake/meta?hub.mode=subscribe&hub.verify_token=") +
                     kVerifyToken + "&hub.challenge=1158201444");
  ASSERT_EQ(ok.status, 200) << ok.describe();
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(ok.header("content-type").rfind("text/plain", 0), 0u) << ok.header("content-type");

  expect_problem(meta.get("/api/v1/intake/meta?hub.mode=subscribe&hub.verify_token=wrong&"
                          "hub.challenge=1158201444"),
                 403);
  expect_problem(meta.get(std::string("/api/v1/intake/meta?hub.mode=unsubscribe&"
                                      "hub.verify_token=") +
                          kVerifyToken + "&hub.challenge=1"),
                 403);
  expect_problem(meta.get("/api/v1/intake/meta"), 403);
}

TEST_F(MetaIntake, ABadSignatureIsRefusedAndStoresNothing) {
  const std::string body = webhook({"98765432109876543"});
  HttpClient meta = anonymous();
  expect_problem(meta.request("POST", "/api/v1/intake/meta", body), 401);  // no signature
  expect_problem(meta.request("POST", "/api/v1/intake/meta", body,
                              {{"X-Hub-Signature-256", "sha256=" + hmac_hex("other", body)}}),
                 401);
  // Signed, but over a re-serialised body (the escapes undone): not the bytes sent.
  const std::string reserialised = json::serialize(json::parse(body));
  ASSERT_NE(reserialised, body);
  expect_problem(
      meta.request("POST", "/api/v1/intake/meta", body,
                   {{"X-Hub-Signature-256", "sha256=" + hmac_hex(kAppSecret, reserialised)}}),
      401);
  // Upper-case hex is not Meta's form either.
  std::string upper = hmac_hex(kAppSecret, body);
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  expect_problem(meta.request("POST", "/api/v1/intake/meta", body,
                              {{"X-Hub-Signature-256", "sha256=" + upper}}),
                 401);
  EXPECT_TRUE(receipts().empty());
}

TEST_F(MetaIntake, EachLeadIsFetchedAndStoredOnceWithItsIdsExact) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  // Beyond 2^53 (9007199254740992): a double would round both of these.
  const std::string a = "98765432109876543";
  const std::string b = "9007199254740993";
  known(a);
  known(b);
  const std::string body = webhook({a, b});
  auto first = post_signed(body);
  ASSERT_EQ(first.status, 200) << first.describe();
  EXPECT_EQ(num(first.json(), "received"), 2);
  EXPECT_EQ(num(first.json(), "new"), 2);
  // Meta redelivers: nothing new, however often.
  for (int i = 0; i < 20; ++i) {
    auto again = post_signed(body);
    ASSERT_EQ(again.status, 200) << again.describe();
    EXPECT_EQ(num(again.json(), "new"), 0);
  }
  for (const auto& id : {a, b}) {
    auto r = receipt_when(id, "ingested");
    ASSERT_FALSE(r.is_null()) << id << " was not ingested";
    EXPECT_EQ(str(r, "pageId"), kPageId);
    EXPECT_EQ(str(r, "formId"), "998877665544332");
    EXPECT_EQ(str(r, "adId"), "120210000000000001");
    EXPECT_EQ(num(r, "createdTime"), 1765011600);
    auto opp = admin().get("/api/v1/opportunities/" + str(r, "opportunityId"));
    ASSERT_EQ(opp.status, 200) << opp.describe();
    const auto o = opp.json();
    EXPECT_EQ(str(o, "traceID"), id);  // the leadgen_id kept, digit for digit
    EXPECT_EQ(str(o, "name"), "अनिल Kumar");
    EXPECT_EQ(str(o, "leadSource.platform"), "paid_ads");
    EXPECT_EQ(str(o, "adid"), "120210000000000001");
    EXPECT_EQ(str(o, "adName"), "Goa winter");
    EXPECT_EQ(str(o, "adsetId"), "120210000000000002");
    EXPECT_EQ(str(o, "adsetName"), "Mumbai 25-45");
    EXPECT_EQ(str(o, "campaignId"), "120210000000000003");
    EXPECT_EQ(str(o, "campaignName"), "Goa Q4");
    EXPECT_EQ(str(o, "sourceMeta.fromId"), "998877665544332");
  }
  // Redelivered after ingestion: still one receipt (and so one lead) each.
  ASSERT_EQ(post_signed(body).status, 200);
  EXPECT_EQ(receipts().size(), 2u);
  EXPECT_EQ(receipts("?status=ingested").size(), 2u);
  // Each lead fetched once, with the page's token percent-encoded; never another host.
  EXPECT_EQ(graph_->requests(), 2);
  for (const auto& t : graph_->targets()) {
    EXPECT_EQ(t.rfind("/v21.0/", 0), 0u) << t;
    EXPECT_NE(t.find("fields=id,created_time,ad_id"), std::string::npos) << t;
    EXPECT_NE(t.find("access_token=EAAB-good%2Btoken%2F%3D"), std::string::npos) << t;
  }
}

TEST_F(MetaIntake, ARevokedTokenLeavesTheReceiptFailedUntilTheTokenIsReplaced) {
  ASSERT_EQ(save_page(kRevokedToken).status, 200);
  const std::string id = "12345678901234567";
  known(id);
  ASSERT_EQ(post_signed(webhook({id})).status, 200);
  auto failed = receipt_when(id, "failed");
  ASSERT_FALSE(failed.is_null());
  const std::string reason = str(failed, "reason");
  EXPECT_NE(reason.find("expired or was revoked"), std::string::npos) << reason;
  EXPECT_NE(reason.find("save a new page access token"), std::string::npos) << reason;
  EXPECT_EQ(reason.find(kRevokedToken), std::string::npos) << "the token leaked: " << reason;
  EXPECT_TRUE(is_null_at(failed, "opportunityId"));
  ASSERT_EQ(receipts("?status=failed").size(), 1u);

  // Counted in /metrics (the fetcher's pass reports it).
  std::optional<double> failed_metric;
  for (int i = 0; i < 600 && failed_metric != 1.0; ++i) {
    auto m = anonymous().get("/metrics");
    const std::string line = "leadproc_meta_receipts{status=\"failed\"} ";
    if (auto at = m.body.find(line); at != std::string::npos)
      failed_metric = std::stod(m.body.substr(at + line.size()));
    if (failed_metric != 1.0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(failed_metric, 1.0);

  // The page list never shows a token.
  auto pages = admin().get("/api/v1/intake/meta/pages");
  ASSERT_EQ(pages.status, 200) << pages.describe();
  EXPECT_EQ(pages.body.find(kRevokedToken), std::string::npos);
  EXPECT_EQ(at(pages.json(), "items").as_array().at(0).at("hasAccessToken"), true);

  // A new token retries it.
  auto saved = save_page(kGoodToken);
  ASSERT_EQ(saved.status, 200) << saved.describe();
  EXPECT_EQ(num(saved.json(), "requeued"), 1);
  auto ingested = receipt_when(id, "ingested");
  ASSERT_FALSE(ingested.is_null());
  EXPECT_TRUE(is_object_id(str(ingested, "opportunityId")));
  // Once ingested, Retry is refused: the lead exists.
  expect_problem(admin().post("/api/v1/intake/meta/receipts/" + id + "/retry", json::object{}),
                 409);
}

TEST_F(MetaIntake, AdminsRetryAFailedReceipt) {
  const std::string id = "55555555555555555";
  // No page saved yet: failed, saying what to do.
  ASSERT_EQ(post_signed(webhook({id})).status, 200);
  auto failed = receipt_when(id, "failed");
  ASSERT_FALSE(failed.is_null());
  EXPECT_NE(str(failed, "reason").find("no access token is saved for page"), std::string::npos);
  // Retry: pending and due now, attempts reset (it fails again at once: still no page).
  auto retried = admin().post("/api/v1/intake/meta/receipts/" + id + "/retry", json::object{});
  ASSERT_EQ(retried.status, 200) << retried.describe();
  EXPECT_EQ(str(retried.json(), "status"), "pending");
  EXPECT_EQ(num(retried.json(), "attempts"), 0);
  // The fetcher, woken by the retry, fails it again (still no page). Wait for that: a token saved
  // while that fetch is under way would find the receipt pending, not failed, and not requeue it.
  ASSERT_FALSE(receipt_when(id, "failed").is_null());
  // Saving the page's token requeues it, and the lead is fetched.
  {
    std::lock_guard lock(mu_);
    phones_[id] = "+91" + next_mobile();
  }
  auto page = admin().put(
      "/api/v1/intake/meta/pages/" + std::string(kPageId),
      json::object{{"accessToken", kGoodToken}, {"mapping", json::object{{"name", "full_name"}}}});
  ASSERT_EQ(page.status, 200) << page.describe();
  ASSERT_FALSE(receipt_when(id, "ingested").is_null());
  expect_problem(admin().post("/api/v1/intake/meta/receipts/404404/retry", json::object{}), 404);
}

TEST_F(MetaIntake, BadInputIsRefusedNamingEveryField) {
  // A leadgen_id that is no id, and one missing: both named, nothing stored.
  const std::string body =
      R"({"object":"page","entry":[{"changes":[{"field":"leadgen","value":{"leadgen_id":1.5e16,)"
      R"("page_id":1}},{"field":"leadgen","value":{"page_id":1}}]}]})";
  auto r = post_signed(body);
  expect_problem(r, 422);
  auto fields = problem_fields(r);
  EXPECT_TRUE(contains(fields, "entry[0].changes[0].value.leadgen_id")) << r.describe();
  EXPECT_TRUE(contains(fields, "entry[0].changes[1].value.leadgen_id")) << r.describe();
  EXPECT_TRUE(receipts().empty());

  auto page = admin().put(
      "/api/v1/intake/meta/pages/not-digits",
      json::object{{"accessToken", ""}, {"mapping", json::object{{"phone", "x"}}}, {"token", "x"}});
  expect_problem(page, 422);
  auto pf = problem_fields(page);
  EXPECT_TRUE(contains(pf, "token")) << page.describe();
  EXPECT_TRUE(contains(pf, "pageId")) << page.describe();
  EXPECT_TRUE(contains(pf, "accessToken")) << page.describe();
  EXPECT_TRUE(contains(pf, "mapping.phone")) << page.describe();
  auto pages = admin().get("/api/v1/intake/meta/pages");
  ASSERT_EQ(pages.status, 200);
  EXPECT_TRUE(at(pages.json(), "items").as_array().empty());
  expect_problem(admin().get("/api/v1/intake/meta/receipts?status=lost"), 422);
}

// Issue 19 item 1: one page, many Instant Forms, each asking its own questions. A form's mapping
// is laid over the page's, key by key, and the page's over Meta's defaults; a form leadproc has
// not met (no sync, no mapping yet) is mapped as the page says.
TEST_F(MetaIntake, EachFormMapsItsOwnQuestionsOverThePagesMapping) {
  const std::string goa = "700000000000011";
  const std::string europe = "700000000000012";
  const std::string unknown = "700000000000099";
  auto page = admin().put(
      "/api/v1/intake/meta/pages/" + std::string(kPageId),
      json::object{{"accessToken", kGoodToken},
                   {"mapping", json::object{{"destination", "where_to"}, {"pax", "travellers"}}}});
  ASSERT_EQ(page.status, 200) << page.describe();

  // Neither form is known yet (the reconciler has not run): saving a mapping creates it.
  auto g = put_form(goa, json::object{{"name", "Goa packages"},
                                      {"mapping", json::object{{"travelDate", "travel_month"},
                                                               {"number", "whatsapp_number"}}}});
  ASSERT_EQ(g.status, 200) << g.describe();
  EXPECT_EQ(str(g.json(), "formId"), goa);
  EXPECT_EQ(str(g.json(), "name"), "Goa packages");
  EXPECT_EQ(at(g.json(), "mapping").as_object().size(), 2u) << g.body;  // its own entries only
  EXPECT_EQ(str(g.json(), "effectiveMapping.number"), "whatsapp_number");
  EXPECT_EQ(str(g.json(), "effectiveMapping.travelDate"), "travel_month");
  EXPECT_EQ(str(g.json(), "effectiveMapping.destination"), "where_to");  // the page's
  EXPECT_EQ(str(g.json(), "effectiveMapping.name"), "full_name");        // Meta's default
  EXPECT_TRUE(is_null_at(g.json(), "watermark"));
  auto e =
      put_form(europe, json::object{{"mapping", json::object{{"destination", "which_country"}}}});
  ASSERT_EQ(e.status, 200) << e.describe();
  EXPECT_TRUE(is_null_at(e.json(), "name"));
  EXPECT_EQ(str(e.json(), "effectiveMapping.destination"), "which_country");
  EXPECT_EQ(str(e.json(), "effectiveMapping.pax"), "travellers");

  const std::string goa_mobile = "+91" + next_mobile();
  const std::string goa_other = "+91" + next_mobile();
  answered("97100000000000001", goa,
           {{"full_name", "Goa Traveller"},
            {"whatsapp_number", goa_mobile},
            {"phone_number", goa_other},
            {"travel_month", "December"},
            {"where_to", "Goa"},
            {"travellers", "4"}});
  const std::string eu_mobile = "+91" + next_mobile();
  answered("97100000000000002", europe,
           {{"full_name", "Europe Traveller"},
            {"phone_number", eu_mobile},
            {"which_country", "France"},
            {"where_to", "Goa"},
            {"travellers", "2"},
            {"travel_month", "May"}});
  const std::string new_mobile = "+91" + next_mobile();
  answered("97100000000000003", unknown,
           {{"full_name", "New Form Traveller"},
            {"phone_number", new_mobile},
            {"where_to", "Kerala"},
            {"travellers", "3"},
            {"travel_month", "June"}});
  ASSERT_EQ(post_signed(webhook({"97100000000000001"}, goa)).status, 200);
  ASSERT_EQ(post_signed(webhook({"97100000000000002"}, europe)).status, 200);
  ASSERT_EQ(post_signed(webhook({"97100000000000003"}, unknown)).status, 200);

  // The Goa form: its own number and travel-date questions, the page's destination and pax.
  auto a = ingested("97100000000000001");
  ASSERT_TRUE(a);
  EXPECT_EQ(str(a->lead, "name"), "Goa Traveller");
  EXPECT_EQ(str(a->lead, "number"), goa_mobile);
  EXPECT_EQ(str(a->opportunity, "travelDate"), "December");
  EXPECT_EQ(str(a->lead, "destination"), "Goa");
  EXPECT_EQ(num(a->lead, "pax"), 4);
  EXPECT_EQ(str(a->lead, "extra.phone_number"), goa_other);  // asked, but not this form's number
  EXPECT_EQ(str(a->lead, "sourceMeta.fromId"), goa);
  // The Europe form: its destination question replaces the page's; the page's pax stays.
  auto b = ingested("97100000000000002");
  ASSERT_TRUE(b);
  EXPECT_EQ(str(b->lead, "number"), eu_mobile);
  EXPECT_EQ(str(b->lead, "destination"), "France");
  EXPECT_EQ(num(b->lead, "pax"), 2);
  EXPECT_TRUE(is_null_at(b->opportunity, "travelDate")) << json::serialize(b->opportunity);
  EXPECT_EQ(str(b->lead, "extra.where_to"), "Goa");
  EXPECT_EQ(str(b->lead, "extra.travel_month"), "May");
  // A form nobody mapped and no sync has met: the page's mapping and the defaults.
  auto c = ingested("97100000000000003");
  ASSERT_TRUE(c);
  EXPECT_EQ(str(c->lead, "name"), "New Form Traveller");
  EXPECT_EQ(str(c->lead, "number"), new_mobile);
  EXPECT_EQ(str(c->lead, "destination"), "Kerala");
  EXPECT_EQ(num(c->lead, "pax"), 3);
  EXPECT_EQ(str(c->lead, "extra.travel_month"), "June");

  // The page's forms: the two mapped (a lead of an unknown form adds none).
  auto listed = forms();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(str(listed[0], "formId"), goa);
  EXPECT_EQ(str(listed[0], "name"), "Goa packages");
  EXPECT_EQ(str(listed[0], "mapping.travelDate"), "travel_month");
  EXPECT_EQ(str(listed[1], "formId"), europe);
  EXPECT_EQ(str(listed[1], "effectiveMapping.number"), "phone_number");
  // The pages list shows the same forms with their mappings.
  auto pages = admin().get("/api/v1/intake/meta/pages");
  ASSERT_EQ(pages.status, 200) << pages.describe();
  const json::value listed_pages = pages.json();
  const auto& page_forms = at(listed_pages.at("items").at(0), "forms").as_array();
  ASSERT_EQ(page_forms.size(), 2u) << pages.body;
  EXPECT_EQ(str(page_forms[1], "mapping.destination"), "which_country") << pages.body;
}

// A form mapped before the reconciler meets it keeps its mapping through syncs (the reconciler
// writes the watermark and Meta's name, never the mapping), and {} takes the form's own entries
// away again.
TEST_F(MetaIntake, AFormsMappingOutlivesSyncsAndCanBeCleared) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  const std::string form = "700000000000021";
  ASSERT_EQ(put_form(form, json::object{{"name", "Mine"},
                                        {"mapping", json::object{{"email", "work_email"}}}})
                .status,
            200);
  on_meta("97200000000000001", form, std::chrono::minutes(5));
  auto synced = sync();
  ASSERT_EQ(synced.status, 200) << synced.describe();
  EXPECT_EQ(num(synced.json(), "new"), 1);
  auto listed = forms();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(str(listed[0], "name"), "Form " + form);  // Meta's name
  EXPECT_FALSE(is_null_at(listed[0], "watermark"));
  EXPECT_EQ(str(listed[0], "mapping.email"), "work_email");
  // A mapping saved after the sync leaves the watermark as it was.
  auto cleared = put_form(form, json::object{{"mapping", json::object{}}});
  ASSERT_EQ(cleared.status, 200) << cleared.describe();
  EXPECT_TRUE(at(cleared.json(), "mapping").as_object().empty()) << cleared.body;
  EXPECT_EQ(str(cleared.json(), "effectiveMapping.email"), "email");
  EXPECT_EQ(str(cleared.json(), "watermark"), str(listed[0], "watermark"));
  EXPECT_EQ(str(cleared.json(), "name"), "Form " + form);  // no name sent: kept
}

TEST_F(MetaIntake, ABadFormMappingIsRefusedNamingEveryFieldAndStoresNothing) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  const std::string form = "700000000000031";
  auto bad = put_form(
      form, json::object{{"mapping", json::object{{"phone", "mobile"}, {"email", 5}, {"name", ""}}},
                         {"name", ""},
                         {"colour", "red"}});
  expect_problem(bad, 422);
  auto fields = problem_fields(bad);
  for (const char* f : {"mapping.phone", "mapping.email", "mapping.name", "name", "colour"})
    EXPECT_TRUE(contains(fields, f)) << f << ": " << bad.describe();
  EXPECT_TRUE(forms().empty());

  // No mapping at all, a form id that is no id, a mapping that is not an object.
  auto none = admin().put("/api/v1/intake/meta/pages/" + std::string(kPageId) + "/forms/not-a-form",
                          json::object{});
  expect_problem(none, 422);
  EXPECT_TRUE(contains(problem_fields(none), "formId")) << none.describe();
  EXPECT_TRUE(contains(problem_fields(none), "mapping")) << none.describe();
  auto text = put_form(form, json::object{{"mapping", "travel_month"}});
  expect_problem(text, 422);
  EXPECT_TRUE(contains(problem_fields(text), "mapping")) << text.describe();
  EXPECT_TRUE(forms().empty());

  // A form of a page not set up: 404 (and the forms of such a page too).
  expect_problem(admin().put("/api/v1/intake/meta/pages/999/forms/" + form,
                             json::object{{"mapping", json::object{}}}),
                 404);
  expect_problem(admin().get("/api/v1/intake/meta/pages/999/forms"), 404);

  // A stored form's mapping stays as it was when a change is refused.
  ASSERT_EQ(put_form(form, json::object{{"mapping", json::object{{"travelDate", "when"}}}}).status,
            200);
  expect_problem(put_form(form, json::object{{"mapping", json::object{{"travelDate", "later"},
                                                                      {"budget", "how_much"}}}}),
                 422);
  auto listed = forms();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(str(listed[0], "mapping.travelDate"), "when");
  EXPECT_TRUE(is_null_at(listed[0], "mapping.budget"));
}

TEST_F(MetaIntake, AThousandRedeliveriesStoreOneLeadEach) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  const std::vector<std::string> ids{"11111111111111111", "22222222222222222", "9007199254740995"};
  for (const auto& id : ids) known(id);
  const std::string body = webhook(ids);
  for (int i = 0; i < 1000; ++i) {
    auto r = post_signed(body);
    ASSERT_EQ(r.status, 200) << "delivery " << i << ": " << r.describe();
    ASSERT_EQ(num(r.json(), "new"), i == 0 ? 3 : 0) << "delivery " << i;
  }
  ASSERT_TRUE(all_ingested(ids.size()));
  std::set<std::string> opportunities;
  for (const auto& r : receipts()) opportunities.insert(str(r, "opportunityId"));
  EXPECT_EQ(opportunities.size(), ids.size());
  // One customer (one lead) per phone number.
  for (const auto& id : ids) {
    std::string mobile;
    {
      std::lock_guard lock(mu_);
      mobile = phones_[id].substr(3);
    }
    auto c = admin().get("/api/v1/customers/" + mobile);
    ASSERT_EQ(c.status, 200) << c.describe();
    EXPECT_EQ(at(c.json(), "items").as_array().size(), 1u) << id;
  }
}

// The receiver was down (503 to Meta, until Meta gave up) or Meta lost the webhooks: the leads are
// only on Meta's side. Sync now takes each in once, across pages of Meta's listing; a second sync,
// the scheduled job and the late webhooks add nothing.
TEST_F(MetaIntake, TheReconcilerTakesInEveryMissedLeadExactlyOnce) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  const std::string form_a = "700000000000001";
  const std::string form_b = "700000000000002";
  std::vector<std::string> ids;
  std::map<std::string, std::string> mobiles;
  for (int i = 0; i < 7; ++i) {
    const std::string id = "9800000000000000" + std::to_string(i);
    ids.push_back(id);
    mobiles[id] = on_meta(id, i < 5 ? form_a : form_b, std::chrono::minutes(10 + 20 * i));
  }
  // Two webhooks arrived before the receiver went down.
  ASSERT_EQ(post_signed(webhook({ids[0], ids[5]})).status, 200);
  ASSERT_TRUE(all_ingested(2));

  auto synced = sync();
  ASSERT_EQ(synced.status, 200) << synced.describe();
  const auto s = synced.json();
  EXPECT_EQ(str(s, "pageId"), kPageId);
  EXPECT_TRUE(is_null_at(s, "error")) << synced.describe();
  EXPECT_EQ(num(s, "listed"), 7);
  EXPECT_EQ(num(s, "new"), 5);
  EXPECT_EQ(at(s, "forms").as_array().size(), 2u);
  // Meta's listing was read page by page (two leads a page) with a time_created filter.
  bool paged = false;
  for (const auto& t : graph_->targets()) paged = paged || t.find("&after=") != std::string::npos;
  EXPECT_TRUE(paged);

  ASSERT_TRUE(all_ingested(7));
  std::set<std::string> opportunities;
  for (const auto& r : receipts()) {
    opportunities.insert(str(r, "opportunityId"));
    const bool by_webhook = str(r, "leadgenId") == ids[0] || str(r, "leadgenId") == ids[5];
    EXPECT_EQ(str(r, "via"), by_webhook ? "webhook" : "sync") << str(r, "leadgenId");
  }
  EXPECT_EQ(opportunities.size(), 7u);  // 0 lost, 0 doubled
  for (const auto& [id, mobile] : mobiles) {
    auto c = admin().get("/api/v1/customers/" + mobile);
    ASSERT_EQ(c.status, 200) << c.describe();
    EXPECT_EQ(at(c.json(), "items").as_array().size(), 1u) << id;
  }
  auto opp = admin().get("/api/v1/opportunities/" +
                         str(receipt_when(ids[3], "ingested"), "opportunityId"));
  ASSERT_EQ(opp.status, 200) << opp.describe();
  EXPECT_EQ(str(opp.json(), "traceID"), ids[3]);

  // Again: the sync, the job, the webhooks arriving late: nothing new.
  auto again = sync();
  ASSERT_EQ(again.status, 200) << again.describe();
  EXPECT_EQ(num(again.json(), "new"), 0);
  auto job = admin().post("/api/v1/jobs/meta-reconcile/run", json::object{});
  ASSERT_EQ(job.status, 200) << job.describe();
  EXPECT_EQ(str(job.json(), "outcome"), "ok") << job.describe();
  EXPECT_EQ(num(at(job.json(), "counts"), "new"), 0) << job.describe();
  EXPECT_EQ(num(at(job.json(), "counts"), "pages"), 1) << job.describe();
  // LEADPROC_META_RECONCILE_MINUTES=0: listed, run by hand only.
  auto jobs = admin().get("/api/v1/jobs");
  ASSERT_EQ(jobs.status, 200) << jobs.describe();
  bool listed = false;
  const auto job_list = jobs.json();
  for (const auto& j : at(job_list, "items").as_array())
    if (str(j, "name") == "meta-reconcile") {
      listed = true;
      EXPECT_EQ(str(at(j, "schedule"), "kind"), "on-demand");
    }
  EXPECT_TRUE(listed);
  auto late = post_signed(webhook(ids));
  ASSERT_EQ(late.status, 200) << late.describe();
  EXPECT_EQ(num(late.json(), "new"), 0);
  EXPECT_EQ(receipts("?limit=500").size(), 7u);

  // Admins see the page's last lead and each form's watermark.
  auto pages = admin().get("/api/v1/intake/meta/pages");
  ASSERT_EQ(pages.status, 200) << pages.describe();
  const auto page = at(pages.json(), "items").as_array().at(0);
  EXPECT_FALSE(is_null_at(page, "lastLeadAt"));
  EXPECT_FALSE(is_null_at(page, "syncedAt"));
  EXPECT_EQ(num(page, "failedReceipts"), 0);
  ASSERT_EQ(at(page, "forms").as_array().size(), 2u);
  for (const auto& f : at(page, "forms").as_array()) EXPECT_FALSE(is_null_at(f, "watermark"));
  // The receipts of one page.
  EXPECT_EQ(receipts(std::string("?pageId=") + kPageId).size(), 7u);
  EXPECT_TRUE(receipts("?pageId=42").empty());
}

// A listing cut short (Meta's 500 on its second page) stores what it read but leaves the form's
// watermark where it was; the next sync reads the whole window again. A lead that cannot be
// fetched stays a failed receipt with its reason: the watermark may pass it, the receipt stays.
TEST_F(MetaIntake, AListingCutShortNeverMovesTheWatermarkPastALead) {
  ASSERT_EQ(save_page(kGoodToken).status, 200);
  const std::string form = "700000000000009";
  for (int i = 0; i < 5; ++i)
    on_meta("9700000000000000" + std::to_string(i), form, std::chrono::minutes(5 + 30 * i));
  {
    std::lock_guard lock(mu_);
    fail_page_ = 1;
    listed_[form].push_back({"96000000000000000", listed_[form][0].second});  // no lead to fetch
  }
  auto cut = sync();
  ASSERT_EQ(cut.status, 200) << cut.describe();
  const auto f = at(cut.json(), "forms").as_array().at(0);
  EXPECT_EQ(num(f, "listed"), 2);
  EXPECT_EQ(num(f, "new"), 2);
  EXPECT_TRUE(is_null_at(f, "watermark")) << cut.describe();
  EXPECT_NE(str(f, "error").find("retried later"), std::string::npos) << cut.describe();
  auto pages = admin().get("/api/v1/intake/meta/pages");
  const auto stored = at(at(pages.json(), "items").as_array().at(0), "forms").as_array().at(0);
  EXPECT_TRUE(is_null_at(stored, "watermark"));
  EXPECT_FALSE(is_null_at(stored, "error"));

  {
    std::lock_guard lock(mu_);
    fail_page_.reset();
  }
  auto whole = sync();
  ASSERT_EQ(whole.status, 200) << whole.describe();
  const auto g = at(whole.json(), "forms").as_array().at(0);
  EXPECT_EQ(num(g, "listed"), 6);
  EXPECT_EQ(num(g, "new"), 4);
  EXPECT_TRUE(is_null_at(g, "error")) << whole.describe();
  EXPECT_FALSE(is_null_at(g, "watermark")) << whole.describe();

  // Five leads in; the sixth (Meta answers 404 for it) failed, with its reason, for Retry.
  auto failed = receipt_when("96000000000000000", "failed");
  ASSERT_FALSE(failed.is_null());
  EXPECT_NE(str(failed, "reason").find("HTTP 404"), std::string::npos) << str(failed, "reason");
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(receipt_when("9700000000000000" + std::to_string(i), "ingested").is_null()) << i;

  // A lead Meta lists late, created before the watermark but within the overlap: still taken in.
  on_meta("95000000000000000", form, std::chrono::minutes(20));
  auto late = sync();
  ASSERT_EQ(late.status, 200) << late.describe();
  EXPECT_EQ(num(late.json(), "new"), 1) << late.describe();
  EXPECT_FALSE(receipt_when("95000000000000000", "ingested").is_null());
}

TEST_F(MetaIntake, SyncWithARevokedTokenSaysWhatToDoThenWorksOnceReplaced) {
  ASSERT_EQ(save_page(kRevokedToken).status, 200);
  const std::string id = "94000000000000000";
  on_meta(id, "700000000000010", std::chrono::minutes(3));
  auto refused = sync();
  ASSERT_EQ(refused.status, 200) << refused.describe();
  const std::string error = str(refused.json(), "error");
  EXPECT_NE(error.find("save a new page access token"), std::string::npos) << error;
  EXPECT_EQ(refused.body.find(kRevokedToken), std::string::npos);
  auto pages = admin().get("/api/v1/intake/meta/pages");
  EXPECT_EQ(str(at(pages.json(), "items").as_array().at(0), "syncError"), error);

  ASSERT_EQ(save_page(kGoodToken).status, 200);
  auto synced = sync();
  ASSERT_EQ(synced.status, 200) << synced.describe();
  EXPECT_TRUE(is_null_at(synced.json(), "error")) << synced.describe();
  EXPECT_EQ(num(synced.json(), "new"), 1);
  EXPECT_FALSE(receipt_when(id, "ingested").is_null());
  pages = admin().get("/api/v1/intake/meta/pages");
  EXPECT_TRUE(is_null_at(at(pages.json(), "items").as_array().at(0), "syncError"));

  expect_problem(admin().post("/api/v1/intake/meta/pages/42/sync", json::object{}), 404);
  expect_problem(admin().get("/api/v1/intake/meta/receipts?pageId=abc"), 422);
}

}  // namespace
}  // namespace leadproc::apitest
