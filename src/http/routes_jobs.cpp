// GET /api/v1/jobs (docs/api-scoring-jobs.md "Jobs"): the periodic jobs and their latest runs.
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

void register_jobs_routes(Router& router, std::function<Result<boost::json::object>()> list) {
  router.add("GET", "/api/v1/jobs", "jobs.list", Access::admin(),
             [list = std::move(list)](Request& req) {
               auto r = list();
               if (!r) return problem_response(r.error(), req.trace_id);
               return json_response(200, std::move(*r));
             });
}

}  // namespace leadproc::http
