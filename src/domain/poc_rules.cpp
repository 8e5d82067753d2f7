#include "domain/poc_rules.h"

#include <algorithm>

namespace leadproc {
namespace {

bool is_lower_alpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<std::string> normalize_language(std::string_view tag) {
  std::string out;
  for (char c : tag) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::size_t start = 0;
  for (int part = 0;; ++part) {
    const std::size_t end = std::min(out.find('-', start), out.size());
    const std::size_t n = end - start;
    const auto first = out.begin() + static_cast<std::ptrdiff_t>(start);
    const auto last = out.begin() + static_cast<std::ptrdiff_t>(end);
    if (part == 0 ? (n < 2 || n > 3 || !std::all_of(first, last, is_lower_alpha))
                  : (n < 2 || n > 8 || !std::all_of(first, last, [](char c) {
                       return is_lower_alpha(c) || is_digit(c);
                     })))
      return std::nullopt;
    if (end == out.size()) return out;
    start = end + 1;
  }
}

bool speaks(const std::vector<std::string>& languages, const std::optional<std::string>& language) {
  return !language || languages.empty() ||
         std::find(languages.begin(), languages.end(), *language) != languages.end();
}

std::string_view to_string(Skip s) {
  switch (s) {
    case Skip::kLanguage:
      return "language";
    case Skip::kAtCapacity:
      return "at capacity";
    case Skip::kDailyQuota:
      return "daily quota reached";
  }
  return "";
}

std::optional<Skip> skip_reason(const PocRules& rules, std::int64_t fresh, std::int64_t today,
                                const std::optional<std::string>& language) {
  if (!speaks(rules.languages, language)) return Skip::kLanguage;
  if (rules.cap && fresh >= *rules.cap) return Skip::kAtCapacity;
  if (rules.daily_quota && today >= *rules.daily_quota) return Skip::kDailyQuota;
  return std::nullopt;
}

}  // namespace leadproc
