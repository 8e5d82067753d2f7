// Liveness, readiness and Prometheus metrics: public (no credentials), for probes and scrapers.
//
// /healthz and /metrics run on the I/O thread (Execution::kIoThread): they touch no database and
// take microseconds, and they must answer while the workers are saturated, or an overloaded but
// healthy server would be restarted by its liveness probe, and scrapes would fail exactly when
// they matter. /readyz checks the database, which blocks, so it stays on the worker pool, behind
// the queue: under overload it waits or is shed with 503 like other requests, which is what
// "not ready for more traffic" should tell a load balancer.
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

void register_ops_routes(Router& router, AppContext& ctx, Metrics& metrics) {
  router.add(
      "GET", "/healthz", "healthz", Access::public_route(),
      [](Request&) {
        return json_response(200, boost::json::object{{"status", "ok"}});
      },
      Execution::kIoThread);
  router.add("GET", "/readyz", "readyz", Access::public_route(), [&ctx](Request& req) {
    if (!ctx.store.ready())
      return problem_response(Error::unavailable("the database does not answer"), req.trace_id);
    return json_response(200, boost::json::object{{"status", "ready"}});
  });
  router.add(
      "GET", "/metrics", "metrics", Access::public_route(),
      [&metrics, &ctx](Request&) {
        for (const auto& c : ctx.store.counters()) metrics.set_counter(c.name, c.help, {}, c.total);
        Response r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = metrics.render();
        return r;
      },
      Execution::kIoThread);
}

}  // namespace leadproc::http
