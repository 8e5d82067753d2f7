// Benchmark-only routes (docs/api.md, "Benchmark-only endpoints"), registered only when
// LEADPROC_BENCH_ENDPOINTS is on.
//
// POST /api/v1/_bench/echo measures the HTTP limit of lead ingestion: everything POST
// /api/v1/leads does except the use case. Same access rule (so the same credential check), same
// worker pool and queue, the body parsed as a JSON object the same way, and a 201 answer of about
// the same size with a Location header. It writes nothing.
#include "codec/json_writer.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The default body size. With leadproc-load's leads, a lead's 201 averages 2,524 bytes on the
// wire (headers included); this body makes the echo's 2,527.
constexpr int kDefaultAnswerBytes = 2250;
constexpr int kMaxAnswerBytes = 1 << 20;

// {"_id": <new id>, "echo": <the request body>, "padding": "...."}, padded so that the body is
// `?size=` bytes (default kDefaultAnswerBytes), or unpadded if the echo alone is longer.
Response echo(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  const int size = query_int(req, "size", 0, kMaxAnswerBytes, errors).value_or(kDefaultAnswerBytes);
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);

  const Id id = ctx.new_id();  // as a lead gets ids: the same clock and generator
  Response r;
  r.status = 201;
  // One serialisation: "padding" is the last member, so its value's closing quote is the
  // second-to-last character, and dots need no escaping.
  r.body = codec::serialize(json::object{{"_id", id}, {"echo", std::move(*body)}, {"padding", ""}});
  const auto wanted = static_cast<std::size_t>(size);
  if (r.body.size() < wanted) r.body.insert(r.body.size() - 2, wanted - r.body.size(), '.');
  r.headers.emplace_back("Location", "/api/v1/_bench/echo/" + id);
  return r;
}

}  // namespace

void register_bench_routes(Router& router, AppContext& ctx) {
  router.add(
      "POST", "/api/v1/_bench/echo", "bench.echo", Access::users_or_api_key(),
      [&ctx](Request& req) { return echo(ctx, req); }, Execution::kWorker,
      BodySize::kLarge);  // as POST /api/v1/leads
}

}  // namespace leadproc::http
