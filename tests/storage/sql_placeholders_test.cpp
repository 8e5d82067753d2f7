// The shared SQL layer's one placeholder rewrite (storage/sql/placeholders.h): the PostgreSQL
// adapter prepares shared SQL through it, so a wrong rewrite would bind values to the wrong
// parameters or break a quoted string.
#include "storage/sql/placeholders.h"

#include <gtest/gtest.h>

namespace leadproc::sql {
namespace {

TEST(SqlPlaceholders, NumberedParametersBecomeDollarParameters) {
  EXPECT_EQ(dollar_placeholders("SELECT a FROM t WHERE (?1 IS NULL OR b = ?1) AND c = ?12"),
            "SELECT a FROM t WHERE ($1 IS NULL OR b = $1) AND c = $12");
}

TEST(SqlPlaceholders, QuotedTextAndBareQuestionMarksStayAsWritten) {
  EXPECT_EQ(dollar_placeholders("SELECT '?1', \"?2\", 'it''s ?3', doc ? 'key' FROM t WHERE a = ?4"),
            "SELECT '?1', \"?2\", 'it''s ?3', doc ? 'key' FROM t WHERE a = $4");
}

TEST(SqlPlaceholders, TheHighestNumberIsHowManyParametersTheStatementTakes) {
  int highest = -1;
  dollar_placeholders("DELETE FROM t WHERE (?1 IS NULL OR a = ?1) AND (?2 IS NULL OR b = ?2)",
                      &highest);
  EXPECT_EQ(highest, 2);
  dollar_placeholders("SELECT a FROM t WHERE b = $3 AND c = '?9'", &highest);
  EXPECT_EQ(highest, 3);
  dollar_placeholders("SELECT 1", &highest);
  EXPECT_EQ(highest, 0);
}

TEST(SqlPlaceholders, TextWithoutPlaceholdersIsUnchanged) {
  EXPECT_EQ(dollar_placeholders("UPDATE t SET a = $1 WHERE id = $2"),
            "UPDATE t SET a = $1 WHERE id = $2");
  EXPECT_EQ(dollar_placeholders("SELECT 1?"), "SELECT 1?");
}

}  // namespace
}  // namespace leadproc::sql
