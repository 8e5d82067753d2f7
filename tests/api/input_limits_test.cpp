// Input hardening (issue 14), on SQLite and on PostgreSQL (the suite runs on both): every field of
// a lead has a size limit (domain/field_limits.h, the table docs/api.md prints), applied alike by
// intake and PATCH; `pax` is a whole number from 0 to 1000; a body that repeats a key or holds a
// NUL character is refused, whatever the endpoint. Each refusal is a 422 naming the field, and
// nothing is stored or changed.
#include "domain/attribution.h"
#include "domain/field_limits.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// Sets `path` ("sourceMeta.formName") of `body` to `value`, creating the objects on the way.
void set_at(json::object& body, std::string_view path, json::value value) {
  json::object* o = &body;
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    json::value& next = (*o)[path.substr(0, dot)];
    if (!next.is_object()) next = json::object{};
    o = &next.get_object();
    path.remove_prefix(dot + 1);
  }
  (*o)[path] = std::move(value);
}

// The text fields a lead source may send (besides name, number and tags), with their limits.
std::vector<const FieldLimit*> intake_texts() {
  std::vector<std::string_view> names{"traceID",
                                      "email",
                                      "destination",
                                      "travelDate",
                                      "tripType",
                                      "paxType",
                                      "leadSource.primarySource",
                                      "leadSource.secondarySource",
                                      "sourceMeta.formName",
                                      "sourceMeta.fromId",
                                      "sourceMeta.subSource",
                                      "page",
                                      "actionSource",
                                      "remarks",
                                      "customRemark"};
  names.insert(names.end(), kAttributionFields.begin(), kAttributionFields.end());
  std::vector<const FieldLimit*> out;
  for (auto name : names) {
    for (const auto& limit : kFieldLimits)
      if (limit.field == name) out.push_back(&limit);
  }
  EXPECT_EQ(out.size(), names.size()) << "a field without a limit";
  return out;
}

// A valid text of exactly `length` characters for `field`.
std::string text_of(std::string_view field, std::size_t length) {
  if (field == "email") return std::string(length - 12, 'e') + "@example.com";
  if (field == "page") return "https://example.com/" + std::string(length - 20, 'p');
  if (field == "traceID") {
    const std::string unique = unique_name("trace");
    return unique + std::string(length - unique.size(), 't');
  }
  return std::string(length, 'x');
}

class InputLimits : public SharedServerTest<InputLimits> {
 protected:
  Response ExpectLeadRefused(const std::string& raw, const std::vector<std::string>& fields) {
    return expect_lead_refused(http(), raw, fields);
  }
  Response ExpectLeadRefused(const json::object& body, const std::vector<std::string>& fields) {
    return expect_lead_refused(http(), body, fields);
  }

  std::string reason_for(const Response& r, std::string_view field) {
    const json::value problem = r.json();
    for (const auto& e : at(problem, "errors").as_array())
      if (str(e, "field") == field) return str(e, "reason");
    return "";
  }
};

TEST_F(InputLimits, AMegabyteEmailIsRefusedNamingIt) {
  json::object body = lead_body("Mega Mail", next_mobile());
  body["email"] = std::string(1'000'000, 'm') + "@example.com";
  Response r = ExpectLeadRefused(body, {"email"});
  EXPECT_EQ(reason_for(r, "email"), "must be at most 254 characters");
}

TEST_F(InputLimits, AHundredThousandTagsAreRefused) {
  json::object body = lead_body("Many Tags", next_mobile());
  json::array tags;
  for (int i = 0; i < 100'000; ++i) tags.emplace_back("t");
  body["tags"] = std::move(tags);
  Response r = ExpectLeadRefused(body, {"tags"});
  EXPECT_EQ(reason_for(r, "tags"), "must have at most 50 entries");
}

TEST_F(InputLimits, EveryTextOfALeadIsRefusedPastItsLimitAndKeptWholeAtIt) {
  json::object over = lead_body(std::string(limit_of("name").max_length + 1, 'n'), next_mobile());
  std::vector<std::string> fields{"name"};
  for (const FieldLimit* l : intake_texts()) {
    set_at(over, l->field, json::string(text_of(l->field, l->max_length + 1)));
    fields.emplace_back(l->field);
  }
  over["number"] = std::string(limit_of("number").max_length + 1, '9');
  fields.emplace_back("number");
  json::array tags;
  tags.emplace_back(std::string(limit_of("tags").max_length + 1, 'g'));
  over["tags"] = std::move(tags);
  fields.emplace_back("tags[0]");
  Response r = ExpectLeadRefused(over, fields);
  EXPECT_EQ(problem_fields(r).size(), fields.size()) << r.describe();

  // At the limits: stored whole. Characters, not bytes: the name is 200 é's, 400 bytes.
  std::string name;
  for (std::size_t i = 0; i < limit_of("name").max_length; ++i) name += "\xC3\xA9";
  json::object at_limit = lead_body(name, next_mobile());
  for (const FieldLimit* l : intake_texts())
    set_at(at_limit, l->field, json::string(text_of(l->field, l->max_length)));
  json::array full;
  for (std::size_t i = 0; i < limit_of("tags").max_entries; ++i)
    full.emplace_back(std::to_string(i) + std::string(limit_of("tags").max_length - 2, 'g'));
  at_limit["tags"] = full;
  Response ok = post_lead(http(), at_limit);
  ASSERT_EQ(ok.status, 201) << ok.describe();
  const json::value answer = ok.json();
  EXPECT_EQ(str(answer, "lead.name"), name);
  EXPECT_EQ(str(answer, "lead.email"), str(at_limit, "email"));
  EXPECT_EQ(str(answer, "lead.userAgent").size(), limit_of("userAgent").max_length);
  EXPECT_EQ(str(answer, "lead.sourceMeta.formName").size(),
            limit_of("sourceMeta.formName").max_length);
  EXPECT_EQ(at(answer, "opportunity.tags"), json::value(full));
  EXPECT_EQ(str(answer, "opportunity.travelDate").size(), limit_of("travelDate").max_length);
}

TEST_F(InputLimits, PaxIsAWholeNumberFrom0To1000) {
  for (json::value bad : {json::value("nan"), json::value("2-3"), json::value(1001),
                          json::value(-1), json::value(2.5), json::value("3.0"), json::value(" 3"),
                          json::value(""), json::value("1e2"), json::value(true)}) {
    json::object body = lead_body("Pax Bad", next_mobile());
    body["pax"] = bad;
    SCOPED_TRACE("pax " + json::serialize(bad));
    ExpectLeadRefused(body, {"pax"});
  }
  for (json::value good : {json::value("3"), json::value(3), json::value(3.0)}) {
    json::object body = lead_body("Pax Good", next_mobile());
    body["pax"] = good;
    json::object answer = ingest(http(), body);
    EXPECT_EQ(num(answer, "lead.pax"), 3) << json::serialize(good);
    EXPECT_EQ(str(answer, "opportunity.pax"), "3") << json::serialize(good);
  }
  json::object ends = lead_body("Pax Ends", next_mobile());
  ends["pax"] = "1000";
  EXPECT_EQ(num(ingest(http(), ends), "lead.pax"), 1000);
  ends["pax"] = 0;
  EXPECT_EQ(num(ingest(http(), ends), "lead.pax"), 0);
}

TEST_F(InputLimits, ARepeatedKeyIsRefusedNamingIt) {
  const std::string number = next_mobile();
  ExpectLeadRefused(R"({"name":"Twice","number":")" + number + R"(","pax":2,"pax":900})", {"pax"});
  ExpectLeadRefused(R"({"name":"Twice","number":")" + number +
                        R"(","leadSource":{"platform":"website","platform":"instagram"}})",
                    {"leadSource.platform"});
  // Any body: a destination (configuration) is not created either.
  const std::string name = unique_name("Twice");
  Response r = http().request("POST", "/api/v1/destinations",
                              R"({"name":")" + name + R"(","slugs":[],"name":")" + name + R"(2"})");
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "name")) << r.describe();
  Response list = http().get("/api/v1/destinations");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(name), std::string::npos) << "a refused destination was created";
}

TEST_F(InputLimits, ANulCharacterIsRefusedOnEveryBody) {
  // PostgreSQL cannot store U+0000 and SQLite can: both refuse it before storing anything.
  const std::string number = next_mobile();
  ExpectLeadRefused(R"({"name":"Nul\u0000Byte","number":")" + number + R"("})", {"name"});
  ExpectLeadRefused(R"({"name":"Nul","number":")" + number +
                        R"(","sourceMeta":{"formName":"f\u0000"},"tags":["a","b\u0000"]})",
                    {"sourceMeta.formName", "tags[1]"});
  const std::string name = unique_name("Nul");
  Response r =
      http().request("POST", "/api/v1/destinations", R"({"name":")" + name + R"(\u0000"})");
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "name")) << r.describe();
  EXPECT_EQ(http().get("/api/v1/destinations").body.find(name), std::string::npos);
}

TEST_F(InputLimits, APatchOverALimitChangesNothing) {
  json::object body = lead_body("Patch Limits", next_mobile());
  body["tripType"] = "beach";
  body["pax"] = 2;
  const json::object created = ingest(http(), body);
  const std::string path = "/api/v1/opportunities/" + str(created, "opportunity._id");
  const json::object before = get_opportunity(http(), str(created, "opportunity._id"));

  json::array tags;
  for (std::size_t i = 0; i <= limit_of("tags").max_entries; ++i)
    tags.emplace_back("t" + std::to_string(i));
  const std::vector<std::pair<json::object, std::vector<std::string>>> refused{
      // (Far over the field's limit, under the 64 KiB body limit of every route but intake.)
      {json::object{{"email", std::string(60'000, 'm') + "@example.com"}}, {"email"}},
      {json::object{{"tripType", std::string(limit_of("tripType").max_length + 1, 't')},
                    {"tags", tags},
                    {"name", "Fine Name"}},
       {"tripType", "tags"}},
      {json::object{{"alternatePhone",
                     json::object{{"countryCode", "+91"}, {"number", std::string(5000, '9')}}}},
       {"alternatePhone.number"}},
      {json::object{{"pax", "2-3"}}, {"pax"}},
      {json::object{{"pax", "nan"}}, {"pax"}},
      {json::object{{"pax", 1001}}, {"pax"}},
      {json::object{{"remarks", std::string("a\0b", 3)}}, {"remarks"}},
  };
  for (const auto& [patch, fields] : refused) {
    SCOPED_TRACE(json::serialize(patch).substr(0, 200));
    Response r = http().patch(path, patch);
    expect_problem(r, 422);
    for (const auto& f : fields) EXPECT_TRUE(contains(problem_fields(r), f)) << r.describe();
  }
  Response dup = http().request("PATCH", path, R"({"tripType":"a","tripType":"b"})");
  expect_problem(dup, 422);
  EXPECT_TRUE(contains(problem_fields(dup), "tripType")) << dup.describe();
  EXPECT_EQ(json::value(get_opportunity(http(), str(created, "opportunity._id"))),
            json::value(before))
      << "a refused PATCH changed the opportunity";

  Response fine = http().patch(path, json::object{{"pax", "4"}, {"tags", json::array{"a", "a"}}});
  ASSERT_EQ(fine.status, 200) << fine.describe();
  EXPECT_EQ(str(fine.json(), "pax"), "4");
  EXPECT_EQ(at(fine.json(), "tags"), (json::value(json::array{"a"})));
}

}  // namespace
}  // namespace leadproc::apitest
