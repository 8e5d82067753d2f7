// The size limits of lead and opportunity fields (domain/field_limits.h): how a text and a list
// are measured, the strict `pax` rule, and that docs/api.md prints the table as the code has it.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/attribution.h"
#include "domain/field_limits.h"

namespace leadproc {
namespace {

TEST(FieldLimits, TextsAreMeasuredInCharactersNotBytes) {
  const FieldLimit& name = limit_of("name");
  std::vector<FieldError> errors;
  std::string accented;
  for (std::size_t i = 0; i < name.max_length; ++i) accented += "\xC3\xA9";  // é: 2 bytes
  EXPECT_TRUE(within_limit(name, accented, errors)) << "200 characters in 400 bytes";
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(within_limit(name, accented + "e", errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[0].reason, "must be at most 200 characters");
}

TEST(FieldLimits, ListsAreLimitedInEntriesAndEachEntry) {
  const FieldLimit& tags = limit_of("tags");
  std::vector<FieldError> errors;
  std::vector<std::string> many(tags.max_entries + 1, "t");
  EXPECT_FALSE(within_limit(tags, many, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "tags");
  EXPECT_EQ(errors[0].reason, "must have at most 50 entries");

  errors.clear();
  std::vector<std::string> some{"ok", std::string(tags.max_length + 1, 'x'), "ok",
                                std::string(tags.max_length, 'x')};
  EXPECT_FALSE(within_limit(tags, some, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "tags[1]");
  some.erase(some.begin() + 1);
  errors.clear();
  EXPECT_TRUE(within_limit(tags, some, errors));
}

TEST(FieldLimits, AnErrorMayNameTheFieldAsTheRequestCallsIt) {
  std::vector<FieldError> errors;
  within_limit(limit_of("crmStageMeta.reassignedRemarks"), std::string(2001, 'r'), errors,
               "remarks");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "remarks");
}

TEST(FieldLimits, EveryFieldHasOneRowAndEveryAttributionFieldARow) {
  for (const auto& limit : kFieldLimits) {
    EXPECT_EQ(find_field_limit(limit.field), &limit) << limit.field << " has two rows";
    EXPECT_GT(limit.max_length, 0u) << limit.field;
  }
  for (auto field : kAttributionFields) EXPECT_NE(find_field_limit(field), nullptr) << field;
  EXPECT_EQ(find_field_limit("nosuchfield"), nullptr);
}

TEST(Pax, AWholeNumberFrom0To1000AsDigitsOrANumber) {
  EXPECT_EQ(pax_from_text("3"), 3);
  EXPECT_EQ(pax_from_text("0"), 0);
  EXPECT_EQ(pax_from_text("1000"), 1000);
  for (const char* bad : {"", "nan", "NaN", "inf", "2-3", "-1", "+3", " 3", "3 ", "3.0", "1e2",
                          "1001", "0x10", "99999", "٣"})
    EXPECT_EQ(pax_from_text(bad), std::nullopt) << '"' << bad << '"';

  EXPECT_EQ(pax_from_number(3), 3);
  EXPECT_EQ(pax_from_number(3.0), 3);
  EXPECT_EQ(pax_from_number(0), 0);
  EXPECT_EQ(pax_from_number(1000), 1000);
  for (double bad : {-1.0, 1001.0, 2.5, 1e300, -1e300, std::nan(""), HUGE_VAL, -HUGE_VAL})
    EXPECT_EQ(pax_from_number(bad), std::nullopt) << bad;
}

// docs/api.md "Field limits" is the table

std::string limit_text(const FieldLimit& l) {
  if (l.max_entries == 0) return std::to_string(l.max_length) + " characters";
  return std::to_string(l.max_entries) + " entries of at most " + std::to_string(l.max_length) +
         " characters";
}

// The rows docs/api.md shows: consecutive fields of equal limits share a row.
std::string rows_of_the_table() {
  std::string out = "| fields | at most |\n|---|---|\n";
  std::string fields;
  for (std::size_t i = 0; i < std::size(kFieldLimits); ++i) {
    const FieldLimit& l = kFieldLimits[i];
    fields += (fields.empty() ? "" : ", ") + ("`" + std::string(l.field) + "`");
    const bool last = i + 1 == std::size(kFieldLimits);
    if (last || limit_text(kFieldLimits[i + 1]) != limit_text(l)) {
      out += "| " + fields + " | " + limit_text(l) + " |\n";
      fields.clear();
    }
  }
  return out;
}

TEST(FieldLimits, DocsApiShowsTheTableAsTheCodeHasIt) {
  std::ifstream file(std::string(LEADPROC_TESTS_DIR) + "/../docs/api.md");
  ASSERT_TRUE(file) << "cannot read docs/api.md";
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- field-limits: begin -->\n";
  const std::string end = "<!-- field-limits: end -->";
  const auto from = doc.find(begin);
  const auto to = doc.find(end);
  ASSERT_NE(from, std::string::npos) << "docs/api.md has no " << begin;
  ASSERT_NE(to, std::string::npos) << "docs/api.md has no " << end;
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), rows_of_the_table())
      << "docs/api.md's field limits differ from kFieldLimits; the rows it should have are "
         "above (Expected)";
}

}  // namespace
}  // namespace leadproc
