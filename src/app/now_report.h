// The "now" report (docs/reports.md, issue 18 item 4): the morning's to-do list as of now —
// unassigned leads waiting for a POC and since when, overdue CRM follow-ups and PSV/WEST next
// attempts, leads resolving an unknown destination, and the most popular unmarked web URLs.
#pragma once

#include <vector>

#include "app/context.h"

namespace leadproc {

struct NowReport {
  Timestamp now{};
  NowCounts counts;
  std::vector<WebUrl> unmarked_urls;  // unmarked (consumed = false), most hits first
};

// At most `urls` unmarked URLs (1..100).
Result<NowReport> now_report(AppContext& ctx, int urls);

}  // namespace leadproc
