// Click-to-chat ads (issue 19 item 6; docs/api.md "Lead ingestion"): the `referral` object that
// WhatsApp and Instagram forward on a chat started from an ad is mapped to attribution: the ad
// id and the click id are kept on the lead and the opportunity.
#include "harness.h"

namespace leadproc::apitest {
namespace {

class Referral : public SharedServerTest<Referral> {};

TEST_F(Referral, AnAdReferralKeepsTheAdAndTheClickId) {
  json::object body = lead_body("Fatima Zahra", next_mobile(), "whatsapp_bot");
  body["referral"] = json::object{{"source_url", "https://fb.me/3cr4Wqqkj"},
                                  {"source_id", "120210000000000001"},
                                  {"source_type", "ad"},
                                  {"headline", "Goa in December"},
                                  {"body", "Book now"},
                                  {"media_type", "image"},
                                  {"ctwa_clid", "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd"}};
  auto r = http().post("/api/v1/leads", body);
  ASSERT_EQ(r.status, 201) << r.describe();
  auto opp = http().get("/api/v1/opportunities/" + str(r.json(), "opportunity._id"));
  ASSERT_EQ(opp.status, 200) << opp.describe();
  const auto o = opp.json();
  EXPECT_EQ(str(o, "adid"), "120210000000000001");
  EXPECT_EQ(str(o, "adName"), "Goa in December");
  EXPECT_EQ(str(o, "eventSourceUrl"), "https://fb.me/3cr4Wqqkj");
  EXPECT_EQ(str(o, "ctwaClid"), "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd");
}

TEST_F(Referral, APostReferralIsNoAdAndTopLevelFieldsWin) {
  json::object body = lead_body("Ana Lúcia", next_mobile(), "instagram");
  body["adid"] = "999";
  body["referral"] = json::object{
      {"source_id", "17890000000000000"}, {"source_type", "post"}, {"ctwa_clid", "clid-1"}};
  auto r = http().post("/api/v1/leads", body);
  ASSERT_EQ(r.status, 201) << r.describe();
  auto o = http().get("/api/v1/opportunities/" + str(r.json(), "opportunity._id")).json();
  EXPECT_EQ(str(o, "adid"), "999");
  EXPECT_TRUE(is_null_at(o, "adName"));
  EXPECT_EQ(str(o, "ctwaClid"), "clid-1");
}

TEST_F(Referral, ABadReferralNamesEachFieldAndStoresNothing) {
  json::object body = lead_body("Li Wei", next_mobile());
  body["referral"] = json::object{{"source_id", 120210000000000001}, {"ctwa_clid", true}};
  auto r = http().post("/api/v1/leads", body);
  expect_problem(r, 422);
  auto fields = problem_fields(r);
  EXPECT_TRUE(contains(fields, "referral.source_id")) << r.describe();
  EXPECT_TRUE(contains(fields, "referral.ctwa_clid")) << r.describe();
  json::object not_object = lead_body("Li Wei", next_mobile());
  not_object["referral"] = "ad";
  auto r2 = http().post("/api/v1/leads", not_object);
  expect_problem(r2, 422);
  EXPECT_TRUE(contains(problem_fields(r2), "referral")) << r2.describe();
}

}  // namespace
}  // namespace leadproc::apitest
