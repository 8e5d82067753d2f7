// Money: the deal value of a won opportunity (an addition to the spec's fields: issue 17 item 4,
// docs/workflow.md "Won"). Reports add these up, so an amount is never a binary double.
//
// On the wire an amount is a decimal string in the currency's major unit ("125000.50" INR), with
// at most as many decimals as ISO 4217 gives the currency (INR 2, JPY 0, KWD 3). Why a string and
// not integer minor units: a person types "1,25,000.50 rupees", not "12500050 paise"; a decimal
// string is exact in every JSON parser (a JSON number becomes a double in JavaScript), reads the
// same in a CSV export, and needs no client to know the currency's exponent. Inside, the amount
// is an integer count of minor units, so sums are exact and the SQL column adds up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace leadproc {

struct DealValue {
  std::int64_t minor = 0;  // minor units of `currency` (paise for INR, cents for USD)
  std::string currency;    // an ISO 4217 alphabetic code, upper case
  bool operator==(const DealValue&) const = default;
};

// The largest amount taken, in major units: a travel deal of a trillion is a typing error.
inline constexpr std::int64_t kMaxDealMajorUnits = 999'999'999'999;

// The number of decimals ISO 4217 gives the active currency `code` (upper case), or nullopt
// when `code` is no such currency (funds and precious metals are not currencies of a sale).
std::optional<int> currency_exponent(std::string_view code);

// Every code currency_exponent() knows, in alphabetical order (for error messages and tests).
std::vector<std::string_view> all_currencies();

// A deal value from its wire fields. FieldErrors (prefix + "amount", prefix + "currency") for a
// missing field, an unknown currency, an amount that is not a plain decimal ("125000.50": digits,
// an optional point and at most the currency's decimals; no sign, exponent, grouping or spaces),
// zero, or one above kMaxDealMajorUnits. Appends to `errors`; nullopt when any is bad.
std::optional<DealValue> parse_deal_value(const std::optional<std::string>& amount,
                                          const std::optional<std::string>& currency,
                                          const std::string& prefix,
                                          std::vector<FieldError>& errors);

// The amount as its canonical decimal string, with exactly the currency's decimals ("125000.50",
// "9800" for JPY).
std::string format_amount(const DealValue& v);

}  // namespace leadproc
