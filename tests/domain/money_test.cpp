// The deal value's rules (domain/money.h): exact decimal amounts in the currency's minor units,
// ISO 4217 codes only, every bad field named.
#include <gtest/gtest.h>

#include "domain/money.h"

namespace leadproc {
namespace {

std::optional<DealValue> parse(const std::optional<std::string>& amount,
                               const std::optional<std::string>& currency,
                               std::vector<FieldError>* errors_out = nullptr) {
  std::vector<FieldError> errors;
  auto v = parse_deal_value(amount, currency, "dealValue.", errors);
  EXPECT_EQ(v.has_value(), errors.empty());
  if (errors_out) *errors_out = errors;
  return v;
}

std::vector<std::string> fields(const std::optional<std::string>& amount,
                                const std::optional<std::string>& currency) {
  std::vector<FieldError> errors;
  parse(amount, currency, &errors);
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(Money, AmountsAreExactMinorUnitsOfTheCurrency) {
  struct Case {
    std::string amount, currency;
    std::int64_t minor;
    std::string canonical;
  };
  const Case cases[] = {
      {"125000.50", "INR", 12500050, "125000.50"},
      {"125000.5", "INR", 12500050, "125000.50"},
      {"125000", "INR", 12500000, "125000.00"},
      {"0.01", "USD", 1, "0.01"},
      {"9800", "JPY", 9800, "9800"},
      {"12.345", "KWD", 12345, "12.345"},
      {"999999999999.99", "EUR", 99999999999999, "999999999999.99"},
      {"0.10", "GBP", 10, "0.10"},
  };
  for (const auto& c : cases) {
    auto v = parse(c.amount, c.currency);
    ASSERT_TRUE(v) << c.amount << " " << c.currency;
    EXPECT_EQ(v->minor, c.minor) << c.amount;
    EXPECT_EQ(v->currency, c.currency);
    EXPECT_EQ(format_amount(*v), c.canonical);
  }
}

TEST(Money, BadAmountsAndCurrenciesAreNamed) {
  using V = std::vector<std::string>;
  EXPECT_EQ(fields(std::nullopt, std::nullopt), (V{"dealValue.currency", "dealValue.amount"}));
  EXPECT_EQ(fields("100", "inr"), V{"dealValue.currency"});  // codes are upper case
  EXPECT_EQ(fields("100", "XAU"), V{"dealValue.currency"});  // gold is not a currency of a sale
  EXPECT_EQ(fields("100", "ABC"), V{"dealValue.currency"});
  for (const char* bad : {"", "-5", "+5", "1e5", "1,25,000", " 100", "100 ", ".5", "5.", "1.2.3",
                          "0", "0.00", "1000000000000", "12.345"}) {
    EXPECT_EQ(fields(bad, "INR"), V{"dealValue.amount"}) << "'" << bad << "'";
  }
  EXPECT_EQ(fields("12.5", "JPY"), V{"dealValue.amount"});  // JPY has no decimals
  EXPECT_EQ(fields("x", "nope"), (V{"dealValue.currency", "dealValue.amount"}));
}

TEST(Money, EveryListedCurrencyHasAnExponent) {
  const auto codes = all_currencies();
  EXPECT_GT(codes.size(), 150u);
  for (auto code : codes) {
    ASSERT_TRUE(currency_exponent(code)) << code;
    EXPECT_TRUE(*currency_exponent(code) == 0 || *currency_exponent(code) == 2 ||
                *currency_exponent(code) == 3)
        << code;
  }
  EXPECT_EQ(currency_exponent("INR"), 2);
  EXPECT_EQ(currency_exponent("JPY"), 0);
  EXPECT_EQ(currency_exponent("BHD"), 3);
}

}  // namespace
}  // namespace leadproc
