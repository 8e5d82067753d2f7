// The period of the SLA report, read from a request's query: written once for the report
// (GET /api/v1/reports/sla) and its CSV export (GET /api/v1/exports/sla.csv), so that both cover
// the same opportunities (docs/api-workflow.md "SLA report").
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "http/request.h"

namespace leadproc::http {

struct ReportPeriod {
  Timestamp from{};
  Timestamp to{};
};

// The query parameters of the period: from, to.
std::vector<std::string_view> report_period_params();

// `from` and `to` (YYYY-MM-DD business days or ISO-8601 timestamps); `to` defaults to the end of
// today (business time zone), `from` to 30 days before `to`. A field error per malformed
// parameter is added to `errors` (the answer is then meaningless).
Result<ReportPeriod> report_period_from(AppContext& ctx, const Request& req,
                                        std::vector<FieldError>& errors);

}  // namespace leadproc::http
