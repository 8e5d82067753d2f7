#include "domain/travel_month.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include "domain/text.h"

namespace leadproc {

namespace {

std::optional<unsigned> month_named(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  const std::string w = lower_ascii(word);
  if (w.size() < 3) return std::nullopt;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i].starts_with(w)) return i + 1;
    if (w == "sept" && i == 8) return 9;
  }
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

int number_of(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<YearMonth> travel_month_of(std::string_view text) {
  std::string_view t = text;
  if (t.size() > 10 && (t[10] == 'T' || t[10] == 't') && all_digits(t.substr(0, 4)))
    t = t.substr(0, 10);  // an ISO timestamp: its date
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && !std::isalnum(static_cast<unsigned char>(t[i]))) ++i;
    std::size_t j = i;
    while (j < t.size() && std::isalnum(static_cast<unsigned char>(t[j]))) ++j;
    if (j > i) tokens.push_back(t.substr(i, j - i));
    i = j;
  }
  if (tokens.empty() || tokens.size() > 3) return std::nullopt;

  std::optional<unsigned> month;
  std::vector<std::string_view> numbers;
  for (auto token : tokens) {
    if (all_digits(token)) {
      numbers.push_back(token);
    } else if (auto m = month_named(token); m && !month) {
      month = m;
    } else {
      return std::nullopt;
    }
  }
  int year = 0;
  if (month) {  // "Mar 2026", "15 March 2026"
    if (numbers.empty() || numbers.size() > 2 || numbers.back().size() != 4) return std::nullopt;
    year = number_of(numbers.back());
    if (numbers.size() == 2) {
      int day = number_of(numbers.front());
      if (numbers.front().size() > 2 || day < 1 || day > 31) return std::nullopt;
    }
  } else if (numbers.size() == 3 && numbers[0].size() == 4) {  // 2026-03-15
    year = number_of(numbers[0]);
    month = static_cast<unsigned>(number_of(numbers[1]));
    int day = number_of(numbers[2]);
    if (numbers[1].size() > 2 || numbers[2].size() > 2 || day < 1 || day > 31) return std::nullopt;
  } else if (numbers.size() == 3 && numbers[2].size() == 4) {  // 15/03/2026
    year = number_of(numbers[2]);
    month = static_cast<unsigned>(number_of(numbers[1]));
    int day = number_of(numbers[0]);
    if (numbers[0].size() > 2 || numbers[1].size() > 2 || day < 1 || day > 31) return std::nullopt;
  } else if (numbers.size() == 2 && numbers[0].size() == 4 && numbers[1].size() <= 2) {  // 2026-03
    year = number_of(numbers[0]);
    month = static_cast<unsigned>(number_of(numbers[1]));
  } else if (numbers.size() == 2 && numbers[1].size() == 4 && numbers[0].size() <= 2) {  // 03/2026
    year = number_of(numbers[1]);
    month = static_cast<unsigned>(number_of(numbers[0]));
  } else {
    return std::nullopt;
  }
  if (!month || *month < 1 || *month > 12 || year < 1900 || year > 2200) return std::nullopt;
  return YearMonth{year, *month};
}

}  // namespace leadproc
