// The conversions-send job (issue 20 item 4; docs/conversions.md): fans the outbox out (so the
// conversions of new events exist; app/webhooks.h fan_out_outbox) and sends every conversion that
// is due to its platform, recording each answer (app/conversions.h says what it means):
// - Meta: one POST {graph}/{version}/{dataset_id}/events per conversion;
// - Google: one POST {url}/{version}/customers/{id}:uploadClickConversions per batch of up to
//   100, partialFailure true, each row judged on its own.
// Each round takes only the first pending conversion of each opportunity (stages in order), and
// rounds repeat until nothing is due, so one run sends an opportunity's stages one after the
// other. A conversion past its window is marked expired, never sent. A platform disabled in the
// settings keeps its conversions pending.
#pragma once

#include <functional>
#include <string>

#include "app/context.h"
#include "jobs/http_get.h"
#include "jobs/jobs.h"

namespace leadproc::jobs {

// POSTs one request to a platform: (url, headers, body) -> the reply or a transport failure.
using ConversionPost = std::function<Result<HttpReply>(
    const std::string& url, const HttpHeaders& headers, const std::string& body)>;
// The libcurl ConversionPost: 10 s to connect, 30 s in all, no redirects, a 1 MiB answer cap.
ConversionPost curl_conversion_post();

// One run: counts {"sent", "rejected", "expired", "retrying"}. Errors: the store failed.
Result<JobCounts> send_conversions(AppContext& ctx, const ConversionPost& post);

}  // namespace leadproc::jobs
