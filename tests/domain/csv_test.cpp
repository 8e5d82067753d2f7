// CSV fields as RFC 4180 and spreadsheets need them (codec/csv.h).
#include <gtest/gtest.h>

#include "codec/csv.h"

namespace leadproc::codec {
namespace {

TEST(Csv, PlainFieldsAreWrittenAsTheyAre) {
  EXPECT_EQ(csv_field("Asha Rao"), "Asha Rao");
  EXPECT_EQ(csv_field("आशा राव"), "आशा राव");
  EXPECT_EQ(csv_field(""), "");
}

TEST(Csv, CommasQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_field("Rao, Asha"), "\"Rao, Asha\"");
  EXPECT_EQ(csv_field("the \"best\" trip"), "\"the \"\"best\"\" trip\"");
  EXPECT_EQ(csv_field("line 1\nline 2"), "\"line 1\nline 2\"");
}

TEST(Csv, FormulasAreTurnedIntoText) {
  EXPECT_EQ(csv_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_field("+919820022222"), "'+919820022222");
  EXPECT_EQ(csv_field("-2"), "'-2");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("=HYPERLINK(\"a\",\"b\")"), "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"");
  EXPECT_EQ(csv_field("a=b"), "a=b");  // only a leading sign is a formula
}

TEST(Csv, RowsEndWithCrLf) {
  std::string out;
  append_csv_row(out, {"id", "name"});
  append_csv_row(out, {"1", "Rao, Asha"});
  EXPECT_EQ(out, "id,name\r\n1,\"Rao, Asha\"\r\n");
}

}  // namespace
}  // namespace leadproc::codec
