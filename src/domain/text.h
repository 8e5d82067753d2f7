// Small text helpers that every layer needs, written once. ASCII only, on purpose: lower-casing
// and trimming never depend on the C locale of the machine (std::tolower does), so emails, URL
// hosts, header values and enum words compare the same everywhere. Human text (names) is folded
// by domain/search_text.h instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadproc {

// `s` with A-Z turned into a-z; every other byte (UTF-8 included) unchanged.
std::string lower_ascii(std::string_view s);

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \v, \f, \r).
std::string_view trim(std::string_view s);

// The items with `separator` between them ("a, b, c" by default).
std::string join(const std::vector<std::string_view>& items, std::string_view separator = ", ");
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace leadproc
