// Website forms without code (issue 19 item 5; docs/intake.md "Website forms"): the public route
// a website's form posts to, POST /api/v1/intake/forms/{formKey}, and its CORS preflight. No key
// of ours: the form key in the path names the form, and can only create leads for it.
//
// Two kinds of caller, told apart by what they ask for:
//   - a plain HTML form post (urlencoded or multipart, no JSON in Accept): answered with 303 to
//     the form's thank-you URL, or to its error URL with `errors=<bad fields>`;
//   - a fetch() (a JSON body, or Accept: application/json): answered with JSON, 201
//     {"received": true, "warnings": [...]} or a 422 problem naming every bad field.
// The answer never says whether the customer was known (a duplicate): the route is public.
#include <algorithm>
#include <cctype>

#include "app/website_forms.h"
#include "codec/form_body.h"
#include "codec/json_codec.h"
#include "http/decode_website_form.h"
#include "http/lead_body.h"
#include "http/rate_limit.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

constexpr std::string_view kPostsMetric = "leadproc_form_posts_total";
constexpr std::string_view kPostsHelp = "Website form posts, by outcome";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The media type of the Content-Type header, lower case, without parameters.
std::string media_type(const Request& req) {
  std::string ct = lower(req.header("content-type").value_or(""));
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  return ct;
}

bool wants_json(const Request& req) {
  return media_type(req) == "application/json" ||
         lower(req.header("accept").value_or("")).find("application/json") != std::string::npos;
}

// Whether `origin` may read the answers (CORS): one of the form's allowed origins.
bool allowed(const FormSettings& s, const std::string& origin) {
  return std::find(s.allowed_origins.begin(), s.allowed_origins.end(), origin) !=
         s.allowed_origins.end();
}

void allow_origin(Response& r, const std::string& origin) {
  r.headers.emplace_back("Access-Control-Allow-Origin", origin);
  r.headers.emplace_back("Vary", "Origin");
}

Response see_other(const std::string& url) {
  Response r;
  r.status = 303;
  r.content_type = "";
  r.headers.emplace_back("Location", url);
  return r;
}

Response forbidden_origin(const Request& req) {
  return problem_response(
      Error{ErrorCode::kForbidden,
            "this form does not take posts from origin " + req.header("origin").value_or(""),
            {},
            {},
            0},
      req.trace_id);
}

struct Form {
  IntakeSource source;
  FormSettings settings;
};

Result<Form> load_form(AppContext& ctx, const Request& req) {
  auto source = find_form(ctx, req.params.at("formKey"));
  if (!source) return source.error();
  auto settings = form_settings(source->mapping_json);
  if (!settings) return settings.error();
  return Form{std::move(*source), std::move(*settings)};
}

// An Origin the form does not list: a browser page elsewhere using this form's key. Requests
// without Origin (a server, curl) are not browsers' and pass; a form that lists no origin takes
// plain posts from anywhere (and lets no page read its answers).
bool foreign_origin(const Form& form, const Request& req) {
  auto origin = req.header("origin");
  return origin && !form.settings.allowed_origins.empty() && !allowed(form.settings, *origin);
}

// The post, decoded (http/decode_website_form.h) by its Content-Type; a body that cannot be read
// is a 422 naming "body", an unknown type a 415.
Result<FormPost> decode_post(const Request& req, const FormRequestFacts& facts, Timestamp now) {
  const std::string type = media_type(req);
  if (type == "application/json") {
    auto body = json_body(req);
    if (!body) return body.error();
    return decode_form_post(*body, facts, now);
  }
  Result<codec::FormFields> fields = codec::FormFields{};
  if (type == "application/x-www-form-urlencoded")
    fields = codec::parse_urlencoded(req.body);
  else if (type == "multipart/form-data")
    fields = codec::parse_multipart(
        req.body, codec::multipart_boundary(req.header("content-type").value_or("")));
  else
    return Error{ErrorCode::kValidation,
                 "a form post is application/x-www-form-urlencoded, multipart/form-data or "
                 "application/json",
                 {{"Content-Type",
                   "must be application/x-www-form-urlencoded, "
                   "multipart/form-data or application/json"}},
                 {},
                 0};
  if (!fields) return fields.error();
  return decode_form_post(*fields, facts, now);
}

// The answer to a post taken (or to a honeypot post, which must look the same).
Response received(const Request& req, const Form& form, const std::vector<ExtraField>& extra) {
  if (!wants_json(req)) return see_other(form.settings.thank_you_url);
  json::array warnings;
  for (const auto& f : extra)
    if (f.name != "referrer")
      warnings.emplace_back(
          json::object{{"field", f.name},
                       {"reason", "is not a field of a lead; it is kept under the lead's extra"}});
  return json_response(201, json::object{{"received", true}, {"warnings", std::move(warnings)}});
}

Response post_form(AppContext& ctx, Metrics& metrics, AddressRateLimit& limit, Request& req) {
  auto count = [&](const char* outcome) {
    metrics.inc(std::string(kPostsMetric), std::string(kPostsHelp), {{"outcome", outcome}});
  };
  const std::string origin = req.header("origin").value_or("");
  if (const int wait = limit.admit(rate_limit_key(req.remote_ip), ctx.now())) {
    count("rate_limited");
    return problem_response(Error{ErrorCode::kTooManyRequests,
                                  "too many form posts from this address; try again later",
                                  {},
                                  {},
                                  wait},
                            req.trace_id);
  }
  auto form = load_form(ctx, req);
  if (!form) return problem_response(form.error(), req.trace_id);
  if (foreign_origin(*form, req)) {
    count("refused");
    return forbidden_origin(req);
  }
  Response answer = [&]() -> Response {
    const FormRequestFacts facts{req.header("referer"), req.remote_ip, req.header("user-agent")};
    auto post = decode_post(req, facts, ctx.now());
    if (post && post->honeypot) {
      count("honeypot");
      return received(req, *form, {});
    }
    Status stored = post ? Status(ok_status()) : Status(post.error());
    LeadInput input;
    if (post) {
      input = decode_lead(post->lead_body);
      input.decode_errors.insert(input.decode_errors.end(), post->errors.begin(),
                                 post->errors.end());
      stored = receive_form_lead(ctx, form->source, input);
    }
    if (stored) {
      count("stored");
      return received(req, *form, input.extra);
    }
    const Error& e = stored.error();
    count(e.code == ErrorCode::kValidation ? "invalid" : "failed");
    if (e.code == ErrorCode::kValidation && !wants_json(req))
      return see_other(error_redirect(form->settings.error_url, e.fields));
    return problem_response(e, req.trace_id);
  }();
  if (!origin.empty() && allowed(form->settings, origin)) allow_origin(answer, origin);
  return answer;
}

// OPTIONS: the CORS preflight of a fetch() from a page. Answered (204) only for the form's
// allowed origins; any other is refused (403, no CORS headers: the browser then sends nothing).
Response preflight(AppContext& ctx, const Request& req) {
  auto form = load_form(ctx, req);
  if (!form) return problem_response(form.error(), req.trace_id);
  const auto origin = req.header("origin");
  if (!origin || !allowed(form->settings, *origin)) return forbidden_origin(req);
  Response r;
  r.status = 204;
  allow_origin(r, *origin);
  r.headers.emplace_back("Access-Control-Allow-Methods", "POST");
  r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, Accept");
  r.headers.emplace_back("Access-Control-Max-Age", "600");
  return r;
}

}  // namespace

void register_intake_form_routes(Router& router, AppContext& ctx, Metrics& metrics) {
  auto limit =
      std::make_shared<AddressRateLimit>(ctx.config.form_posts_per_hour, std::chrono::hours(1));
  router.add(
      "POST", "/api/v1/intake/forms/{formKey}", "website_forms.post", Access::public_route(),
      [&ctx, &metrics, limit](Request& req) { return post_form(ctx, metrics, *limit, req); },
      Execution::kWorker, BodySize::kSmall);
  router.add("OPTIONS", "/api/v1/intake/forms/{formKey}", "website_forms.preflight",
             Access::public_route(), [&ctx](Request& req) { return preflight(ctx, req); });
}

}  // namespace leadproc::http
