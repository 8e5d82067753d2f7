// The shared text helpers (domain/text.h): ASCII-only on purpose, whatever the machine's locale.
#include <gtest/gtest.h>

#include "domain/text.h"

namespace leadproc {
namespace {

TEST(Text, LowerAsciiLeavesEveryOtherByteAlone) {
  EXPECT_EQ(lower_ascii("Asha.RAO@Example.COM"), "asha.rao@example.com");
  // UTF-8 bytes are never touched (a locale-aware tolower could change 0xC9 in Latin-1 locales).
  EXPECT_EQ(lower_ascii("ÉCOLE Müller"), "École müller");
  EXPECT_EQ(lower_ascii(""), "");
}

TEST(Text, TrimRemovesAsciiWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trim(" \t\r\n goa beach \v\f"), "goa beach");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // a no-break space is not ASCII
}

TEST(Text, JoinPutsTheSeparatorBetweenItems) {
  EXPECT_EQ(join(std::vector<std::string_view>{"PSV", "WEST", "NO-FILTER"}),
            "PSV, WEST, NO-FILTER");
  EXPECT_EQ(join(std::vector<std::string>{"a"}, " | "), "a");
  EXPECT_EQ(join(std::vector<std::string>{}), "");
  EXPECT_EQ(join(std::vector<std::string>{"", ""}, "/"), "/");
}

}  // namespace
}  // namespace leadproc
