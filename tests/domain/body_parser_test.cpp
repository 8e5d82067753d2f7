// codec::parse_object, the parser of every JSON request body: what json::parse accepts, less
// repeated keys (json::parse keeps the last one silently) and NUL characters (PostgreSQL cannot
// store them, SQLite can), each named by its path.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "codec/field_reader.h"

namespace leadproc::codec {
namespace {
namespace json = boost::json;

std::vector<std::string> fields_of(const Result<json::object>& r) {
  std::vector<std::string> out;
  if (!r) {
    for (const auto& f : r.error().fields) out.push_back(f.field);
  }
  return out;
}

TEST(ParseObject, ReadsWhatJsonParseReads) {
  for (const char* body : {R"({})", R"({"a":1,"b":[1,2.5,-3,true,null,"x"],"c":{"d":{"e":"f"}}})",
                           R"({"big":18446744073709551615,"neg":-9223372036854775808,"e":2.5E-1})",
                           R"( {"s":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"} )",
                           R"({"a":[{"k":1},{"k":2}],"b":[[{"k":1}],[{"k":1}]]})"}) {
    auto parsed = parse_object(body);
    ASSERT_TRUE(parsed) << body << ": " << parsed.error().detail;
    EXPECT_EQ(json::value(*parsed), json::parse(body)) << body;
  }
}

TEST(ParseObject, ALongStringWithEscapesSplitInPartsReadsWhole) {
  // Long strings with escapes reach the handler in parts (on_string_part).
  std::string text;
  for (int i = 0; i < 20000; ++i) text += (i % 7 == 0) ? "\\n" : "ab";
  const std::string body = R"({"long":")" + text + R"(","k)" + text + R"(":1})";
  auto parsed = parse_object(body);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ(json::value(*parsed), json::parse(body));
}

TEST(ParseObject, MalformedOrNotAnObjectNamesTheBody) {
  for (const char* body : {"", "{", R"({"a":1}})", R"({"a":1} x)", "[]", "42", "null",
                           R"({"a":01})", R"({"a":"\u0"})", "{\"a\":\"\xff\"}"}) {
    auto parsed = parse_object(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
    EXPECT_EQ(fields_of(parsed), std::vector<std::string>{"body"}) << body;
  }
}

TEST(ParseObject, ARepeatedKeyIsNamedByItsPath) {
  EXPECT_EQ(fields_of(parse_object(R"({"pax":2,"name":"A","pax":900})")),
            std::vector<std::string>{"pax"});
  EXPECT_EQ(
      fields_of(parse_object(R"({"leadSource":{"platform":"website","platform":"instagram"}})")),
      std::vector<std::string>{"leadSource.platform"});
  EXPECT_EQ(fields_of(parse_object(R"({"d":[{"a":1},{"_id":1,"b":2,"_id":3}]})")),
            std::vector<std::string>{"d[1]._id"});
  EXPECT_EQ(fields_of(parse_object(R"({"a":1,"a":2,"a":3})")),
            (std::vector<std::string>{"a", "a"}));
  // Equal keys in different objects, or written differently, are not repeats.
  EXPECT_TRUE(parse_object(R"({"a":{"a":1},"b":{"a":1},"c":[{"a":1},{"a":2}]})"));
  EXPECT_TRUE(parse_object(R"({"a":1,"A":2,"a ":3})"));
  // Escapes are read before comparing: "\u0061" is "a".
  EXPECT_EQ(fields_of(parse_object(R"({"a":1,"\u0061":2})")), std::vector<std::string>{"a"});
}

TEST(ParseObject, ANulCharacterIsNamedByItsPath) {
  auto parsed = parse_object(R"({"name":"A\u0000B","sourceMeta":{"formName":"\u0000"},)"
                             R"("tags":["ok","x\u0000"],"n":0,"ok":"A\u0001B"})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(fields_of(parsed),
            (std::vector<std::string>{"name", "sourceMeta.formName", "tags[1]"}));
  EXPECT_NE(parsed.error().fields[0].reason.find("NUL"), std::string::npos);
  // In a key too.
  EXPECT_EQ(fields_of(parse_object(R"({"a\u0000b":1})")).size(), 1u);
}

TEST(ParseObject, ThousandsOfRepeatsAreNamedFiftyAtATime) {
  std::string body = "{";
  for (int i = 0; i < 20000; ++i) body += std::string(i ? "," : "") + R"("k":1)";
  body += "}";
  auto parsed = parse_object(body);
  ASSERT_FALSE(parsed);
  ASSERT_EQ(parsed.error().fields.size(), 51u);
  EXPECT_EQ(parsed.error().fields.back().field, "body");
}

TEST(ParseObject, ManyDistinctKeysAreRead) {
  std::string body = "{";
  for (int i = 0; i < 50000; ++i) body += (i ? ",\"" : "\"") + std::to_string(i) + "\":1";
  body += "}";
  auto parsed = parse_object(body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->size(), 50000u);
}

}  // namespace
}  // namespace leadproc::codec
