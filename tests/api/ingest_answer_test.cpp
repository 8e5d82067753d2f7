// The 201 answer of POST /api/v1/leads and its Location header. The Location comes from the use
// case's result, not from the rendered body, and the body is rendered after the commit when no
// idempotency key is sent (inside the transaction, and stored, when one is): these tests pin
// that both paths answer the same thing and that replays stay byte-identical.
#include "harness.h"

namespace leadproc::apitest {
namespace {

class IngestAnswer : public SharedServerTest<IngestAnswer> {};

const std::string kOpportunities = "/api/v1/opportunities/";

// Expects a 201 whose Location names the answer's opportunity, readable at that address.
json::object expect_created_at_location(HttpClient& http, const Response& r) {
  EXPECT_EQ(r.status, 201) << r.describe();
  const json::value body = r.json();
  const std::string id = str(body, "opportunity._id");
  EXPECT_TRUE(is_object_id(id)) << r.describe();
  EXPECT_EQ(r.header("location"), kOpportunities + id);
  json::object stored = get_opportunity(http, id);
  EXPECT_EQ(str(stored, "_id"), id);
  EXPECT_EQ(str(stored, "leadId"), str(body, "lead._id"));
  EXPECT_EQ(num(stored, "version"), num(body, "opportunity.version"));
  return body.is_object() ? body.get_object() : json::object();
}

TEST_F(IngestAnswer, WithoutAKeyLocationNamesTheOpportunityOfTheAnswer) {
  const std::string number = next_mobile();
  Response first = post_lead(http(), lead_body("Location One", number));
  json::object a = expect_created_at_location(http(), first);
  EXPECT_EQ(str(a, "lead.number"), e164_in(number));
  EXPECT_EQ(at(a, "duplicate"), json::value(false));

  // A duplicate is a new opportunity too: Location names it, not the original.
  Response second = post_lead(http(), lead_body("Location Two", number));
  json::object b = expect_created_at_location(http(), second);
  EXPECT_EQ(at(b, "duplicate"), json::value(true));
  EXPECT_EQ(str(b, "opportunity.duplicateOf"), str(a, "opportunity._id"));
  EXPECT_NE(second.header("location"), first.header("location"));
}

TEST_F(IngestAnswer, WithAKeyTheReplayIsTheFirstAnswerByteForByte) {
  const Headers key = {{"Idempotency-Key", unique_name("answer")}};
  const json::object body = lead_body("Replay Bytes", next_mobile());
  Response first = post_lead(http(), body, key);
  expect_created_at_location(http(), first);

  Response replay = post_lead(http(), body, key);
  EXPECT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(replay.body, first.body) << "the replay differs from the first answer";
}

TEST_F(IngestAnswer, WithATraceIdTheReplayIsTheFirstAnswerByteForByte) {
  json::object body = lead_body("Replay Trace", next_mobile());
  body["traceID"] = unique_name("answer-trace");
  Response first = post_lead(http(), body);
  expect_created_at_location(http(), first);

  Response replay = post_lead(http(), body);
  EXPECT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(replay.body, first.body);
}

TEST_F(IngestAnswer, KeyedAndUnkeyedAnswersHaveTheSameShape) {
  json::object plain = expect_created_at_location(
      http(), post_lead(http(), lead_body("Shape Plain", next_mobile())));
  json::object keyed =
      expect_created_at_location(http(), post_lead(http(), lead_body("Shape Keyed", next_mobile()),
                                                   {{"Idempotency-Key", unique_name("shape")}}));
  auto keys = [](const json::value& v) {
    std::vector<std::string> out;
    if (v.is_object())
      for (const auto& kv : v.get_object()) out.emplace_back(kv.key());
    return out;
  };
  EXPECT_EQ(keys(plain), keys(keyed));
  EXPECT_EQ(keys(at(plain, "lead")), keys(at(keyed, "lead")));
  EXPECT_EQ(keys(at(plain, "opportunity")), keys(at(keyed, "opportunity")));
}

}  // namespace
}  // namespace leadproc::apitest
