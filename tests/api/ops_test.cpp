// Operations: health and readiness, Prometheus metrics, protocol errors, JSON logs, graceful
// stop, restart on the same database, configuration from the environment.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <sstream>

#include "harness.h"

namespace leadproc::apitest {
namespace {

class OpsApi : public SharedServerTest<OpsApi> {
 protected:
  std::string metrics() {
    Response r = http().get("/metrics");
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_TRUE(r.header("content-type").starts_with("text/plain")) << r.header("content-type");
    return r.body;
  }
};

TEST_F(OpsApi, HealthAndReadiness) {
  EXPECT_EQ(http().get("/healthz").status, 200);
  EXPECT_EQ(http().get("/readyz").status, 200);
}

// The document itself is checked by ctest `openapi` (tests/openapi); here: that a client
// without credentials gets it from the server, describing the routes the server really has.
TEST_F(OpsApi, OpenApiDocumentIsServedToAnyone) {
  HttpClient anonymous(server().base_url());
  Response r = anonymous.get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(r.header("content-type").starts_with("application/json"));
  json::object doc = r.json().as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  EXPECT_EQ(paths.at("/api/v1/leads").as_object().at("post").as_object().at("operationId"),
            "leads.create");
  EXPECT_TRUE(paths.at("/api/v1/openapi.json").as_object().contains("get"));
  // The benchmark-only route is described only where the server has it.
  EXPECT_FALSE(paths.contains("/api/v1/_bench/echo"));
  // A field's size limit comes from domain/field_limits.h.
  const auto& lead = doc.at("components").as_object().at("schemas").as_object().at("LeadInput");
  EXPECT_EQ(lead.at("properties").at("name").at("maxLength").to_number<int>(), 200);
}

// The test-only clock (LEADPROC_TEST_CLOCK, on for test servers): forward only, by a number of
// seconds, every bad field named; the use cases see the moved clock (a follow-up due in a minute
// is overdue once the clock moved two).
TEST_F(OpsApi, TestClockMovesTheServersClockForward) {
  for (const json::value& bad :
       {json::value(0), json::value(-5), json::value("60"), json::value(40000000)}) {
    Response r = http().post("/api/v1/_test/clock", json::object{{"advanceSeconds", bad}});
    expect_problem(r, 422);
    EXPECT_TRUE(contains(problem_fields(r), "advanceSeconds")) << r.describe();
  }
  Response extra =
      http().post("/api/v1/_test/clock", json::object{{"advanceSeconds", 1}, {"rewind", true}});
  expect_problem(extra, 422);
  EXPECT_TRUE(contains(problem_fields(extra), "rewind")) << extra.describe();

  const auto before = std::chrono::system_clock::now();
  const std::string now = advance_clock(http(), std::chrono::seconds(3600));
  std::tm tm{};
  ASSERT_TRUE(strptime(now.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) << now;
  const auto moved = std::chrono::system_clock::from_time_t(timegm(&tm));
  EXPECT_GE(moved,
            std::chrono::time_point_cast<std::chrono::seconds>(before) + std::chrono::seconds(3599))
      << now;
}

TEST_F(OpsApi, MetricsCountRequestsAndIngestedLeads) {
  const std::string before = metrics();
  const double requests_before = metric_sum(before, "leadproc_http_requests_total").value_or(0);
  const double leads_before = metric_sum(before, "leadproc_leads_ingested_total").value_or(0);

  ingest(http(), lead_body("Metric", next_mobile()));
  EXPECT_EQ(http().get("/healthz").status, 200);

  const std::string after = metrics();
  ASSERT_TRUE(metric_sum(after, "leadproc_http_requests_total")) << after;
  EXPECT_GE(*metric_sum(after, "leadproc_http_requests_total"), requests_before + 2) << after;
  ASSERT_TRUE(metric_sum(after, "leadproc_leads_ingested_total")) << after;
  EXPECT_EQ(*metric_sum(after, "leadproc_leads_ingested_total"), leads_before + 1) << after;
  EXPECT_NE(after.find("leadproc_leads_ingested_total{outcome=\""), std::string::npos) << after;
}

// The SQLite adapter's group-commit counters reach /metrics: every stored lead is a write, and
// writes are committed in transactions of one or more.
TEST_F(OpsApi, MetricsShowSqliteWritesAndTheirTransactions) {
  if (!server().database_url().starts_with("sqlite:")) GTEST_SKIP() << "a SQLite metric";
  const std::string before = metrics();
  const double writes_before = metric_sum(before, "leadproc_sqlite_writes_total").value_or(0);
  const double tx_before =
      metric_sum(before, "leadproc_sqlite_write_transactions_total").value_or(0);
  const double busy_before =
      metric_sum(before, "leadproc_sqlite_writer_busy_seconds_total").value_or(0);
  const double cpu_before =
      metric_sum(before, "leadproc_sqlite_writer_cpu_seconds_total").value_or(0);

  ingest(http(), lead_body("Counted", next_mobile()));

  const std::string after = metrics();
  ASSERT_TRUE(metric_sum(after, "leadproc_sqlite_writes_total")) << after;
  ASSERT_TRUE(metric_sum(after, "leadproc_sqlite_write_transactions_total")) << after;
  const double writes = *metric_sum(after, "leadproc_sqlite_writes_total") - writes_before;
  const double transactions =
      *metric_sum(after, "leadproc_sqlite_write_transactions_total") - tx_before;
  EXPECT_GE(writes, 1) << after;
  EXPECT_GE(transactions, 1) << after;
  EXPECT_LE(transactions, writes) << after;
  EXPECT_NE(after.find("# TYPE leadproc_sqlite_writes_total counter"), std::string::npos) << after;
  // The writer's time grew by the lead's transaction: some CPU, and at least as much wall time.
  ASSERT_TRUE(metric_sum(after, "leadproc_sqlite_writer_busy_seconds_total")) << after;
  ASSERT_TRUE(metric_sum(after, "leadproc_sqlite_writer_cpu_seconds_total")) << after;
  const double busy = *metric_sum(after, "leadproc_sqlite_writer_busy_seconds_total") - busy_before;
  const double cpu = *metric_sum(after, "leadproc_sqlite_writer_cpu_seconds_total") - cpu_before;
  EXPECT_GT(cpu, 0) << after;
  EXPECT_GT(busy, 0) << after;
}

TEST_F(OpsApi, UnknownRouteIsA404Problem) {
  for (const char* path : {"/api/v1/nope", "/nope", "/api/v1/leads/x/y/z"}) {
    SCOPED_TRACE(path);
    expect_problem(http().get(path), 404);
  }
}

TEST_F(OpsApi, WrongMethodIs405) {
  Response r = http().request("DELETE", "/api/v1/leads", std::nullopt);
  expect_problem(r, 405);
  EXPECT_NE(r.header("allow").find("POST"), std::string::npos) << "Allow: " << r.header("allow");
  expect_problem(http().request("PUT", "/healthz", std::string("{}")), 405);
}

TEST_F(OpsApi, BodyOverOneMebibyteIs413) {
  // Just under the limit is read (padded with whitespace: an unknown field would be kept under
  // `extra`, whose values have a size limit of their own)...
  json::object body = lead_body("Padded", next_mobile());
  std::string padded = json::serialize(body);
  padded.insert(padded.size() - 1, std::string(1000 * 1000, ' '));
  Response near = http().request("POST", "/api/v1/leads", padded);
  EXPECT_EQ(near.status, 201) << near.describe();

  // ...just over it is refused before the handler runs.
  body["padding"] = std::string((1 << 20) + 16, 'a');
  const std::size_t before = list_opportunities(http()).size();
  Response big = post_lead(http(), body, {{"Expect", "100-continue"}});
  expect_problem(big, 413);
  EXPECT_EQ(list_opportunities(http()).size(), before);

  HttpClient fresh = server().client();
  EXPECT_EQ(fresh.get("/healthz").status, 200) << "the server survives";
  EXPECT_EQ(post_lead(http(), lead_body("After", next_mobile())).status, 201);
}

TEST_F(OpsApi, LogsAreJsonLines) {
  ingest(http(), lead_body("Logged", next_mobile()));
  post_lead(http(), lead_body("", "12"));
  http().get("/api/v1/nope");
  const std::string log = server().log();
  std::istringstream in(log);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++lines;
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    EXPECT_TRUE(!ec && v.is_object()) << "not a JSON object log line: " << line;
  }
  EXPECT_GT(lines, 0) << "nothing logged";
}

// Servers of their own: stopping and restarting.

TEST(OpsLifecycle, SigtermStopsGracefullyAndDataSurvivesRestart) {
  std::string lead_id, opp_id, number;
  std::optional<TestServer> first;
  try {
    first.emplace();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  {
    HttpClient http = first->client();
    number = next_mobile();
    json::object a = ingest(http, lead_body("Durable", number));
    lead_id = str(a, "lead._id");
    opp_id = str(a, "opportunity._id");
  }
  EXPECT_EQ(first->stop(), 0) << "exit code after SIGTERM\n" << first->log();

  std::optional<TestServer> second;
  try {
    second.emplace(ServerOptions{first->database_url(), {}, false});
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  HttpClient http = second->client();
  Response lead = http.get("/api/v1/leads/" + lead_id);
  ASSERT_EQ(lead.status, 200) << lead.describe();
  EXPECT_EQ(str(lead.json(), "number"), e164_in(number));
  EXPECT_EQ(str(get_opportunity(http, opp_id), "number"), e164_in(number));
  // A restart keeps deduplicating against what was stored before it.
  json::object again = ingest(http, lead_body("Durable", number));
  EXPECT_EQ(at(again, "duplicate"), json::value(true));
  EXPECT_EQ(str(again, "opportunity.duplicateOf"), opp_id);
  EXPECT_EQ(second->stop(), 0) << second->log();
}

TEST(OpsLifecycle, ConfigurationFromTheEnvironment) {
  std::optional<TestServer> server;
  try {
    server.emplace(ServerOptions{std::nullopt, {{"LEADPROC_DEFAULT_REGION", "US"}}, true});
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  HttpClient http = server->client();
  const std::string suffix = next_mobile().substr(6);  // 4 digits
  json::object a = ingest(http, lead_body("Yankee", "(212) 555-" + suffix));
  EXPECT_EQ(str(a, "lead.number"), "+1212555" + suffix) << "national numbers use the region";
  json::object b = ingest(http, lead_body("Desi", "+91 " + next_mobile()));
  EXPECT_TRUE(str(b, "lead.number").starts_with("+91")) << "international numbers keep theirs";
}

// A setting the operator mistyped stops the server before it opens anything, naming the
// variable and what it held: it never silently becomes a zero, a default or "off".
TEST(OpsLifecycle, MalformedSettingsAreRefusedByName) {
  const auto dir = std::filesystem::temp_directory_path() / ("leadproc-settings-" + run_token());
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "never.db").string();
  const std::string serve = std::string(LEADPROC_BINARY) + " serve --listen 127.0.0.1:0 " +
                            "--database-url sqlite:" + db + " 2>&1";

  auto [code, out] = run_command(
      "env LEADPROC_WORKERS=sixteen LEADPROC_BENCH_ENDPOINTS=maybe LEADPROC_MAX_QUEUE=12x " +
      serve);
  EXPECT_EQ(code, 2) << out;
  for (const char* expected : {"LEADPROC_WORKERS is 'sixteen', not a whole number",
                               "LEADPROC_BENCH_ENDPOINTS is 'maybe', not 1, true",
                               "LEADPROC_MAX_QUEUE is '12x', not a whole number"})
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;

  // Well-formed but unusable values, from a variable or a flag: an error naming it, not a crash.
  for (const auto& [args, expected] : std::vector<std::pair<std::string, std::string>>{
           {"env LEADPROC_WORKERS=0 " + serve, "LEADPROC_WORKERS"},
           {"env LEADPROC_IO_THREADS=-1 " + serve, "LEADPROC_IO_THREADS"},
           {"env LEADPROC_SQLITE_GROUP_COMMIT=0 " + serve, "LEADPROC_SQLITE_GROUP_COMMIT"},
           {"env LEADPROC_SQLITE_CACHE_MIB=0 " + serve, "LEADPROC_SQLITE_CACHE_MIB"},
           {"env LEADPROC_SQLITE_MMAP_MIB=-1 " + serve, "LEADPROC_SQLITE_MMAP_MIB"}}) {
    auto [c, o] = run_command(args);
    EXPECT_EQ(c, 1) << args << "\n" << o;
    EXPECT_NE(o.find(expected), std::string::npos) << args << "\n" << o;
  }
  EXPECT_FALSE(std::filesystem::exists(db)) << "nothing is created before the settings are good";
  std::filesystem::remove_all(dir);
}

// An address the server cannot listen on is a message naming it, exit code 1: not an abort.
TEST(OpsLifecycle, AnAddressInUseOrMalformedIsAClearError) {
  const auto dir = std::filesystem::temp_directory_path() / ("leadproc-listen-" + run_token());
  std::filesystem::create_directories(dir);
  const std::string serve =
      std::string(LEADPROC_BINARY) + " serve --database-url sqlite:" + (dir / "l.db").string();

  // A port this test holds.
  const int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string taken = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  auto [code, out] = run_command(serve + " --listen " + taken + " 2>&1");
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("cannot listen on '" + taken + "'"), std::string::npos) << out;
  EXPECT_NE(out.find("Address already in use"), std::string::npos) << out;
  ::close(holder);

  auto [bad_code, bad_out] = run_command("env LEADPROC_LISTEN=nowhere " + serve + " 2>&1");
  EXPECT_EQ(bad_code, 1) << bad_out;
  EXPECT_NE(bad_out.find("cannot listen on 'nowhere' (LEADPROC_LISTEN"), std::string::npos)
      << bad_out;
  std::filesystem::remove_all(dir);
}

// Starts a server with `env`, checks that it stores a lead, and answers its log (the start-up
// line names the store's settings); "" when the server did not start (a failure recorded).
std::string log_of_a_server_that_stored_a_lead(const Headers& env) {
  std::optional<TestServer> server;
  try {
    server.emplace(ServerOptions{std::nullopt, env, true});
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
    return "";
  }
  HttpClient http = server->client();
  const std::string number = next_mobile();
  EXPECT_EQ(str(ingest(http, lead_body("Settings", number)), "lead.number"), e164_in(number));
  return server->log();
}

// LEADPROC_SQLITE_WAL_WRITE_BUFFER reaches the store: the start-up log names the VFS the writer
// really uses (read back from SQLite), and the server serves either way.
TEST(OpsLifecycle, TheWalWriteBufferSettingReachesTheStore) {
  if (!TestServer().database_url().starts_with("sqlite:")) GTEST_SKIP() << "a SQLite setting";
  for (const char* value : {"true", "false"}) {
    SCOPED_TRACE(value);
    const std::string log =
        log_of_a_server_that_stored_a_lead({{"LEADPROC_SQLITE_WAL_WRITE_BUFFER", value}});
    const bool buffered = log.find("writer VFS leadproc-wal-write-buffer") != std::string::npos;
    EXPECT_EQ(buffered, std::string(value) == "true") << log;
    EXPECT_NE(log.find("writer VFS "), std::string::npos) << log;
  }
}

// LEADPROC_SQLITE_WRITER_CPU reaches the store: on by default, the start-up log names the CPU
// the writer runs on (when the server may use two or more); off, it names none. Either way the
// server stores leads.
TEST(OpsLifecycle, TheWriterCpuSettingReachesTheStore) {
  if (!TestServer().database_url().starts_with("sqlite:")) GTEST_SKIP() << "a SQLite setting";
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  const bool can_split = CPU_COUNT(&allowed) >= 2;
  for (const char* value : {"", "false"}) {
    SCOPED_TRACE(value);
    Headers env;
    if (*value) env.emplace_back("LEADPROC_SQLITE_WRITER_CPU", value);
    const std::string log = log_of_a_server_that_stored_a_lead(env);
    EXPECT_EQ(log.find(", writer CPU ") != std::string::npos, can_split && !*value) << log;
  }
}

}  // namespace
}  // namespace leadproc::apitest
