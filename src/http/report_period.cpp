#include "http/report_period.h"

#include "http/responses.h"

namespace leadproc::http {

Result<std::optional<TimeWindow>> report_period(AppContext& ctx, const Request& req,
                                                std::vector<FieldError>& errors) {
  const std::size_t errors_before = errors.size();
  auto boundary = [&](const std::string& name) -> std::optional<Timestamp> {
    auto s = query_string(req, name);
    if (!s) return std::nullopt;
    auto t = parse_boundary(*s, ctx.config.timezone);
    if (!t) errors.push_back({name, "must be YYYY-MM-DD (business day) or an ISO-8601 timestamp"});
    return t;
  };
  auto from = boundary("from");
  auto to = boundary("to");
  if (errors.size() != errors_before) return std::optional<TimeWindow>{};
  if (!to) {  // default: up to the end of today (business time zone)
    auto today = business_day(ctx.now(), ctx.config.timezone);
    if (!today) return today.error();
    to = today->end;
  }
  if (!from) from = *to - std::chrono::hours(24 * 30);
  return std::optional<TimeWindow>(TimeWindow{*from, *to});
}

}  // namespace leadproc::http
