// mongodump's BSON read straight into Extended JSON (import/file_sources.cpp): every type the
// old system's documents hold must come out as libbson's own relaxed rendering reads, once
// turned into the plain values the decoder sees, so that the fast path changes no record. Types
// it does not build (binary, regex...) and text that is not UTF-8 go through libbson as before.
#include <bson/bson.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "import/extended_json.h"
#include "import/file_sources.h"

namespace leadproc {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// The plain value of `v` and the paths plain_value reported, in one comparable text.
std::string plain(const json::value& v) {
  std::vector<FieldError> errors;
  std::vector<FieldError> warnings;
  std::string out = json::serialize(import::plain_value(v, "", errors, warnings));
  for (const auto& e : errors) out += " error " + e.field + ": " + e.reason;
  for (const auto& w : warnings) out += " warning " + w.field + ": " + w.reason;
  return out;
}

// What libbson renders for `doc`, parsed: the path every BSON document took before.
std::string rendered_by_libbson(const bson_t* doc) {
  std::size_t len = 0;
  char* text = bson_as_relaxed_extended_json(doc, &len);
  json::value v = json::parse(json::string_view(text, len));
  bson_free(text);
  return plain(v);
}

// Writes `docs` as a .bson file and reads them back through open_file().
std::vector<Result<json::object>> read_back(const std::vector<bson_t*>& docs) {
  fs::path dir = fs::temp_directory_path() / ("leadproc-bson-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "leads.bson";
  {
    std::ofstream out(file, std::ios::binary);
    for (const bson_t* d : docs) out.write(reinterpret_cast<const char*>(bson_get_data(d)), d->len);
  }
  std::vector<Result<json::object>> got;
  auto source = import::open_file(file);
  EXPECT_TRUE(source);
  while (auto doc = (*source)->next()) got.push_back(std::move(doc->document));
  fs::remove_all(dir);
  return got;
}

TEST(BsonSource, EveryTypeOfTheDumpReadsAsLibbsonRendersIt) {
  bson_t* doc = bson_new();
  bson_oid_t oid;
  bson_oid_init_from_string(&oid, "65a000000000000000000021");
  BSON_APPEND_OID(doc, "_id", &oid);
  BSON_APPEND_UTF8(doc, "name", "Anil Mehta — Goa ✈");
  BSON_APPEND_INT32(doc, "pax", 2);
  BSON_APPEND_INT64(doc, "leadCount", 9'000'000'000LL);
  BSON_APPEND_DOUBLE(doc, "score", 12.5);
  BSON_APPEND_DOUBLE(doc, "whole", 3.0);
  BSON_APPEND_DOUBLE(doc, "nan", std::nan(""));
  BSON_APPEND_DOUBLE(doc, "inf", -INFINITY);
  BSON_APPEND_BOOL(doc, "isPushed", true);
  BSON_APPEND_NULL(doc, "previousValue");
  BSON_APPEND_DATE_TIME(doc, "createdAt", 1704985200123LL);
  BSON_APPEND_DATE_TIME(doc, "before1970", -86'400'000LL);
  BSON_APPEND_DATE_TIME(doc, "after9999", 253'402'300'800'000LL);
  bson_decimal128_t dec;
  bson_decimal128_from_string("2.50", &dec);
  BSON_APPEND_DECIMAL128(doc, "amount", &dec);
  BSON_APPEND_SYMBOL(doc, "sym", "x");
  bson_t child;
  BSON_APPEND_DOCUMENT_BEGIN(doc, "destination", &child);
  BSON_APPEND_OID(&child, "_id", &oid);
  BSON_APPEND_UTF8(&child, "name", "Goa");
  bson_append_document_end(doc, &child);
  BSON_APPEND_ARRAY_BEGIN(doc, "tags", &child);
  BSON_APPEND_UTF8(&child, "0", "visa");
  BSON_APPEND_INT32(&child, "1", 7);
  bson_append_array_end(doc, &child);

  bson_t* binary = bson_new();  // not built directly: libbson renders it, as before
  BSON_APPEND_OID(binary, "_id", &oid);
  const std::uint8_t bytes[] = {1, 2, 3};
  BSON_APPEND_BINARY(binary, "photo", BSON_SUBTYPE_BINARY, bytes, 3);

  auto got = read_back({doc, binary});
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(got[0]) << got[0].error().detail;
  EXPECT_EQ(plain(*got[0]), rendered_by_libbson(doc));
  ASSERT_TRUE(got[1]) << got[1].error().detail;
  EXPECT_EQ(plain(*got[1]), rendered_by_libbson(binary));
  bson_destroy(doc);
  bson_destroy(binary);
}

TEST(BsonSource, TextThatIsNotUtf8IsRejectedAsBefore) {
  bson_t* doc = bson_new();
  const char bad[] = {'A', static_cast<char>(0xff), 'B', 0};
  bson_append_utf8(doc, "name", -1, bad, 3);  // libbson does not check what it is given
  auto got = read_back({doc});
  ASSERT_EQ(got.size(), 1u);
  ASSERT_FALSE(got[0]);
  EXPECT_NE(got[0].error().fields.at(0).reason.find("UTF-8"), std::string::npos);
  bson_destroy(doc);
}

}  // namespace
}  // namespace leadproc
