#include "app/now_report.h"

namespace leadproc {

Result<NowReport> now_report(AppContext& ctx, int urls) {
  NowReport report;
  report.now = ctx.now();
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto counts = tx.now_counts(report.now);
    if (!counts) return counts.error();
    report.counts = std::move(*counts);
    WebUrlFilter f;
    f.consumed = false;
    f.limit = urls;
    auto unmarked = tx.list_weburls(f);
    if (!unmarked) return unmarked.error();
    report.unmarked_urls = std::move(*unmarked);
    return ok_status();
  });
  if (!s) return s.error();
  return report;
}

}  // namespace leadproc
