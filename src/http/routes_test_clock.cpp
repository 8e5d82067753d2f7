// The test-only clock route (docs/api.md "Test-only endpoints"), registered only when
// LEADPROC_TEST_CLOCK is on. Tests of "when the session expires", "when the follow-up is overdue"
// or "when the login delay ends" move the server's clock instead of sleeping, so they neither
// wait nor depend on timing. The clock only moves forward: time never runs back for the jobs,
// the sessions or the ids already handed out.
#include <cmath>

#include "codec/field_reader.h"
#include "domain/time_format.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// At most a year at a time: enough for any test, and a typo cannot throw the clock centuries
// ahead.
constexpr std::int64_t kMaxAdvanceSeconds = 366LL * 24 * 3600;

}  // namespace

void register_test_clock_routes(Router& router,
                                std::function<Timestamp(std::chrono::milliseconds)> advance) {
  router.add("POST", "/api/v1/_test/clock", "test.clock", Access::admin(),
             [advance = std::move(advance)](Request& req) {
               auto body = json_body(req);
               if (!body) return problem_response(body.error(), req.trace_id);
               std::vector<FieldError> errors;
               codec::FieldReader r(*body, errors);
               auto seconds = r.number("advanceSeconds", true);
               if (seconds && !(*seconds > 0 && *seconds <= kMaxAdvanceSeconds))
                 r.fail("advanceSeconds", "must be more than 0 and at most 366 days (31622400)");
               for (const auto& [key, value] : *body)
                 if (key != "advanceSeconds") r.fail(key, "is not a field of this request");
               if (!errors.empty())
                 return problem_response(Error::validation(std::move(errors), "bad clock move"),
                                         req.trace_id);
               const auto by = std::chrono::milliseconds(std::llround(*seconds * 1000));
               return json_response(200, json::object{{"now", format_iso8601(advance(by))}});
             });
}

}  // namespace leadproc::http
