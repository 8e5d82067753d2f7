// No field silently dropped (issue 19 item 7; docs/api.md "Lead ingestion"): a field of
// POST /api/v1/leads that a lead does not have (a `fbclid`, a typo like `emial`, one inside
// `leadSource`) is kept under the lead's `extra`, each value as sent, and named in the answer's
// `warnings`; past the `extra` limits (domain/field_limits.h) the lead is a 422 naming the field.
#include <algorithm>

#include "domain/field_limits.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

class ExtraFields : public SharedServerTest<ExtraFields> {};

std::vector<std::string> warned_fields(const json::value& answer) {
  std::vector<std::string> out;
  for (const auto& w : at(answer, "warnings").as_array()) {
    EXPECT_FALSE(str(w, "reason").empty()) << w;
    out.push_back(str(w, "field"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(ExtraFields, UnknownFieldsAreKeptUnderExtraAndNamedInWarnings) {
  json::object body = lead_body("Meera Nair", next_mobile());
  body["fbclid"] = "IwAR2xYz_abc";
  body["emial"] = "meera@example.com";
  body["formSerial"] = json::parse("12345678901234567");  // 17 digits: exact, not via a double
  body["answers"] = json::object{{"budget", "₹ 80,000"}, {"kids", 2}};
  body["leadSource"].as_object()["colour"] = "blue";
  body["traceID"] = unique_name("extra");

  Response r = post_lead(http(), body);
  ASSERT_EQ(r.status, 201) << r.describe();
  const json::value answer = r.json();
  EXPECT_EQ(warned_fields(answer), (std::vector<std::string>{"answers", "emial", "fbclid",
                                                             "formSerial", "leadSource.colour"}));
  // Stored: the lead record read back holds each value as it was sent.
  Response lead = http().get("/api/v1/leads/" + str(answer, "lead._id"));
  ASSERT_EQ(lead.status, 200) << lead.describe();
  const json::value stored = lead.json();
  EXPECT_EQ(str(stored, "extra.fbclid"), "IwAR2xYz_abc");
  EXPECT_EQ(str(stored, "extra.emial"), "meera@example.com");
  EXPECT_EQ(json::serialize(at(stored, "extra.formSerial")), "12345678901234567");
  EXPECT_EQ(at(stored, "extra.answers"),
            json::value(json::object{{"budget", "₹ 80,000"}, {"kids", 2}}));
  // A nested field is one key of extra, named by its path.
  EXPECT_EQ(at(stored, "extra").as_object().at("leadSource.colour"), json::value("blue"));
  EXPECT_TRUE(is_null_at(stored, "email")) << "emial is not taken as the email";

  // A replay (the same traceID and body) answers the same warnings.
  Response again = post_lead(http(), body);
  ASSERT_EQ(again.status, 200) << again.describe();
  EXPECT_EQ(warned_fields(again.json()), warned_fields(answer));
}

TEST_F(ExtraFields, ALeadOfKnownFieldsHasNoExtraAndNoWarnings) {
  json::object body = lead_body("Ravi Kumar", next_mobile(), "whatsapp_bot");
  body["utmSource"] = "facebook";
  body["gclid"] = "Cj0KCQ";
  body["sourceMeta"] = json::object{{"formName", "Goa"}, {"fromId", "1"}, {"subSource", "x"}};
  body["destination"] = json::object{{"name", "Goa"}};
  body["referral"] = json::object{{"source_type", "ad"},
                                  {"media_type", "image"},
                                  {"thumbnail_url", "https://example.com/t.jpg"}};
  Response r = post_lead(http(), body);
  ASSERT_EQ(r.status, 201) << r.describe();
  const json::value answer = r.json();
  EXPECT_TRUE(at(answer, "warnings").as_array().empty()) << r.describe();
  EXPECT_FALSE(at(answer, "lead").as_object().contains("extra")) << r.describe();
}

TEST_F(ExtraFields, ExtraPastItsLimitsIsRefusedNamingTheField) {
  const FieldLimit& value = limit_of("extra");
  json::object long_value = lead_body("Long Extra", next_mobile());
  long_value["fbclid"] = std::string(value.max_length, 'f');  // with its quotes: 2 over
  expect_lead_refused(http(), long_value, {"fbclid"});

  json::object many = lead_body("Many Extra", next_mobile());
  for (std::size_t i = 0; i <= value.max_entries; ++i) many["x" + std::to_string(i)] = i;
  expect_lead_refused(http(), many, {"extra"});

  json::object long_name = lead_body("Long Name", next_mobile());
  long_name[std::string(limit_of("extra.name").max_length + 1, 'k')] = 1;
  expect_lead_refused(http(), long_name, {"extra"});

  // At the limits: stored whole.
  json::object full = lead_body("Full Extra", next_mobile());
  for (std::size_t i = 0; i + 1 < value.max_entries; ++i) full["x" + std::to_string(i)] = i;
  full[std::string(limit_of("extra.name").max_length, 'k')] =
      std::string(value.max_length - 2, 'f');
  Response ok = post_lead(http(), full);
  ASSERT_EQ(ok.status, 201) << ok.describe();
  EXPECT_EQ(at(ok.json(), "warnings").as_array().size(), value.max_entries);
}

}  // namespace
}  // namespace leadproc::apitest
