#include "http/report_query.h"

#include "app/business_day.h"
#include "http/responses.h"

namespace leadproc::http {

std::vector<std::string_view> report_period_params() {
  return {"from", "to"};
}

Result<ReportPeriod> report_period_from(AppContext& ctx, const Request& req,
                                        std::vector<FieldError>& errors) {
  auto boundary = [&](const std::string& name) -> std::optional<Timestamp> {
    auto s = query_string(req, name);
    if (!s) return std::nullopt;
    auto t = parse_boundary(*s, ctx.config.timezone);
    if (!t) errors.push_back({name, "must be YYYY-MM-DD (business day) or an ISO-8601 timestamp"});
    return t;
  };
  auto from = boundary("from");
  auto to = boundary("to");
  if (!errors.empty()) return ReportPeriod{};
  if (!to) {  // default: up to the end of today (business time zone)
    auto today = business_day(ctx.now(), ctx.config.timezone);
    if (!today) return today.error();
    to = today->end;
  }
  if (!from) from = *to - std::chrono::hours(24 * 30);
  return ReportPeriod{*from, *to};
}

}  // namespace leadproc::http
