// UTF-8 code points, one at a time: what the search terms (search_text.h) and the sitemap's
// character references (jobs/sitemap.cpp) need, without a Unicode library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadproc {

// Decodes the code point at text[i] and advances i past it; a malformed or truncated sequence
// is one byte, taken as U+FFFD.
char32_t next_code_point(std::string_view text, std::size_t& i);

// Appends `cp` encoded as UTF-8 (1 to 4 bytes).
void append_utf8(std::string& out, char32_t cp);

}  // namespace leadproc
