// Fuzz target: web URL normalisation (src/domain/url.h), which every lead's `page` and every
// sitemap <loc> goes through. A normalised URL must normalise to itself (the weburls table is
// keyed by it), and its path segments must be non-empty and lower case.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto normalized = leadproc::normalize_url(raw);
  leadproc::path_segments(raw);  // also on text that is not normalised: must not crash
  if (!normalized) return 0;
  if (leadproc::normalize_url(*normalized) != normalized) std::abort();
  for (const auto& segment : leadproc::path_segments(*normalized)) {
    if (segment.empty()) std::abort();
    for (unsigned char c : segment)
      if (std::isupper(c)) std::abort();
  }
  return 0;
}
