// Router matching (params, specificity, 404 vs 405 + Allow), metrics exposition text, log lines
// and problem responses. Links leadproc_http and GTest::gtest_main.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "http/log.h"
#include "http/metrics.h"
#include "http/router.h"

namespace leadproc::http {
namespace {

// A handler that answers with its own name, so a test can tell which route was chosen.
Handler named(std::string name) {
  return [name](Request&) {
    Response res;
    res.body = name;
    return res;
  };
}

Router sample_router() {
  Router r;
  r.add("GET", "/api/v1/opportunities/{id}/activities", "activities_list", named("list"));
  r.add("POST", "/api/v1/opportunities/{id}/activities", "activities_create", named("create"));
  r.add("GET", "/api/v1/leads/{id}", "lead_get", named("lead"));
  r.add("GET", "/api/v1/leads/search", "lead_search", named("search"));
  r.add("DELETE", "/api/v1/leads/{id}", "lead_delete", named("delete"));
  r.add("GET", "/", "root", named("root"));
  r.add("GET", "/healthz", "", named("health"));
  return r;
}

std::string call(const RouteMatch& m) {
  Request req;
  return (*m.handler)(req).body;
}

TEST(Router, FillsParamsAndRouteName) {
  const Router r = sample_router();
  const RouteMatch m = r.match("POST", "/api/v1/opportunities/42/activities");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route_name, "activities_create");
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(call(m), "create");
}

TEST(Router, LiteralSegmentBeatsPlaceholder) {
  const Router r = sample_router();
  EXPECT_EQ(call(r.match("GET", "/api/v1/leads/search")), "search");
  const RouteMatch m = r.match("GET", "/api/v1/leads/7");
  EXPECT_EQ(call(m), "lead");
  EXPECT_EQ(m.params.at("id"), "7");
}

TEST(Router, EmptyRouteNameFallsBackToPattern) {
  EXPECT_EQ(sample_router().match("GET", "/healthz").route_name, "/healthz");
}

TEST(Router, NotFoundVersusMethodNotAllowed) {
  const Router r = sample_router();
  struct Case {
    const char* method;
    const char* path;
    RouteMatch::Kind kind;
    std::vector<std::string> allow;
  };
  const Case cases[] = {
      {"GET", "/nope", RouteMatch::Kind::not_found, {}},
      {"GET", "/api/v1/opportunities//activities", RouteMatch::Kind::not_found, {}},
      {"GET", "/api/v1/opportunities/1/activities/", RouteMatch::Kind::not_found, {}},
      {"GET", "/api/v1/opportunities/1", RouteMatch::Kind::not_found, {}},
      {"GET", "relative", RouteMatch::Kind::not_found, {}},
      {"PUT",
       "/api/v1/opportunities/1/activities",
       RouteMatch::Kind::method_not_allowed,
       {"GET", "POST"}},
      {"POST", "/api/v1/leads/3", RouteMatch::Kind::method_not_allowed, {"DELETE", "GET"}},
      {"POST", "/", RouteMatch::Kind::method_not_allowed, {"GET"}},
      {"GET", "/", RouteMatch::Kind::found, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    const RouteMatch m = r.match(c.method, c.path);
    EXPECT_EQ(m.kind, c.kind);
    EXPECT_EQ(m.allow, c.allow);
    EXPECT_EQ(m.handler != nullptr, c.kind == RouteMatch::Kind::found);
  }
}

TEST(Router, RejectsMalformedPatternsAndDuplicates) {
  Router r;
  EXPECT_THROW(r.add("GET", "no-slash", "x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/x{id}", "x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{}", "x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{id}/{id}", "x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a", "x", Handler{}), std::invalid_argument);
  r.add("GET", "/a/{id}", "x", named("x"));
  EXPECT_THROW(r.add("GET", "/a/{id}", "y", named("y")), std::invalid_argument);
}

TEST(Metrics, RendersRequestCounterAndHistogram) {
  Metrics m;
  m.observe_request("lead_get", "GET", 200, 0.003);
  m.observe_request("lead_get", "GET", 200, 0.0005);  // on a bound: counted in that bucket
  m.observe_request("lead_get", "GET", 404, 7.0);     // above the last bound: only +Inf
  const std::string text = m.render();

  EXPECT_NE(text.find("# TYPE leadproc_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("leadproc_http_requests_total{method=\"GET\",route=\"lead_get\","
                      "status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("leadproc_http_requests_total{method=\"GET\",route=\"lead_get\","
                      "status=\"404\"} 1\n"),
            std::string::npos);

  const std::string h = "leadproc_http_request_duration_seconds";
  EXPECT_NE(text.find("# TYPE " + h + " histogram\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_bucket{route=\"lead_get\",le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_bucket{route=\"lead_get\",le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_bucket{route=\"lead_get\",le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_bucket{route=\"lead_get\",le=\"5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_bucket{route=\"lead_get\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_sum{route=\"lead_get\"} 7.0035\n"), std::string::npos);
  EXPECT_NE(text.find(h + "_count{route=\"lead_get\"} 3\n"), std::string::npos);
  // Families are sorted by name: the histogram family comes before the counter family.
  EXPECT_LT(text.find("# HELP " + h), text.find("# HELP leadproc_http_requests_total"));
}

TEST(Metrics, GenericCountersAndGaugesEscapeLabels) {
  Metrics m;
  m.inc("leadproc_leads_ingested_total", "Leads ingested.", {{"outcome", "created"}});
  m.inc("leadproc_leads_ingested_total", "Leads ingested.", {{"outcome", "created"}}, 2);
  m.inc("leadproc_leads_ingested_total", "Leads ingested.", {{"outcome", "dup\"e\\\n"}});
  m.set_gauge("leadproc_queue_depth", "Jobs waiting.", {}, 5);
  m.set_gauge("leadproc_queue_depth", "Jobs waiting.", {}, 3.5);
  const std::string text = m.render();
  EXPECT_EQ(text,
            "# HELP leadproc_leads_ingested_total Leads ingested.\n"
            "# TYPE leadproc_leads_ingested_total counter\n"
            "leadproc_leads_ingested_total{outcome=\"created\"} 3\n"
            "leadproc_leads_ingested_total{outcome=\"dup\\\"e\\\\\\n\"} 1\n"
            "# HELP leadproc_queue_depth Jobs waiting.\n"
            "# TYPE leadproc_queue_depth gauge\n"
            "leadproc_queue_depth 3.5\n");
}

TEST(Metrics, RejectsMisuse) {
  Metrics m;
  m.inc("leadproc_x_total", "x", {});
  EXPECT_THROW(m.set_gauge("leadproc_x_total", "x", {}, 1), std::invalid_argument);
  EXPECT_THROW(m.inc("leadproc_x_total", "x", {}, -1), std::invalid_argument);
  EXPECT_THROW(m.inc("bad-name", "x", {}), std::invalid_argument);
  EXPECT_THROW(m.inc("leadproc_y_total", "x", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_EQ(m.render().find("bad"), std::string::npos);
}

// A total kept elsewhere (the store's) is exposed as a counter holding the latest total.
TEST(Metrics, SetCounterExposesARunningTotal) {
  Metrics m;
  m.set_counter("leadproc_sqlite_writes_total", "Writes.", {}, 7);
  m.set_counter("leadproc_sqlite_writes_total", "Writes.", {}, 12);
  EXPECT_EQ(m.render(),
            "# HELP leadproc_sqlite_writes_total Writes.\n"
            "# TYPE leadproc_sqlite_writes_total counter\n"
            "leadproc_sqlite_writes_total 12\n");
  EXPECT_THROW(m.set_counter("leadproc_sqlite_writes_total", "Writes.", {}, -1),
               std::invalid_argument);
  m.set_gauge("leadproc_g", "g", {}, 1);
  EXPECT_THROW(m.set_counter("leadproc_g", "g", {}, 1), std::invalid_argument);
}

TEST(Log, AccessLogLevelKeepsErrorForFaults) {
  EXPECT_EQ(access_log_level(200), LogLevel::info);
  EXPECT_EQ(access_log_level(422), LogLevel::info);
  EXPECT_EQ(access_log_level(500), LogLevel::error);
  EXPECT_EQ(access_log_level(502), LogLevel::error);
  EXPECT_EQ(access_log_level(503), LogLevel::warn);  // shed load: expected, retried
}

TEST(Log, AccessLogLevelWarnsForLimitsAndLeavesClientErrorsAtInfo) {
  EXPECT_EQ(access_log_level(413), LogLevel::warn);
  EXPECT_EQ(access_log_level(429), LogLevel::warn);
  EXPECT_EQ(access_log_level(431), LogLevel::warn);
  EXPECT_EQ(access_log_level(401), LogLevel::info);
  EXPECT_EQ(access_log_level(404), LogLevel::info);
}

// A client's bytes reach the log (a path, a header): the line must stay valid JSON and UTF-8,
// and control characters must not reach a terminal raw.
TEST(Log, MalformedUtf8AndControlCharactersAreEscaped) {
  const std::string path = "/a\xff\xfe/b\x1b[31m\x7f\xc2\x9b\xc0\xaf\xed\xa0\x80/\xe2\x82";
  const std::string line = format_log_line(LogLevel::info, "request",
                                           {{"path", path}, {"ok", "caf\xc3\xa9 \xe2\x82\xac"}});
  for (unsigned char c : line) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << int{c};
  boost::json::parse_options strict;  // the default: malformed UTF-8 is an error
  const auto v = boost::json::parse(line, {}, strict).as_object();
  EXPECT_EQ(v.at("path").as_string(),
            "/a\ufffd\ufffd/b\x1b[31m\x7f\xc2\x9b"           // ESC, DEL, CSI (C1) kept, escaped
            "\ufffd\ufffd\ufffd\ufffd\ufffd/\ufffd\ufffd");  // overlong, surrogate, truncated
  EXPECT_NE(line.find("\\u001b"), std::string::npos) << line;
  EXPECT_NE(line.find("\\u009b"), std::string::npos) << line;
  EXPECT_EQ(v.at("ok").as_string(), "caf\xc3\xa9 \xe2\x82\xac");  // valid UTF-8 unchanged
}

TEST(Log, AccessLogNamesTheUserOrApiKey) {
  // log_request writes to stderr; the fields are checked through the same formatting.
  AccessLogEntry e{.trace_id = "t",
                   .method = "GET",
                   .route = "r",
                   .path = "/p",
                   .status = 200,
                   .duration_ms = 1,
                   .remote = "127.0.0.1",
                   .user = "u1",
                   .api_key = {}};
  testing::internal::CaptureStderr();
  log_request(e);
  e.user.clear();
  e.api_key = "k1";
  log_request(e);
  const std::string out = testing::internal::GetCapturedStderr();
  const auto nl = out.find('\n');
  const auto first = boost::json::parse(out.substr(0, nl)).as_object();
  const auto second = boost::json::parse(out.substr(nl + 1)).as_object();
  EXPECT_EQ(first.at("user").as_string(), "u1");
  EXPECT_FALSE(first.contains("api_key"));
  EXPECT_EQ(second.at("api_key").as_string(), "k1");
  EXPECT_FALSE(second.contains("user"));
}

TEST(Log, LineIsOneEscapedJsonObject) {
  const std::string line = format_log_line(LogLevel::error, "quote \" and\nnewline",
                                           {{"route", "lead_get"},
                                            {"status", 500},
                                            {"bytes", std::size_t{3}},
                                            {"ms", 1.5},
                                            {"ok", false}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v.at("level").as_string(), "error");
  EXPECT_EQ(v.at("msg").as_string(), "quote \" and\nnewline");
  EXPECT_EQ(v.at("route").as_string(), "lead_get");
  EXPECT_EQ(v.at("status").as_int64(), 500);
  EXPECT_EQ(v.at("bytes").to_number<std::uint64_t>(), 3u);
  EXPECT_EQ(v.at("ms").as_double(), 1.5);
  EXPECT_EQ(v.at("ok").as_bool(), false);
  const std::string ts(v.at("ts").as_string());  // 2024-05-01T12:00:00.123Z
  ASSERT_EQ(ts.size(), 24u);
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts.back(), 'Z');
}

TEST(Problem, BodyIsProblemJson) {
  const Response res = problem_response(404, "Not Found", "no \"x\"");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.content_type, "application/problem+json");
  const auto v = boost::json::parse(res.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "about:blank");
  EXPECT_EQ(v.at("title").as_string(), "Not Found");
  EXPECT_EQ(v.at("status").as_int64(), 404);
  EXPECT_EQ(v.at("detail").as_string(), "no \"x\"");
}

}  // namespace
}  // namespace leadproc::http
