// GET /api/v1/jobs and POST /api/v1/jobs/{name}/run (docs/api-scoring-jobs.md "Jobs"): the
// periodic jobs with their latest runs, and running one now.
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

void register_jobs_routes(Router& router, std::function<Result<boost::json::object>()> list,
                          std::function<Result<boost::json::object>(const std::string& name)> run) {
  router.add("GET", "/api/v1/jobs", "jobs.list", Access::admin(),
             [list = std::move(list)](Request& req) {
               auto r = list();
               if (!r) return problem_response(r.error(), req.trace_id);
               return json_response(200, std::move(*r));
             });
  // 200 with the recorded run, "failed" included: the run happened and is on record.
  router.add("POST", "/api/v1/jobs/{name}/run", "jobs.run", Access::admin(),
             [run = std::move(run)](Request& req) {
               auto r = run(req.params["name"]);
               if (!r) return problem_response(r.error(), req.trace_id);
               return json_response(200, std::move(*r));
             });
}

}  // namespace leadproc::http
