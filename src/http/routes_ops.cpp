// Liveness, readiness and Prometheus metrics: public (no credentials), for probes and scrapers.
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

void register_ops_routes(Router& router, AppContext& ctx, Metrics& metrics) {
  router.add("GET", "/healthz", "healthz", Access::public_route(), [](Request&) {
    return json_response(200, boost::json::object{{"status", "ok"}});
  });
  router.add("GET", "/readyz", "readyz", Access::public_route(), [&ctx](Request& req) {
    if (!ctx.store.ready())
      return problem_response(Error::unavailable("the database does not answer"), req.trace_id);
    return json_response(200, boost::json::object{{"status", "ready"}});
  });
  router.add("GET", "/metrics", "metrics", Access::public_route(), [&metrics](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics.render();
    return r;
  });
}

}  // namespace leadproc::http
