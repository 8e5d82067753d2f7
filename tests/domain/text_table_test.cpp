// TextTable (src/domain/text_table.h): each text once, numbered in the order added, and the
// numbers' texts valid however many are added after them or wherever the table is moved.
#include "domain/text_table.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace leadproc {
namespace {

TEST(TextTable, NumbersEachTextOnceInTheOrderAdded) {
  TextTable t;
  EXPECT_EQ(t.index_of("InPSV"), 0u);
  EXPECT_EQ(t.index_of("PSVFreshLead"), 1u);
  EXPECT_EQ(t.index_of("InPSV"), 0u);
  EXPECT_EQ(t.index_of(""), 2u);  // "" is a text like any other (a stage of none)
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.text(1), "PSVFreshLead");
  EXPECT_EQ(t.text(2), "");
}

TEST(TextTable, TextsStayValidAsMoreAreAddedAndWhenMoved) {
  TextTable t;
  // Long texts (not stored inside the string object) and short ones, many times more than a
  // deque block holds.
  for (int i = 0; i < 5000; ++i) {
    const std::string text = (i % 2 ? "65a1b2c3d4e5f6071829" : "s") + std::to_string(i);
    ASSERT_EQ(t.index_of(text), static_cast<TextTable::Index>(i));
  }
  const std::string& first = t.text(0);
  TextTable moved = std::move(t);
  EXPECT_EQ(&moved.text(0), &first);
  for (int i = 0; i < 5000; ++i) {
    const std::string text = (i % 2 ? "65a1b2c3d4e5f6071829" : "s") + std::to_string(i);
    ASSERT_EQ(moved.index_of(text), static_cast<TextTable::Index>(i)) << text;
    ASSERT_EQ(moved.text(static_cast<TextTable::Index>(i)), text);
  }
  EXPECT_EQ(moved.index_of("new"), 5000u);
}

}  // namespace
}  // namespace leadproc
