// Google Ads lead forms (issue 19 item 4; docs/intake.md "Google Ads lead forms"): the webhook
// Google calls with a whole lead. The google_key is checked against the key an admin saved for
// the form (POST /api/v1/intake/sources): a wrong or empty one is a 403 and stores nothing;
// columns are mapped by column_id whatever their order; ids of 17 digits stay exact; a lead_id
// redelivered stores nothing new; a test lead is stored for admins and never routed.
#include "harness.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kFormId = "12345678901234567";  // 17 digits: beyond a double's 53 bits
constexpr const char* kCampaignId = "20987654321098765";
constexpr const char* kKey = "g-key-Ωmega-7";

class GoogleIntake : public SharedServerTest<GoogleIntake> {
 protected:
  // A google source for `form_id` (once per form id: the suite's server is shared).
  json::object source(const std::string& form_id, const std::string& key = kKey) {
    Response r = http().post("/api/v1/intake/sources",
                             json::object{{"kind", "google"},
                                          {"name", "Goa lead form " + form_id},
                                          {"formId", form_id},
                                          {"googleKey", key},
                                          {"mapping", json::object{{"destination", "where_to"}}}});
    EXPECT_EQ(r.status, 201) << r.describe();
    return r.json().as_object();
  }
  // Google's webhook body as Google writes it: ids as bare JSON numbers, the columns in the order
  // given.
  static std::string lead(const std::string& lead_id, const std::string& form_id,
                          const std::string& key, const std::string& columns,
                          bool is_test = false) {
    return R"({"lead_id":)" + lead_id + R"(,"api_version":"1.0","form_id":)" + form_id +
           R"(,"campaign_id":)" + kCampaignId + R"(,"google_key":")" + key + R"(","is_test":)" +
           (is_test ? "true" : "false") +
           R"(,"gcl_id":"EAIaIQobChMI-gclid","adgroup_id":20000000000000001,)"
           R"("creative_id":30000000000000001,"user_column_data":[)" +
           columns + "]}";
  }
  static std::string column(const std::string& id, const std::string& value) {
    return R"({"column_id":")" + id + R"(","column_name":")" + id + R"(","string_value":")" +
           value + R"("})";
  }
  Response post_google(const std::string& body) {
    return HttpClient(server().base_url()).request("POST", "/api/v1/intake/google", body);
  }
  // How many opportunities the customer with `e164` has (duplicates included).
  std::size_t leads_of(const std::string& e164) {
    Response r = http().get("/api/v1/customers/" + e164.substr(3));
    if (r.status == 404) return 0;
    EXPECT_EQ(r.status, 200) << r.describe();
    const json::value customer = r.json();
    std::size_t n = 0;
    for (const auto& e : at(customer, "items").as_array())
      n += 1 + at(e, "duplicates").as_array().size();
    return n;
  }
  json::value opportunity(const std::string& id) {
    Response r = http().get("/api/v1/opportunities/" + id);
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.json();
  }
};

TEST_F(GoogleIntake, ALeadIsStoredOnceMappedByColumnIdWithIdsExact) {
  const json::object src = source(kFormId);
  const std::string phone = "+91" + next_mobile();
  // The columns in an unusual order, with a custom question and one nobody mapped.
  const std::string body =
      lead("98765432109876543", kFormId, kKey,
           column("where_to", "Goa") + "," + column("CITY", "Pune") + "," +
               column("PHONE_NUMBER", phone) + "," + column("FULL_NAME", "Ana Lúcia Ñúñez") + "," +
               column("EMAIL", "ana@example.com"));
  Response r = post_google(body);
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value answer = r.json();
  EXPECT_EQ(str(answer, "leadId"), "98765432109876543");
  EXPECT_FALSE(at(answer, "duplicate").as_bool());
  EXPECT_FALSE(at(answer, "test").as_bool());

  const json::value o = opportunity(str(answer, "opportunityId"));
  EXPECT_EQ(str(o, "name"), "Ana Lúcia Ñúñez");
  EXPECT_EQ(str(o, "number"), phone);
  EXPECT_EQ(str(o, "email"), "ana@example.com");
  EXPECT_EQ(str(o, "gclid"), "EAIaIQobChMI-gclid");
  EXPECT_EQ(str(o, "campaignId"), kCampaignId);
  EXPECT_EQ(str(o, "adsetId"), "20000000000000001");
  EXPECT_EQ(str(o, "adid"), "30000000000000001");
  EXPECT_EQ(str(o, "sourceMeta.fromId"), kFormId);
  EXPECT_EQ(str(o, "leadSource.platform"), "paid_ads");
  EXPECT_EQ(str(o, "leadSource.primarySource"), "google_lead_forms");
  EXPECT_EQ(str(o, "traceID"), "98765432109876543");
  // The answer no field takes is kept on the lead.
  Response lead_record = http().get("/api/v1/leads/" + str(o, "leadId"));
  ASSERT_EQ(lead_record.status, 200) << lead_record.describe();
  EXPECT_EQ(str(lead_record.json(), "extra.CITY"), "Pune");
  EXPECT_EQ(str(lead_record.json(), "destination"), "Goa");

  // Google redelivers: the same lead, never a second one.
  for (int i = 0; i < 5; ++i) {
    Response again = post_google(body);
    ASSERT_EQ(again.status, 200) << again.describe();
    EXPECT_TRUE(at(again.json(), "duplicate").as_bool());
    EXPECT_EQ(str(again.json(), "opportunityId"), str(answer, "opportunityId"));
  }
  EXPECT_EQ(leads_of(phone), 1u);

  // The source shows its last lead, never its key.
  Response got = http().get("/api/v1/intake/sources/" + str(src, "id"));
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_FALSE(is_null_at(got.json(), "lastLeadAt")) << got.describe();
  EXPECT_TRUE(at(got.json(), "hasGoogleKey").as_bool());
  EXPECT_EQ(got.body.find("Ωmega"), std::string::npos) << got.body;
}

TEST_F(GoogleIntake, AWrongOrEmptyKeyIsRefusedAndStoresNothing) {
  const std::string form = "12345678901234568";
  source(form);
  const std::string phone = "+91" + next_mobile();
  const std::string columns =
      column("FULL_NAME", "Omar Farouk") + "," + column("PHONE_NUMBER", phone);
  expect_problem(post_google(lead("111000000000000001", form, "wrong", columns)), 403);
  expect_problem(post_google(lead("111000000000000001", form, "", columns)), 403);
  expect_problem(post_google(lead("111000000000000001", "99999999999999999", kKey, columns)), 403);
  EXPECT_EQ(leads_of(phone), 0u);
  // The right key then takes the same lead_id in as new: the refusals stored nothing.
  Response ok = post_google(lead("111000000000000001", form, kKey, columns));
  ASSERT_EQ(ok.status, 200) << ok.describe();
  EXPECT_FALSE(at(ok.json(), "duplicate").as_bool());
}

TEST_F(GoogleIntake, ATestLeadIsStoredForAdminsAndNeverRouted) {
  const std::string form = "12345678901234569";
  source(form);
  Response r = post_google(
      lead("222000000000000001", form, kKey,
           column("LAST_NAME", "Haddad") + "," + column("FIRST_NAME", "Layla") + "," +
               column("PHONE_NUMBER", "+91" + next_mobile()) + "," + column("where_to", "Goa"),
           true));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(at(r.json(), "test").as_bool());
  const json::value o = opportunity(str(r.json(), "opportunityId"));
  EXPECT_EQ(str(o, "name"), "Layla Haddad");
  EXPECT_EQ(str(o, "status"), "Disqualified");
  EXPECT_EQ(at(o, "tags"), json::value(json::array{"test"}));
  EXPECT_TRUE(is_null_at(o, "assignedPsv")) << o;
  EXPECT_TRUE(is_null_at(o, "assignedWest")) << o;
  EXPECT_TRUE(is_null_at(o, "opportunityOwner")) << o;
}

TEST_F(GoogleIntake, SourcesAreValidatedTheirKeyReplacedAndDeleted) {
  Response bad =
      http().post("/api/v1/intake/sources", json::object{{"kind", "tiktok"},
                                                         {"name", ""},
                                                         {"formId", "12ab"},
                                                         {"mapping", json::object{{"colour", "x"}}},
                                                         {"secret", "s"}});
  expect_problem(bad, 422);
  for (const char* f : {"kind", "name", "formId", "googleKey", "mapping.colour", "secret"})
    EXPECT_TRUE(contains(problem_fields(bad), f)) << f << " " << bad.describe();

  const std::string form = "12345678901234570";
  const json::object src = source(form);
  EXPECT_EQ(str(src, "formId"), form);
  EXPECT_EQ(str(src, "mapping.name"), "FULL_NAME");
  EXPECT_EQ(str(src, "mapping.destination"), "where_to");
  Response taken = http().post(
      "/api/v1/intake/sources",
      json::object{{"kind", "google"}, {"name", "again"}, {"formId", form}, {"googleKey", "k"}});
  expect_problem(taken, 409);

  // A new key replaces the old one.
  const std::string path = "/api/v1/intake/sources/" + str(src, "id");
  Response changed = http().patch(path, json::object{{"googleKey", "new-key"}});
  ASSERT_EQ(changed.status, 200) << changed.describe();
  const std::string columns =
      column("FULL_NAME", "Chen Jing") + "," + column("PHONE_NUMBER", "+91" + next_mobile());
  expect_problem(post_google(lead("333000000000000001", form, kKey, columns)), 403);
  Response ok = post_google(lead("333000000000000001", form, "new-key", columns));
  ASSERT_EQ(ok.status, 200) << ok.describe();

  Response listed = http().get("/api/v1/intake/sources");
  ASSERT_EQ(listed.status, 200) << listed.describe();
  EXPECT_EQ(listed.body.find("new-key"), std::string::npos);

  ASSERT_EQ(http().del(path).status, 204);
  expect_problem(http().get(path), 404);
  expect_problem(post_google(lead("333000000000000002", form, "new-key", columns)), 403);
}

}  // namespace
}  // namespace leadproc::apitest
