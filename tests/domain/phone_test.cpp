#include "phone/phone_normalizer.h"

#include <gtest/gtest.h>

namespace leadproc {
namespace {

TEST(Phone, FormatsOfOneNumberAreOneNumber) {
  PhoneNormalizer phones("IN");
  const char* inputs[] = {"+91 98765 43210", "098765-43210",      "9876543210",
                          "+919876543210",   "(+91) 98765-43210", "0091 98765 43210"};
  for (const char* in : inputs) EXPECT_EQ(phones.to_e164(in), "+919876543210") << in;
}

TEST(Phone, TableOfInputs) {
  PhoneNormalizer phones("IN");
  struct Case {
    const char* in;
    std::optional<std::string> e164;
  };
  const Case cases[] = {
      {"+971 50 123 4567", "+971501234567"},  // a UAE mobile keeps its country
      {"+1 (415) 555-2671", "+14155552671"},
      {"12", std::nullopt},  // parses as +9112 but is not a possible number
      {"", std::nullopt},
      {"not a number", std::nullopt},
      {"+91 98765", std::nullopt},
      {"98765432101234567", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(phones.to_e164(c.in), c.e164) << c.in;
}

// Duplicates are found by the E.164 text, so the E.164 of an accepted number must normalise to
// itself. Leading zeros libphonenumber keeps broke that (found by fuzz/phone.cpp).
TEST(Phone, AnAcceptedNumberIsItsOwnNormalForm) {
  PhoneNormalizer india("IN");
  EXPECT_EQ(india.to_e164("0002 0901948"), std::nullopt);  // was +910020901948 -> +91020901948
  PhoneNormalizer uae("AE");
  EXPECT_EQ(uae.to_e164("0002 0901948"), std::nullopt);
  for (const char* in : {"+39 06 1234 5678", "098765 43210", "+971 50 123 4567"}) {
    auto e164 = india.to_e164(in);
    ASSERT_TRUE(e164) << in;
    EXPECT_EQ(india.to_e164(*e164), e164) << in;
  }
}

TEST(Phone, DefaultRegionMatters) {
  PhoneNormalizer uae("AE");
  EXPECT_EQ(uae.to_e164("050 123 4567"), "+971501234567");
  EXPECT_TRUE(PhoneNormalizer::is_known_region("IN"));
  EXPECT_FALSE(PhoneNormalizer::is_known_region("XX"));
}

TEST(Phone, SplitsE164) {
  PhoneNormalizer phones("IN");
  auto parts = phones.split("+919876543210");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->country_code, "+91");
  EXPECT_EQ(parts->number, "9876543210");
}

}  // namespace
}  // namespace leadproc
