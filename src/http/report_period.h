// The period of a report from its query (`from`, `to`), written once for every report: each a
// business day (YYYY-MM-DD, local midnight in the business time zone) or an ISO-8601 instant;
// `to` defaults to the end of today, `from` to 30 days before `to` (docs/api-workflow.md).
#pragma once

#include <optional>
#include <vector>

#include "app/business_day.h"
#include "app/context.h"
#include "http/request.h"

namespace leadproc::http {

// The period asked for; a field error per malformed boundary is added to `errors` (then
// nullopt). An error of the time zone itself is returned as the error.
Result<std::optional<TimeWindow>> report_period(AppContext& ctx, const Request& req,
                                                std::vector<FieldError>& errors);

}  // namespace leadproc::http
