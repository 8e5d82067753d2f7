// A table of an enum's values and their wire names, and the two lookups every such table needs:
// written once for enums.cpp, funnel.cpp and the reports' groupings.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace leadproc {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `v` in `t`; "?" when the table lacks it (a bug).
template <typename E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& t, E v) {
  for (const auto& [e, s] : t)
    if (e == v) return s;
  return "?";
}

// The value named `s` exactly; nullopt for any other text.
template <typename E, std::size_t N>
std::optional<E> parse_in(const NameTable<E, N>& t, std::string_view s) {
  for (const auto& [e, name] : t)
    if (name == s) return e;
  return std::nullopt;
}

}  // namespace leadproc
