// The form of numbers in answer bodies, checked on the raw text: fractional numbers are plain
// shortest decimals (0.25, as JavaScript's JSON.stringify writes them), not Boost.JSON 1.81's
// exponent form (2.5E-1), and whole numbers have no fraction or exponent (1, not 1E0).
#include "harness.h"

namespace leadproc::apitest {
namespace {

class NumberFormat : public SharedServerTest<NumberFormat> {};

// The body contains `member` (e.g. "\"preference\":0.25"); the parsed value is not enough, since
// 2.5E-1 parses to the same double.
void ExpectText(const Response& r, std::string_view member) {
  EXPECT_NE(r.body.find(member), std::string::npos) << "no " << member << " in " << r.describe();
}

TEST_F(NumberFormat, DestinationPreferenceIsAPlainDecimal) {
  const std::string name = unique_name("Coorg");
  Response created =
      http().post("/api/v1/destinations", json::object{{"name", name}, {"preference", 0.25}});
  ASSERT_EQ(created.status, 201) << created.describe();
  ExpectText(created, "\"preference\":0.25");
  const std::string id = str(created.json(), "_id");

  Response got = http().get("/api/v1/destinations/" + id);
  ASSERT_EQ(got.status, 200) << got.describe();
  ExpectText(got, "\"preference\":0.25");
  EXPECT_EQ(got.body.find("E-"), std::string::npos) << got.body;

  Response listed = http().get("/api/v1/destinations");
  ASSERT_EQ(listed.status, 200) << listed.describe();
  ExpectText(listed,
             "\"_id\":\"" + id + "\",\"name\":\"" + name + "\",\"slugs\":[],\"preference\":0.25");

  Response patched = http().patch("/api/v1/destinations/" + id, json::object{{"preference", 0.1}});
  ASSERT_EQ(patched.status, 200) << patched.describe();
  ExpectText(patched, "\"preference\":0.1,");
  ExpectText(http().get("/api/v1/destinations/" + id), "\"preference\":0.1,");

  Response whole = http().patch("/api/v1/destinations/" + id, json::object{{"preference", 1.0}});
  ASSERT_EQ(whole.status, 200) << whole.describe();
  ExpectText(whole, "\"preference\":1,");
}

// pax is a whole number (sent here as 3.0, a double: Boost.JSON would write it 3E0); the lead keeps
// it as a number, the opportunity as the spec's text.
TEST_F(NumberFormat, LeadPaxIsAWholeNumberInTheAnswerAndItsReplay) {
  json::object body = lead_body("Pax Three", next_mobile());
  body["pax"] = 3.0;
  const Headers key = {{"Idempotency-Key", unique_name("pax")}};
  Response first = post_lead(http(), body, key);
  ASSERT_EQ(first.status, 201) << first.describe();
  ExpectText(first, "\"pax\":3,");
  ExpectText(first, "\"pax\":\"3\"");

  Response replay = post_lead(http(), body, key);
  ASSERT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(replay.body, first.body);

  Response lead = http().get("/api/v1/leads/" + str(first.json(), "lead._id"));
  ASSERT_EQ(lead.status, 200) << lead.describe();
  ExpectText(lead, "\"pax\":3,");
}

}  // namespace
}  // namespace leadproc::apitest
