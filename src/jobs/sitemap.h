// Sitemap XML (sitemaps.org protocol) for the CMS URL sync (src/jobs/cms_sync.h): a <urlset> of
// page URLs or a <sitemapindex> of nested sitemaps. Pure: parses text, does no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace leadproc::jobs {

struct Sitemap {
  enum class Kind { kUrlset, kIndex };
  Kind kind = Kind::kUrlset;
  // The <loc> of every <url> (urlset) or <sitemap> (index) entry, in document order, entities
  // decoded and surrounding whitespace trimmed (not normalised).
  std::vector<std::string> locs;
};

// Parses a sitemap document. Accepted: an optional XML declaration, comments and processing
// instructions, a root element <urlset> or <sitemapindex> (namespace attributes and prefixes
// allowed), the entities &amp; &lt; &gt; &quot; &apos; and character references, CDATA
// sections. Elements other than <loc> (lastmod, changefreq, image:image, ...) are skipped.
// kValidation with a detail saying what is wrong (and where) for: a missing or other root
// element, unbalanced or unterminated tags, a DOCTYPE, an unknown entity, content after the
// root, an entry without <loc>, or a <loc> that is not an absolute http(s) URL.
Result<Sitemap> parse_sitemap(std::string_view xml);

}  // namespace leadproc::jobs
