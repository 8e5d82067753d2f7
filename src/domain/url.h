// Web URL normalisation for matching leads' `page` against `weburls` (PRODUCT.md): lower-case
// scheme and host, no query, no fragment, no trailing slash, default ports dropped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc {

// The normalised form of an absolute http(s) URL; nullopt if `raw` is not one.
std::optional<std::string> normalize_url(std::string_view raw);

// The non-empty path segments of a normalised URL, lower-cased: "https://x.com/a/Goa-Trips" ->
// {"a", "goa-trips"}.
std::vector<std::string> path_segments(std::string_view normalized_url);

}  // namespace leadproc
