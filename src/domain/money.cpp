#include "domain/money.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace leadproc {
namespace {

// ISO 4217 active currencies whose minor unit is not 2 (List One, 2024). Funds (BOV, CHE, CHW,
// CLF, COU, MXV, USN, UYI, UYW) and precious metals (X**) are left out: nobody sells a trip in
// them.
constexpr std::pair<std::string_view, int> kNotTwo[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3},
    {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0},
    {"TND", 3}, {"UGX", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

// Every active ISO 4217 currency of List One (2024) but funds and metals, sorted.
constexpr std::string_view kCodes[] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP",
    "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF",
    "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
    "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB",
    "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD",
    "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD",
    "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR",
    "ZMW", "ZWL"};

constexpr std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

}  // namespace

std::optional<int> currency_exponent(std::string_view code) {
  if (!std::binary_search(std::begin(kCodes), std::end(kCodes), code)) return std::nullopt;
  for (const auto& [c, e] : kNotTwo)
    if (c == code) return e;
  return 2;
}

std::vector<std::string_view> all_currencies() {
  return {std::begin(kCodes), std::end(kCodes)};
}

std::optional<DealValue> parse_deal_value(const std::optional<std::string>& amount,
                                          const std::optional<std::string>& currency,
                                          const std::string& prefix,
                                          std::vector<FieldError>& errors) {
  const std::size_t before = errors.size();
  std::optional<int> exponent;
  if (!currency)
    errors.push_back({prefix + "currency", "is required: an ISO 4217 code such as \"INR\""});
  else if (!(exponent = currency_exponent(*currency)))
    errors.push_back({prefix + "currency", "'" + *currency +
                                               "' is not an ISO 4217 currency code (upper case, "
                                               "such as \"INR\", \"USD\", \"EUR\")"});
  const std::string shape = "must be a decimal string such as \"125000.50\"";
  std::int64_t major = 0;
  std::int64_t fraction = 0;
  int decimals = 0;
  if (!amount) {
    errors.push_back({prefix + "amount", "is required: " + shape});
  } else {
    const std::string& a = *amount;
    const auto point = a.find('.');
    const std::string_view whole = std::string_view(a).substr(0, point);
    const std::string_view frac =
        point == std::string::npos ? std::string_view() : std::string_view(a).substr(point + 1);
    const auto digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    bool ok = !whole.empty() && digits(whole) && digits(frac) &&
              (point == std::string::npos || !frac.empty());
    if (!ok) {
      errors.push_back({prefix + "amount", shape + " (digits, an optional point; no sign, "
                                                   "spaces or grouping)"});
    } else if (whole.size() > 12) {
      errors.push_back(
          {prefix + "amount", "at most " + std::to_string(kMaxDealMajorUnits) + " (major units)"});
    } else {
      for (char c : whole) major = major * 10 + (c - '0');
      for (char c : frac) fraction = fraction * 10 + (c - '0');
      decimals = static_cast<int>(frac.size());
      if (exponent && decimals > *exponent) {
        errors.push_back({prefix + "amount",
                          "at most " + std::to_string(*exponent) + " decimals for " + *currency});
      } else if (major == 0 && fraction == 0) {
        errors.push_back({prefix + "amount", "must be greater than 0"});
      }
    }
  }
  if (errors.size() != before) return std::nullopt;
  return DealValue{major * pow10(*exponent) + fraction * pow10(*exponent - decimals), *currency};
}

std::string format_amount(const DealValue& v) {
  const int exponent = currency_exponent(v.currency).value_or(2);
  const std::int64_t unit = pow10(exponent);
  std::string out = std::to_string(v.minor / unit);
  if (exponent > 0) {
    std::string frac = std::to_string(v.minor % unit);
    out += "." + std::string(static_cast<std::size_t>(exponent) - frac.size(), '0') + frac;
  }
  return out;
}

}  // namespace leadproc
