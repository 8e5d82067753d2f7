// Black-box API test harness: start the real `leadproc serve` binary on a temporary database and
// a free loopback port, talk HTTP/JSON to it with libcurl, and create configuration fixtures.
//
// Database: ServerOptions::database_url if given; else LEADPROC_TEST_DATABASE_URL when set (e.g. a
// postgresql:// URL; a fresh empty database on it for each server (pg_database.h)); else a
// fresh SQLite file in the server's temporary directory.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadproc::apitest {

namespace json = boost::json;

using Headers = std::vector<std::pair<std::string, std::string>>;

// Thrown by the fixture helpers when the server refuses a setup step; GoogleTest reports it as a
// failure of the test that was running.
struct FixtureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// HTTP

struct Response {
  int status = 0;  // 0: no HTTP answer at all (see `error`)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-case; the last value wins
  std::string error;                           // transport error text when status == 0

  // The body parsed as JSON; records a test failure and returns null if it is not JSON.
  json::value json() const;
  // The header's value, "" if absent (`name` in any case).
  std::string header(std::string_view name) const;
  // "HTTP <status>: <body, truncated>" for failure messages.
  std::string describe() const;
};

// Records an answer for the OpenAPI check (LEADPROC_RECORD_RESPONSES; harness.cpp), as every
// HttpClient request is: for answers read by other clients (sse_client.h).
void record_answer(std::string_view method, const std::string& path, const Response& r);

// One libcurl easy handle (so one keep-alive connection) per client. Not thread-safe: give each
// thread its own client.
class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(HttpClient&& other) noexcept;
  HttpClient& operator=(HttpClient&& other) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Response get(const std::string& path, const Headers& headers = {});
  Response del(const std::string& path, const Headers& headers = {});
  Response post(const std::string& path, const json::value& body, const Headers& headers = {});
  Response patch(const std::string& path, const json::value& body, const Headers& headers = {});
  Response put(const std::string& path, const json::value& body, const Headers& headers = {});

  // Any method with a raw body (nullopt: no body), sent with `content_type`.
  Response request(std::string_view method, const std::string& path,
                   const std::optional<std::string>& body, const Headers& headers = {},
                   std::string_view content_type = "application/json");

  const std::string& base_url() const { return base_url_; }
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }
  // Headers sent with every request, before the per-request ones (e.g. Authorization).
  void set_default_headers(Headers headers) { default_headers_ = std::move(headers); }

 private:
  std::string base_url_;
  Headers default_headers_;
  void* curl_ = nullptr;  // CURL*
  std::chrono::milliseconds timeout_{30000};
};

// ---------------------------------------------------------------------------------------------
// The server process

struct ServerOptions {
  std::optional<std::string> database_url;  // see the file comment for the default
  Headers env;                              // extra environment variables for the server
  // Pass the database URL and listen address as LEADPROC_DATABASE_URL / LEADPROC_LISTEN instead
  // of --database-url / --listen.
  bool config_via_env = false;
  // If the API answers 401 to an anonymous request, create an ADMIN user with
  // `leadproc user create` (password on stdin) and log in (POST /api/v1/auth/login); client()
  // then sends that bearer token.
  bool authenticate = true;
  // RLIMIT_NOFILE (soft and hard) of the server process, as a service manager would set it.
  std::optional<unsigned long> open_files_limit = std::nullopt;
  // LEADPROC_TEST_CLOCK=1: the test-only POST /api/v1/_test/clock, so that a test of "later"
  // moves the server's clock (advance_clock) instead of sleeping.
  bool test_clock = true;
};

// Starts `leadproc serve` in its constructor (throws std::runtime_error, with the server's stderr,
// if it has not written its port file and answered /readyz within 15 s) and stops it in its
// destructor: SIGTERM, then SIGKILL after 10 s.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string base_url() const;
  const std::string& database_url() const { return database_url_; }
  // A client of this server, authenticated as the test admin when the server wants it.
  HttpClient client() const;
  // {"Authorization", "Bearer ..."} when the harness logged in, else empty.
  Headers auth_headers() const;

  // The server's stderr (and stdout) so far, and from a byte offset on.
  std::string log() const { return log_since(0); }
  std::string log_since(std::size_t offset) const;
  std::size_t log_size() const;

  // Sends SIGTERM and waits up to `grace`, then SIGKILLs. Returns the exit code (0 after a
  // graceful stop), or -N if killed by signal N. Idempotent: later calls return the same value.
  int stop(std::chrono::seconds grace = std::chrono::seconds(10));
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  void start(const ServerOptions& options);
  void log_in_as_admin();
  // Runs `leadproc <args>` on this server's database with `input` on stdin; returns the exit
  // code. Its output goes to cli.log in the server's directory.
  int run_cli(const std::vector<std::string>& args, const std::string& input);
  std::optional<int> reap(bool block);

  std::filesystem::path dir_;
  std::filesystem::path port_file_;
  std::filesystem::path log_file_;
  std::string database_url_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int exit_code_ = 0;
  std::string token_;  // bearer token of the test admin, if any
};

// ---------------------------------------------------------------------------------------------
// GoogleTest fixtures

// Prints the server log written since `offset` (the last 16 KiB of it) to stderr.
void print_server_log(const TestServer& server, std::size_t offset);

// One server for the whole test suite (started in SetUpTestSuite). `Tag` keeps one server per
// derived fixture class; derive as `class X : public SharedServerTest<X> {}`.
template <typename Tag>
class SharedServerTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    start_error_.clear();
    try {
      server_ = std::make_unique<TestServer>();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  void SetUp() override {
    ASSERT_TRUE(server_) << "leadproc did not start: " << start_error_;
    log_offset_ = server_->log_size();
    client_.emplace(server_->client());
  }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, log_offset_);
  }

  static TestServer& server() { return *server_; }
  HttpClient& http() { return *client_; }

  inline static std::unique_ptr<TestServer> server_;
  inline static std::string start_error_;
  std::optional<HttpClient> client_;
  std::size_t log_offset_ = 0;
};

// A fresh server (and database) for every test: for tests whose assertions depend on every
// lead and POC of the database, such as exact round-robin counts.
class FreshServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  TestServer& server() { return *server_; }
  HttpClient& http() { return *client_; }

  std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> client_;
};

// Runs `command` with /bin/sh and returns its exit code (-1 if it did not exit normally) and what
// it printed on stdout (add 2>&1 to the command for stderr too).
std::pair<int, std::string> run_command(const std::string& command);

// ---------------------------------------------------------------------------------------------
// Test data

// A token unique to this test run, to keep names and emails unique in a shared database.
const std::string& run_token();
// `base` plus a suffix unique in this run ("Goa-k3x9a-7").
std::string unique_name(std::string_view base);
// A fresh valid Indian mobile number, national format: "9XXXXXXXXX" (never 98765xxxxx).
std::string next_mobile();
// Its E.164 form: "+91" + the ten digits.
std::string e164_in(const std::string& national_mobile);

// The sum of every sample of metric `name` in Prometheus text (/metrics); nullopt if it has none.
std::optional<double> metric_sum(const std::string& text, std::string_view name);

// A minimal valid lead body.
json::object lead_body(std::string_view name, std::string_view number,
                       std::string_view platform = "website");

// The API's time format, "YYYY-MM-DDTHH:MM:SS.mmmZ", of Unix milliseconds, and back (-1 for
// anything else).
std::string iso(std::int64_t ms);
std::int64_t ms_of(const std::string& s);

// ---------------------------------------------------------------------------------------------
// Reading JSON answers

// The value at a dotted path ("opportunity.assignedPsv._id"); null when any step is missing.
const json::value& at(const json::value& v, std::string_view path);
const json::value& at(const json::object& o, std::string_view path);  // no temporary value
// The string at `path`. When absent or not a string, a unique placeholder ("<no string at PATH
// #N>") so that two missing values never compare equal.
std::string str(const json::value& v, std::string_view path);
std::string str(const json::object& o, std::string_view path);
// The integer at `path` (integral doubles too); nullopt when absent or not a number.
std::optional<std::int64_t> num(const json::value& v, std::string_view path);
std::optional<std::int64_t> num(const json::object& o, std::string_view path);
bool is_null_at(const json::value& v, std::string_view path);
bool is_null_at(const json::object& o, std::string_view path);
bool is_object_id(std::string_view s);

// ---------------------------------------------------------------------------------------------
// Problems (RFC 9457 problem+json)

// Expects `status`, Content-Type application/problem+json and a body whose `status` is `status`
// and `title` is non-empty.
void expect_problem(const Response& r, int status);
// The `field` of every entry of the problem's `errors` array.
std::vector<std::string> problem_fields(const Response& r);
bool contains(const std::vector<std::string>& v, std::string_view s);

// ---------------------------------------------------------------------------------------------
// Fixtures: each expects 201 and throws FixtureError otherwise.

// department: SALES | PSV | WEST | ADMIN. Returns the user's _id.
std::string create_user(HttpClient& http, std::string_view department,
                        std::string first_name = "Agent");
// Returns the destination's _id.
std::string create_destination(HttpClient& http, const std::string& name,
                               const std::vector<std::string>& slugs = {}, double preference = 1.0);

struct MapEntry {
  MapEntry(std::string destination, int share = 100, bool active = true,
           std::optional<std::string> sheet = std::nullopt,
           std::optional<std::string> waba = std::nullopt)
      : destination_id(std::move(destination)),
        load_share(share),
        is_active(active),
        sheet_name(std::move(sheet)),
        waba_number(std::move(waba)) {}
  std::string destination_id;
  int load_share;
  bool is_active;
  std::optional<std::string> sheet_name;
  std::optional<std::string> waba_number;
};
// process: PSV | WEST | NO-FILTER | UNKNOWN | UPCOMING. Returns the map's _id.
std::string create_map(HttpClient& http, std::string_view process,
                       const std::vector<MapEntry>& entries);

struct Poc {
  std::string person_id;
  std::string process;                    // Sales | PSV | West
  std::vector<std::string> destinations;  // destination _ids (tests never leave it empty)
  std::vector<std::string> source;        // platforms; empty: a generalist
  std::optional<int> seq;
  bool is_available = true;
};
// Returns the created availability object.
json::object create_availability(HttpClient& http, const Poc& poc);
// A PSV POC for `destination`, a new PSV user, with seq `seq` and the extra fields of `body`
// (shifts, leave, cap, weight, ...); its availability _id ("" when not created: the expectation
// failed).
std::string create_psv_poc(HttpClient& http, const std::string& destination, json::object body,
                           int seq);

// A new destination routed to PSV (a fresh database's PSV map) whose one POC is a new PSV user
// named `agent`: every lead for it is theirs while they are alone in the pool.
struct OneAgentDesk {
  std::string destination, agent;
};
OneAgentDesk one_agent_desk(HttpClient& http, std::string_view agent);

// `n` new leads for `destination`; their opportunity ids, in order.
std::vector<std::string> leads_for(HttpClient& http, const std::string& destination, int n);

// A rush: `leads` new leads for `destination` (each its own number, named `name` and its index)
// posted by `clients` clients spread over `servers` at once (released together, client t of
// servers[t % servers.size()] sending every clients-th lead). Returns how many were not
// answered 201.
int rush_leads(const std::vector<TestServer*>& servers, const std::string& destination, int leads,
               int clients, std::string_view name);
// The same rush on one server.
int rush_leads(TestServer& server, const std::string& destination, int leads, int clients,
               std::string_view name);

// Moves the server's clock forward by `by` (POST /api/v1/_test/clock, as an admin: `admin`
// sends an admin's token) and returns its new now (ISO-8601). Throws FixtureError on failure.
std::string advance_clock(HttpClient& admin, std::chrono::seconds by);

// POST /api/v1/leads.
Response post_lead(HttpClient& http, const json::object& body, const Headers& headers = {});
// POST /api/v1/leads expecting 201; returns {"lead", "opportunity", "duplicate"}.
json::object ingest(HttpClient& http, const json::object& body, const Headers& headers = {});
// POST /api/v1/leads of `raw` (or `body`) expecting a 422 problem naming at least `fields` (a
// failure for each one missing) and nothing stored: as many opportunities after as before.
Response expect_lead_refused(HttpClient& http, const std::string& raw,
                             const std::vector<std::string>& fields);
Response expect_lead_refused(HttpClient& http, const json::object& body,
                             const std::vector<std::string>& fields);

// Pages through GET /api/v1/opportunities?<query> (newest first) with the cursor.
std::vector<json::object> list_opportunities(HttpClient& http, const std::string& query = "",
                                             int page_size = 200);
// GET /api/v1/availabilities?process=<process>: the items, by _id.
std::map<std::string, json::object> availabilities_by_id(HttpClient& http,
                                                         std::string_view process);
// GET /api/v1/opportunities/{id} expecting 200.
json::object get_opportunity(HttpClient& http, const std::string& id);
// GET /api/v1/opportunities/{id}/activities expecting 200: the items, newest first.
std::vector<json::object> activities_of(HttpClient& http, const std::string& opportunity_id);
// Every web URL (consumed and not), by url.
std::map<std::string, json::object> weburls_by_url(HttpClient& http);
// Web URLs of GET /api/v1/weburls?consumed=<consumed>, in the server's order.
std::vector<json::object> list_weburls(HttpClient& http, bool consumed);

}  // namespace leadproc::apitest
