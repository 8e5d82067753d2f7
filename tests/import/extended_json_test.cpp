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

json::value plain(std::string_view text, std::vector<FieldError>* errors_out = nullptr) {
  std::vector<FieldError> errors;
  auto v = plain_value(json::parse(text), "", errors);
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
                 R"("n":{"$numberInt":"4x"},"d":{"$numberDouble":"NaN"}})",
                 &errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "_id");
  EXPECT_EQ(errors[1].field, "x.y[1]");
  EXPECT_EQ(errors[2].field, "n");
  EXPECT_EQ(errors[3].field, "d");
  EXPECT_TRUE(v.at("_id").is_null());
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
