// Fuzz target: the sitemap parser of the CMS URL sync (src/jobs/sitemap.h), which reads XML that
// a remote server sends. Every <loc> it returns must be an absolute http(s) URL (its contract).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/url.h"
#include "jobs/sitemap.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto sitemap = leadproc::jobs::parse_sitemap(xml);
  if (!sitemap) return 0;
  for (const auto& loc : sitemap->locs)
    if (!leadproc::normalize_url(loc)) std::abort();
  return 0;
}
