// The pure half of `leadproc import`: Extended JSON (canonical and relaxed) to the plain wire
// shape, and the decoding of the spec's documents with every bad field named.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "import/documents.h"
#include "import/extended_json.h"

namespace leadproc::import {
namespace {

namespace json = boost::json;

json::value plain(std::string_view text, std::vector<FieldError>* errors_out = nullptr,
                  std::vector<FieldError>* warnings_out = nullptr) {
  std::vector<FieldError> errors;
  std::vector<FieldError> warnings;
  auto v = plain_value(json::parse(text), "", errors, warnings);
  if (warnings_out) *warnings_out = warnings;
  if (errors_out)
    *errors_out = errors;
  else
    EXPECT_TRUE(errors.empty()) << errors.front().field << ": " << errors.front().reason;
  return v;
}

TEST(ExtendedJson, CanonicalAndRelaxedValuesBecomePlain) {
  struct Case {
    const char* ejson;
    const char* plain;
  };
  const Case cases[] = {
      {R"({"a":{"$oid":"65A0000000000000000000Ab"}})", R"({"a":"65a0000000000000000000ab"})"},
      {R"({"a":{"$date":"2024-01-11T15:00:00Z"}})", R"({"a":"2024-01-11T15:00:00.000Z"})"},
      {R"({"a":{"$date":"2024-01-11T20:30:00.5+05:30"}})", R"({"a":"2024-01-11T15:00:00.500Z"})"},
      {R"({"a":{"$date":{"$numberLong":"1704985200000"}}})", R"({"a":"2024-01-11T15:00:00.000Z"})"},
      {R"({"a":{"$date":1704985200000}})", R"({"a":"2024-01-11T15:00:00.000Z"})"},
      {R"({"a":{"$date":{"$numberLong":"-86400000"}}})", R"({"a":"1969-12-31T00:00:00.000Z"})"},
      {R"({"a":{"$numberInt":"42"},"b":{"$numberLong":"-7"}})", R"({"a":42,"b":-7})"},
      {R"({"a":{"$numberDouble":"12.5"},"b":{"$numberDouble":"3.0"}})", R"({"a":1.25E1,"b":3})"},
      {R"({"a":{"$numberDecimal":"0.25"}})", R"({"a":2.5E-1})"},
      {R"({"a":[{"$oid":"65a000000000000000000001"},{"b":{"$numberInt":"1"}}]})",
       R"({"a":["65a000000000000000000001",{"b":1}]})"},
      // Types leadproc does not read stay as they are (the decoder names a field holding one).
      {R"({"a":{"$binary":{"base64":"AA==","subType":"00"}}})",
       R"({"a":{"$binary":{"base64":"AA==","subType":"00"}}})"},
      {R"({"a":{"$date":"x","extra":1}})", R"({"a":{"$date":"x","extra":1}})"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(json::serialize(plain(c.ejson)), json::serialize(json::parse(c.plain))) << c.ejson;
}

TEST(ExtendedJson, MalformedWrappersAreNamedByPath) {
  std::vector<FieldError> errors;
  auto v = plain(R"({"_id":{"$oid":"nope"},"x":{"y":[1,{"$date":"yesterday"}]},)"
                 R"("n":{"$numberInt":"4x"},"d":{"$numberDouble":"one"}})",
                 &errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "_id");
  EXPECT_EQ(errors[1].field, "x.y[1]");
  EXPECT_EQ(errors[2].field, "n");
  EXPECT_EQ(errors[3].field, "d");
  EXPECT_TRUE(v.at("_id").is_null());
}

// NaN and the infinities are numbers MongoDB holds and JSON cannot: null with a warning naming
// the field, so that a document holding one in a field leadproc ignores is still imported.
TEST(ExtendedJson, NonFiniteNumbersBecomeNullWithAWarning) {
  std::vector<FieldError> errors;
  std::vector<FieldError> warnings;
  auto v = plain(R"({"d":{"$numberDouble":"NaN"},"e":{"x":[{"$numberDouble":"-Infinity"}]},)"
                 R"("f":{"$numberDecimal":"Infinity"},"g":{"$numberDouble":"2.5"}})",
                 &errors, &warnings);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0].field, "d");
  EXPECT_EQ(warnings[1].field, "e.x[0]");
  EXPECT_EQ(warnings[2].field, "f");
  EXPECT_NE(warnings[0].reason.find("NaN"), std::string::npos);
  EXPECT_TRUE(v.at("d").is_null());
  EXPECT_TRUE(v.at("e").at("x").at(0).is_null());
  EXPECT_TRUE(v.at("f").is_null());
  EXPECT_EQ(v.at("g").as_double(), 2.5);
}

TEST(ImportDocuments, FilesNameTheirCollections) {
  EXPECT_EQ(collection_of_file("leads.bson"), Collection::kLeads);
  EXPECT_EQ(collection_of_file("rawopportunities.json"), Collection::kOpportunities);
  EXPECT_EQ(collection_of_file("opportunityscoreconfigurations.json"), Collection::kScoreConfigs);
  EXPECT_EQ(collection_of_file("opportunityfollowups.bson"), Collection::kFollowUps);
  EXPECT_EQ(collection_of_file("leads.metadata.json"), std::nullopt);
  EXPECT_EQ(collection_of_file("sessions.bson"), std::nullopt);
  EXPECT_EQ(collection_of_file("leads.bson.gz"), std::nullopt);
  // Import order: what is referenced comes first.
  std::vector<Collection> order;
  for (const auto& c : collections()) order.push_back(c.collection);
  auto before = [&](Collection a, Collection b) {
    return std::find(order.begin(), order.end(), a) < std::find(order.begin(), order.end(), b);
  };
  EXPECT_TRUE(before(Collection::kUsers, Collection::kAvailabilities));
  EXPECT_TRUE(before(Collection::kDestinations, Collection::kProcessMaps));
  EXPECT_TRUE(before(Collection::kLeads, Collection::kOpportunities));
  EXPECT_TRUE(before(Collection::kOpportunities, Collection::kActivities));
  EXPECT_TRUE(before(Collection::kOpportunities, Collection::kFollowUps));
}

std::vector<std::string> bad_fields(Collection c, std::string_view doc) {
  auto d = decode(c, plain(doc).as_object());
  std::vector<std::string> out;
  if (!d)
    for (const auto& f : d.error().fields) out.push_back(f.field);
  return out;
}

TEST(ImportDocuments, EveryBadFieldIsNamed) {
  EXPECT_EQ(bad_fields(Collection::kAvailabilities,
                       R"({"_id":{"$oid":"65a000000000000000000061"},"process":"PSV",)"
                       R"("source":["WEBSITE","fax"],"destinations":[{"name":"Goa"}]})"),
            (std::vector<std::string>{"personId", "source[1]", "destinations[0]._id"}));
  EXPECT_EQ(bad_fields(Collection::kFollowUps,
                       R"({"_id":{"$oid":"65a0000000000000000000a1"},"oppId":"x",)"
                       R"("stage":"fresh_lead","count":0})"),
            (std::vector<std::string>{"oppId", "count", "status"}));
  EXPECT_EQ(bad_fields(Collection::kProcessMaps,
                       R"({"_id":{"$oid":"65a000000000000000000051"},"process":"PSV",)"
                       R"("destinations":[{"_id":"65a000000000000000000011","loadShare":120}]})"),
            (std::vector<std::string>{"destinations[0].loadShare"}));
  EXPECT_EQ(bad_fields(Collection::kNotes, R"({"oppId":{"$oid":"65a000000000000000000031"}})"),
            (std::vector<std::string>{"_id", "note"}));
  EXPECT_EQ(bad_fields(Collection::kOpportunities,
                       R"({"_id":{"$oid":"65a000000000000000000031"},"name":"A","number":"1",)"
                       R"("status":"Open","leadSource":{"platform":"fax"},"pax":true,)"
                       R"("crmStageMeta":{"stage":"done"}})"),
            (std::vector<std::string>{"leadSource.platform", "crmStageMeta.stage", "pax"}));
}

TEST(ImportDocuments, ProcessMapListsADestinationOnce) {
  auto d =
      decode(Collection::kProcessMaps,
             plain(R"({"_id":{"$oid":"65a000000000000000000051"},"process":"PSV",)"
                   R"("destinations":[{"_id":{"$oid":"65a000000000000000000011"},"loadShare":50},)"
                   R"({"_id":{"$oid":"65a000000000000000000012"},"loadShare":50},)"
                   R"({"_id":{"$oid":"65A000000000000000000011"},"loadShare":10}]})")
                 .as_object());
  ASSERT_FALSE(d.ok());
  ASSERT_EQ(d.error().fields.size(), 1u);
  EXPECT_EQ(d.error().fields[0].field, "destinations[2]._id");
  EXPECT_NE(d.error().fields[0].reason.find("destinations[0]"), std::string::npos);
}

// What the codec would drop or change is kept, or named in a warning or a rejection: never lost
// without a word.
TEST(ImportDocuments, LeadFieldsAreKeptOrNamed) {
  auto d = decode(Collection::kLeads,
                  plain(R"({"_id":{"$oid":"65a000000000000000000021"},"name":"A","number":"1",)"
                        R"("campaignId":1234567890123,"adid":{"$numberLong":"120200000000000001"},)"
                        R"("utmSource":"google","eventTime":{"$numberLong":"9007199254740993"}})")
                      .as_object());
  ASSERT_TRUE(d.ok()) << d.error().detail;
  const Lead& l = std::get<Lead>(d->record);
  EXPECT_EQ(l.attribution.at("campaignId"), "1234567890123");
  EXPECT_EQ(l.attribution.at("adid"), "120200000000000001");
  EXPECT_EQ(l.attribution.at("utmSource"), "google");
  EXPECT_EQ(l.event_time, 9007199254740993);  // 2^53 + 1: not through a double
  auto said = [&](std::string_view what) {
    return std::any_of(d->warnings.begin(), d->warnings.end(),
                       [&](const std::string& w) { return w.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(said("campaignId"));
  EXPECT_TRUE(said("adid"));
  EXPECT_TRUE(said("leadSource is missing"));
  EXPECT_EQ(d->warnings.size(), 3u);
  // A type that has no text (BSON Binary, an object, a boolean) is a bad field.
  EXPECT_EQ(bad_fields(Collection::kLeads,
                       R"({"_id":{"$oid":"65a000000000000000000021"},"name":"A","number":"1",)"
                       R"("leadSource":{"platform":"website"},)"
                       R"("utmSource":{"$binary":{"base64":"AAEC","subType":"00"}},"fbc":true})"),
            (std::vector<std::string>{"utmSource", "fbc"}));
}

TEST(ImportDocuments, OpportunityFieldsAreKeptOrNamed) {
  auto d = decode(Collection::kOpportunities,
                  plain(R"({"_id":{"$oid":"65a000000000000000000031"},"name":"A","number":"1",)"
                        R"("status":"Open","leadSource":{"platform":"website"},"gclid":42,)"
                        R"("assignedWest":{"_id":{"$oid":"65a000000000000000000003"},"name":"W",)"
                        R"("wabaNumber":919999999999,"sheetName":"S"},)"
                        R"("crmStageMeta":{"followupCount":1}})")
                      .as_object());
  ASSERT_TRUE(d.ok()) << d.error().detail;
  const Opportunity& o = std::get<Opportunity>(d->record);
  ASSERT_TRUE(o.assigned_west.has_value());
  EXPECT_EQ(o.assigned_west->waba_number, "919999999999");
  EXPECT_EQ(o.attribution.at("gclid"), "42");
  ASSERT_EQ(d->warnings.size(), 3u);
  EXPECT_NE(d->warnings[0].find("gclid"), std::string::npos);
  EXPECT_NE(d->warnings[1].find("assignedWest.wabaNumber"), std::string::npos);
  EXPECT_NE(d->warnings[2].find("crmStageMeta.stage"), std::string::npos);
  EXPECT_EQ(bad_fields(Collection::kOpportunities,
                       R"({"_id":{"$oid":"65a000000000000000000031"},"name":"A","number":"1",)"
                       R"("status":"Open","leadSource":{"platform":"website"},)"
                       R"("assignedWest":{"_id":{"$oid":"65a000000000000000000003"},)"
                       R"("wabaNumber":{"n":1},"sheetName":7}})"),
            (std::vector<std::string>{"assignedWest.wabaNumber", "assignedWest.sheetName"}));
}

// The size limits of domain/field_limits.h, as intake and PATCH apply them: a document over one
// is rejected naming the field (it would otherwise be stored whole and shown in every list).
TEST(ImportDocuments, FieldsOverTheirSizeLimitAreNamed) {
  auto lead = [](const std::string& email, const std::string& form, const std::string& utm) {
    return R"({"_id":{"$oid":"65a000000000000000000021"},"name":"A","number":"1",)"
           R"("leadSource":{"platform":"website"},"email":")" +
           email + R"(","sourceMeta":{"formName":")" + form + R"("},"utmSource":")" + utm + R"("})";
  };
  const std::string email = std::string(242, 'e') + "@example.com";  // 254 characters
  EXPECT_EQ(
      bad_fields(Collection::kLeads, lead(email, std::string(200, 'f'), std::string(500, 'u'))),
      std::vector<std::string>{});
  EXPECT_EQ(bad_fields(Collection::kLeads,
                       lead("e" + email, std::string(201, 'f'), std::string(501, 'u'))),
            (std::vector<std::string>{"email", "sourceMeta.formName", "utmSource"}));

  json::array tags;
  for (int i = 0; i < 51; ++i) tags.emplace_back("t");
  const std::string opp =
      R"({"_id":{"$oid":"65a000000000000000000031"},"name":"A","number":"1","status":"Open",)"
      R"("leadSource":{"platform":"website"},"tags":)" +
      json::serialize(tags) +
      R"(,"destination":{"_id":{"$oid":"65a000000000000000000011"},"name":")" +
      std::string(201, 'd') + R"("},"crmStageMeta":{"stage":"followup","reassignedRemarks":")" +
      std::string(2001, 'r') + R"("}})";
  auto d = decode(Collection::kOpportunities, plain(opp).as_object());
  ASSERT_FALSE(d.ok());
  std::vector<std::string> named;
  for (const auto& f : d.error().fields) named.push_back(f.field + ": " + f.reason);
  EXPECT_EQ(named, (std::vector<std::string>{
                       "destination.name: must be at most 200 characters",
                       "tags: must have at most 50 entries",
                       "crmStageMeta.reassignedRemarks: must be at most 2000 characters"}));
}

// PostgreSQL cannot store U+0000 and SQLite can: an import gives the same records on both.
TEST(ImportDocuments, NulCharactersAreNamedInEveryCollection) {
  EXPECT_EQ(bad_fields(Collection::kUsers,
                       R"({"_id":{"$oid":"65a000000000000000000001"},"email":"a@b.c",)"
                       R"("department":"ADMIN","firstName":"A\u0000"})"),
            std::vector<std::string>{"firstName"});
  EXPECT_EQ(bad_fields(Collection::kLeads,
                       R"({"_id":{"$oid":"65a000000000000000000021"},"name":"A","number":"1",)"
                       R"("leadSource":{"platform":"website"},"sourceMeta":{"fromId":"\u0000"}})"),
            std::vector<std::string>{"sourceMeta.fromId"});
  EXPECT_EQ(bad_fields(Collection::kNotes,
                       R"({"_id":{"$oid":"65a000000000000000000091"},)"
                       R"("oppId":{"$oid":"65a000000000000000000031"},"note":"x\u0000y"})"),
            std::vector<std::string>{"note"});
}

// strtod reads "nan" and "inf"; a lead's pax must be a number JSON can hold.
TEST(ImportDocuments, LeadPaxTextMustBeAFiniteNumber) {
  for (const char* pax : {"nan", "inf", "-infinity", "2-3"})
    EXPECT_EQ(bad_fields(Collection::kLeads,
                         R"({"_id":{"$oid":"65a000000000000000000021"},"name":"A","number":"1",)"
                         R"("leadSource":{"platform":"website"},"pax":")" +
                             std::string(pax) + R"("})"),
              std::vector<std::string>{"pax"})
        << pax;
}

TEST(ImportDocuments, UserKeepsOnlyBcryptHashes) {
  auto kept = decode(Collection::kUsers,
                     plain(R"({"_id":{"$oid":"65a000000000000000000001"},"email":"a@b.c",)"
                           R"("department":"SALES","credentials":)"
                           R"("$2a$04$/AvDaTHLZiXAnabSYE79JOZArZi.GiVyPkL6Dx2Vq6.f7F7yh7T3."})")
                         .as_object());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(std::get<User>(kept->record).credentials.substr(0, 4), "$2a$");
  EXPECT_TRUE(kept->warnings.empty());
  auto dropped = decode(Collection::kUsers,
                        plain(R"({"_id":{"$oid":"65a000000000000000000001"},"email":"a@b.c",)"
                              R"("department":"SALES","credentials":"plain-text"})")
                            .as_object());
  ASSERT_TRUE(dropped.ok());
  EXPECT_TRUE(std::get<User>(dropped->record).credentials.empty());
  EXPECT_EQ(dropped->warnings.size(), 1u);
  // createdAt defaults to the time the ObjectId holds.
  EXPECT_EQ(std::get<User>(dropped->record).created_at,
            Timestamp{std::chrono::seconds{0x65a00000}});
}

}  // namespace
}  // namespace leadproc::import
