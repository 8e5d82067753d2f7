// Meta Lead Ads set up as a lead source (issue 19 item 8; docs/api-intake.md "Sources"): with no
// Meta settings in the environment, an admin's POST /api/v1/intake/sources of kind "meta" is all
// it takes: Meta's handshake is answered with the source's verify token, webhooks signed with its
// app secret are taken, and each lead is fetched with its page access token and mapped as its
// mapping says. Its secrets are never answered; a bad source names every bad field and stores
// nothing; a replaced page token retries what the old one could not fetch; a replaced app secret
// refuses the old one; a deleted source takes no more.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "auth_support.h"
#include "harness.h"
#include "meta_standin.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kAppSecret = "source-app-secret-é";  // non-ASCII: the bytes are signed
constexpr const char* kVerifyToken = "source-verify-31";
constexpr const char* kPageId = "104857600765432";
constexpr const char* kToken = "EAAB-source-token";
constexpr const char* kRevoked = "EAAB-source-revoked";
constexpr const char* kFormId = "998877665500001";

class MetaSources : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = std::make_unique<GraphStandIn>([this](const std::string& target) {
      if (target.find(std::string("access_token=") + kRevoked) != std::string::npos)
        return std::pair<int, std::string>(
            400, R"({"error":{"message":"Error validating access token: The session has been )"
                 R"(invalidated.","type":"OAuthException","code":190,"error_subcode":460}})");
      const auto slash = target.find('/', 1);
      const std::string id = target.substr(slash + 1, target.find('?') - slash - 1);
      std::lock_guard lock(mu_);
      auto it = mobiles_.find(id);
      if (it == mobiles_.end())
        return std::pair<int, std::string>(404, R"({"error":{"message":"no such lead"}})");
      json::object lead{
          {"id", id},
          {"created_time", "2026-12-07T09:00:00+0000"},
          {"form_id", kFormId},
          {"platform", "ig"},
          {"field_data",
           json::array{
               json::object{{"name", "full_name"}, {"values", json::array{"Zoë Source"}}},
               json::object{{"name", "phone_number"}, {"values", json::array{"+91" + it->second}}},
               json::object{{"name", "where_to"}, {"values", json::array{"Goa"}}}}}};
      return std::pair<int, std::string>(200, json::serialize(lead));
    });
    try {
      // No LEADPROC_META_APP_SECRET nor LEADPROC_META_VERIFY_TOKEN: the sources are the set-up.
      server_ = std::make_unique<TestServer>(own_database({
          {"LEADPROC_META_GRAPH_URL", graph_->url()},
          {"LEADPROC_META_GRAPH_VERSION", "v21.0"},
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

  HttpClient& admin() { return *admin_; }
  HttpClient anonymous() { return HttpClient(server_->base_url()); }

  json::object source_body(const std::string& token = kToken) {
    return json::object{{"kind", "meta"},
                        {"name", "Goa page"},
                        {"pageId", kPageId},
                        {"appSecret", kAppSecret},
                        {"verifyToken", kVerifyToken},
                        {"pageAccessToken", token},
                        {"instagramPlatform", true},
                        {"mapping", json::object{{"destination", "where_to"}}}};
  }
  // A leadgen id Meta knows, with a fresh mobile number (returned).
  std::string on_meta(const std::string& leadgen_id) {
    std::lock_guard lock(mu_);
    return mobiles_[leadgen_id] = next_mobile();
  }
  static std::string webhook(const std::string& leadgen_id) {
    return R"({"object":"page","entry":[{"id":")" + std::string(kPageId) +
           R"(","time":1765098001,"changes":[{"field":"leadgen","value":{"form_id":)" + kFormId +
           R"(,"leadgen_id":)" + leadgen_id + R"(,"created_time":1765098000,"page_id":)" + kPageId +
           "}}]}]}";
  }
  Response post_signed(const std::string& body, const std::string& secret = kAppSecret) {
    return anonymous().request("POST", "/api/v1/intake/meta", body,
                               {{"X-Hub-Signature-256", "sha256=" + hmac_hex(secret, body)}});
  }
  Response handshake(const std::string& token) {
    return anonymous().get("/api/v1/intake/meta?hub.mode=subscribe&hub.verify_token=" + token +
                           "&hub.challenge=1158201444");
  }
  // The receipt of `leadgen_id` once its status is `status` (polled for up to 30 s), or null.
  json::value receipt_when(const std::string& leadgen_id, const std::string& status) {
    for (int i = 0; i < 600; ++i) {
      auto r = admin().get("/api/v1/intake/meta/receipts");
      EXPECT_EQ(r.status, 200) << r.describe();
      const json::value body = r.json();
      for (const auto& item : body.at("items").as_array())
        if (str(item, "leadgenId") == leadgen_id && str(item, "status") == status) return item;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }
  // Whether `body` holds any of the source's secrets.
  static bool shows_a_secret(const std::string& body) {
    for (const char* secret : {kAppSecret, kVerifyToken, kToken, kRevoked})
      if (body.find(secret) != std::string::npos) return true;
    return false;
  }

  std::unique_ptr<GraphStandIn> graph_;
  std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> admin_;
  std::mutex mu_;
  std::map<std::string, std::string> mobiles_;
};

TEST_F(MetaSources, ASourceIsAllMetaIntakeNeeds) {
  // Nothing set up: the webhook is unavailable, the handshake refused.
  expect_problem(post_signed(webhook("97200000000000001")), 503);
  expect_problem(handshake(kVerifyToken), 403);

  auto created = admin().post("/api/v1/intake/sources", source_body());
  ASSERT_EQ(created.status, 201) << created.describe();
  EXPECT_FALSE(shows_a_secret(created.body)) << created.body;
  const auto& s = created.json();
  EXPECT_EQ(str(s, "kind"), "meta");
  EXPECT_EQ(str(s, "pageId"), kPageId);
  EXPECT_EQ(at(s, "hasAppSecret"), true);
  EXPECT_EQ(at(s, "page.hasAccessToken"), true);
  EXPECT_EQ(at(s, "page.instagramPlatform"), true);
  EXPECT_EQ(str(s, "page.mapping.destination"), "where_to");
  EXPECT_EQ(str(s, "page.mapping.number"), "phone_number");  // Meta's default stays
  EXPECT_TRUE(is_null_at(s, "lastLeadAt"));
  EXPECT_TRUE(is_null_at(s, "lastError"));
  const std::string id = str(s, "id");

  // Meta's handshake: the source's verify token, and no other.
  auto ok = handshake(kVerifyToken);
  ASSERT_EQ(ok.status, 200) << ok.describe();
  EXPECT_EQ(ok.body, "1158201444");
  expect_problem(handshake("source-verify-32"), 403);

  // A webhook signed with another secret is refused; with the source's, its lead comes in.
  const std::string leadgen = "97200000000000001";
  const std::string mobile = on_meta(leadgen);
  expect_problem(post_signed(webhook(leadgen), "another-secret"), 401);
  auto taken = post_signed(webhook(leadgen));
  ASSERT_EQ(taken.status, 200) << taken.describe();
  auto receipt = receipt_when(leadgen, "ingested");
  ASSERT_FALSE(receipt.is_null());
  auto opp = admin().get("/api/v1/opportunities/" + str(receipt, "opportunityId"));
  ASSERT_EQ(opp.status, 200) << opp.describe();
  EXPECT_EQ(str(opp.json(), "leadSource.platform"), "instagram");  // `ig`, as the source says
  auto lead = admin().get("/api/v1/leads/" + str(opp.json(), "leadId"));
  ASSERT_EQ(lead.status, 200) << lead.describe();
  EXPECT_EQ(str(lead.json(), "name"), "Zoë Source");
  EXPECT_EQ(str(lead.json(), "number"), "+91" + mobile);
  EXPECT_EQ(str(lead.json(), "destination"), "Goa");  // the source's mapping

  // Listed and read back with its page's last lead, never with a secret.
  auto one = admin().get("/api/v1/intake/sources/" + id);
  ASSERT_EQ(one.status, 200) << one.describe();
  EXPECT_FALSE(is_null_at(one.json(), "lastLeadAt")) << one.body;
  EXPECT_EQ(num(one.json(), "page.failedReceipts"), 0);
  auto list = admin().get("/api/v1/intake/sources");
  ASSERT_EQ(list.status, 200) << list.describe();
  EXPECT_FALSE(shows_a_secret(list.body)) << list.body;
  ASSERT_EQ(list.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(str(list.json().at("items").as_array().at(0), "id"), id);
}

TEST_F(MetaSources, ABadSourceIsRefusedNamingEveryFieldAndStoresNothing) {
  auto r = admin().post("/api/v1/intake/sources",
                        json::object{{"kind", "meta"},
                                     {"pageId", "10485x"},
                                     {"appSecret", ""},
                                     {"googleKey", "k"},
                                     {"mapping", json::object{{"destination", 7}}},
                                     {"instagramPlatform", "yes"}});
  expect_problem(r, 422);
  const auto fields = problem_fields(r);
  for (const char* f : {"name", "pageId", "appSecret", "verifyToken", "pageAccessToken",
                        "googleKey", "mapping.destination", "instagramPlatform"})
    EXPECT_TRUE(contains(fields, f)) << f << " not named: " << r.body;
  EXPECT_EQ(admin().get("/api/v1/intake/sources").json().at("items").as_array().size(), 0u);
  EXPECT_EQ(admin().get("/api/v1/intake/meta/pages").json().at("items").as_array().size(), 0u);

  ASSERT_EQ(admin().post("/api/v1/intake/sources", source_body()).status, 201);
  // One source per page.
  expect_problem(admin().post("/api/v1/intake/sources", source_body()), 409);
}

TEST_F(MetaSources, ReplacedSecretsTakeEffectAndADeletedSourceTakesNoMore) {
  auto created = admin().post("/api/v1/intake/sources", source_body(kRevoked));
  ASSERT_EQ(created.status, 201) << created.describe();
  const std::string id = str(created.json(), "id");

  // A revoked token: the receipt fails, and the source says so in its list row.
  const std::string leadgen = "97200000000000002";
  on_meta(leadgen);
  ASSERT_EQ(post_signed(webhook(leadgen)).status, 200);
  ASSERT_FALSE(receipt_when(leadgen, "failed").is_null());
  auto failing = admin().get("/api/v1/intake/sources/" + id);
  EXPECT_NE(str(failing.json(), "lastError").find("could not be fetched"), std::string::npos)
      << failing.body;

  // The page id cannot change; a new page token retries the failed receipt.
  auto moved =
      admin().patch("/api/v1/intake/sources/" + id, json::object{{"pageId", "104857600000001"}});
  expect_problem(moved, 422);
  EXPECT_TRUE(contains(problem_fields(moved), "pageId")) << moved.body;
  auto replaced =
      admin().patch("/api/v1/intake/sources/" + id, json::object{{"pageAccessToken", kToken}});
  ASSERT_EQ(replaced.status, 200) << replaced.describe();
  EXPECT_EQ(num(replaced.json(), "requeued"), 1);
  EXPECT_FALSE(shows_a_secret(replaced.body)) << replaced.body;
  ASSERT_FALSE(receipt_when(leadgen, "ingested").is_null());

  // A new app secret: the old one is refused from then on; so is the old verify token.
  auto rotated = admin().patch(
      "/api/v1/intake/sources/" + id,
      json::object{{"appSecret", "rotated-secret"}, {"verifyToken", "rotated-verify"}});
  ASSERT_EQ(rotated.status, 200) << rotated.describe();
  const std::string next = "97200000000000003";
  on_meta(next);
  expect_problem(post_signed(webhook(next)), 401);
  expect_problem(handshake(kVerifyToken), 403);
  EXPECT_EQ(handshake("rotated-verify").status, 200);
  ASSERT_EQ(post_signed(webhook(next), "rotated-secret").status, 200);
  ASSERT_FALSE(receipt_when(next, "ingested").is_null());

  // Deleted: no secret is left, so Meta's webhook is unavailable, and the page is gone with it.
  auto deleted = admin().del("/api/v1/intake/sources/" + id);
  ASSERT_EQ(deleted.status, 204) << deleted.describe();
  expect_problem(post_signed(webhook("97200000000000004"), "rotated-secret"), 503);
  EXPECT_EQ(admin().get("/api/v1/intake/meta/pages").json().at("items").as_array().size(), 0u);
  expect_problem(admin().get("/api/v1/intake/sources/" + id), 404);
  // The leads it brought stay.
  auto receipts = admin().get("/api/v1/intake/meta/receipts?status=ingested");
  EXPECT_EQ(receipts.json().at("items").as_array().size(), 2u);
}

}  // namespace
}  // namespace leadproc::apitest
