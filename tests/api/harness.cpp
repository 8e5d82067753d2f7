#include "harness.h"
#include "pg_database.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#ifndef LEADPROC_BINARY
#error "LEADPROC_BINARY must name the leadproc executable"
#endif

extern char** environ;

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

void ensure_curl_global() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100 Continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    (*headers)[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * n;
}

std::string read_file(const std::filesystem::path& p, std::size_t offset = 0) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string tail(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  return "[...]\n" + s.substr(s.size() - max);
}

std::filesystem::path make_temp_dir() {
  std::string base = (std::filesystem::temp_directory_path() / "leadproc-api-XXXXXX").string();
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data()))
    throw std::runtime_error("mkdtemp failed: " + std::string(strerror(errno)));
  return std::filesystem::path(buf.data());
}

bool keep_temp() {
  const char* keep = std::getenv("LEADPROC_TEST_KEEP_TMP");
  return keep && *keep && std::string(keep) != "0";
}

// The answers of this suite, for the OpenAPI check (tests/openapi/validate.mjs validates each
// against the document's schema of its route and status). When LEADPROC_RECORD_RESPONSES names
// a file, it is rewritten once per run of the suite and every answer is appended to it as one
// JSON line {method, path, status, contentType, body}: at most kRecordedPerKey answers per
// (method, path without query, status), none over kRecordedBodyLimit bytes, so that the bulk
// tests (thousands of leads) do not make it huge.
constexpr int kRecordedPerKey = 5;
constexpr std::size_t kRecordedBodyLimit = 256 * 1024;

void record_response(std::string_view method, const std::string& path, const Response& r) {
  static const char* file = std::getenv("LEADPROC_RECORD_RESPONSES");
  if (!file || !*file || r.status == 0 || r.body.size() > kRecordedBodyLimit) return;
  static std::mutex mutex;
  static std::ofstream out(file, std::ios::trunc);
  static std::map<std::string, int> seen;
  const std::string key =
      std::string(method) + " " + path.substr(0, path.find('?')) + " " + std::to_string(r.status);
  std::lock_guard lock(mutex);
  if (++seen[key] > kRecordedPerKey) return;
  out << boost::json::serialize(boost::json::object{{"method", method},
                                                    {"path", path},
                                                    {"status", r.status},
                                                    {"contentType", r.header("content-type")},
                                                    {"body", r.body}})
      << "\n";
  out.flush();
}

}  // namespace

void record_answer(std::string_view method, const std::string& path, const Response& r) {
  record_response(method, path, r);
}

// ---------------------------------------------------------------------------------------------
// Response

json::value Response::json() const {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    ADD_FAILURE() << "response body is not JSON (" << ec.message() << "): " << describe();
    return nullptr;
  }
  return v;
}

std::string Response::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string Response::describe() const {
  if (status == 0) return "no HTTP answer: " + error;
  std::string b = body.size() > 2000 ? body.substr(0, 2000) + "[...]" : body;
  return "HTTP " + std::to_string(status) + ": " + b;
}

// ---------------------------------------------------------------------------------------------
// HttpClient

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)) {
  ensure_curl_global();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpClient::HttpClient(HttpClient&& other) noexcept
    : base_url_(std::move(other.base_url_)),
      default_headers_(std::move(other.default_headers_)),
      curl_(other.curl_),
      timeout_(other.timeout_) {
  other.curl_ = nullptr;
}

HttpClient& HttpClient::operator=(HttpClient&& other) noexcept {
  if (this != &other) {
    if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
    base_url_ = std::move(other.base_url_);
    default_headers_ = std::move(other.default_headers_);
    curl_ = other.curl_;
    timeout_ = other.timeout_;
    other.curl_ = nullptr;
  }
  return *this;
}

Response HttpClient::get(const std::string& path, const Headers& headers) {
  return request("GET", path, std::nullopt, headers);
}
Response HttpClient::del(const std::string& path, const Headers& headers) {
  return request("DELETE", path, std::nullopt, headers);
}
Response HttpClient::post(const std::string& path, const json::value& body,
                          const Headers& headers) {
  return request("POST", path, json::serialize(body), headers);
}
Response HttpClient::patch(const std::string& path, const json::value& body,
                           const Headers& headers) {
  return request("PATCH", path, json::serialize(body), headers);
}
Response HttpClient::put(const std::string& path, const json::value& body, const Headers& headers) {
  return request("PUT", path, json::serialize(body), headers);
}

Response HttpClient::request(std::string_view method, const std::string& path,
                             const std::optional<std::string>& body, const Headers& headers,
                             std::string_view content_type) {
  auto* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache: keep-alive
  Response r;
  const std::string url = base_url_ + path;
  const std::string method_text(method);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  if (method_text == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (method_text == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  }
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }

  curl_slist* list = nullptr;
  bool has_expect = false;
  bool has_accept = false;  // a browser's Accept, e.g. (website forms answer it differently)
  for (const auto& [name, value] : default_headers_)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  for (const auto& [name, value] : headers) {
    if (lower(name) == "expect") has_expect = true;
    if (lower(name) == "accept") has_accept = true;
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  if (!has_expect) list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  if (body) list = curl_slist_append(list, ("Content-Type: " + std::string(content_type)).c_str());
  if (!has_accept) list = curl_slist_append(list, "Accept: application/json");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    return r;
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  r.status = static_cast<int>(code);
  record_response(method, path, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// TestServer

TestServer::TestServer(ServerOptions options) {
  dir_ = make_temp_dir();
  port_file_ = dir_ / "port";
  log_file_ = dir_ / "server.log";
  if (options.database_url) {
    database_url_ = *options.database_url;
  } else if (const char* url = std::getenv("LEADPROC_TEST_DATABASE_URL"); url && *url) {
    // On a PostgreSQL server every test server gets a fresh, empty database of its own.
    database_url_ = pgtest::is_postgres_url(url) ? pgtest::fresh_database(url) : url;
  } else {
    database_url_ = "sqlite:" + (dir_ / "leadproc.db").string();
  }
  try {
    start(options);
  } catch (...) {
    stop(2s);
    if (!keep_temp()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    throw;
  }
}

TestServer::~TestServer() {
  int code = stop();
  if (code != 0)
    std::cerr << "[harness] leadproc on port " << port_ << " did not stop cleanly (exit " << code
              << "); its log:\n"
              << tail(log(), 4000) << "\n";
  if (!keep_temp()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  } else {
    std::cerr << "[harness] kept " << dir_ << "\n";
  }
}

std::string TestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string TestServer::log_since(std::size_t offset) const {
  return read_file(log_file_, offset);
}

std::size_t TestServer::log_size() const {
  std::error_code ec;
  auto size = std::filesystem::file_size(log_file_, ec);
  return ec ? 0 : static_cast<std::size_t>(size);
}

void TestServer::start(const ServerOptions& options) {
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  std::vector<std::string> args = {LEADPROC_BINARY, "serve"};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    // The server's configuration comes from this harness only.
    if (kv.starts_with("LEADPROC_") && !kv.starts_with("LEADPROC_TEST_")) continue;
    env.emplace_back(kv);
  }
  if (options.config_via_env) {
    env.push_back("LEADPROC_DATABASE_URL=" + database_url_);
    env.push_back("LEADPROC_LISTEN=127.0.0.1:0");
  } else {
    args.insert(args.end(), {"--database-url", database_url_, "--listen", "127.0.0.1:0"});
  }
  args.insert(args.end(), {"--port-file", port_file_.string()});
  for (const auto& [name, value] : options.env) env.push_back(name + "=" + value);
  if (options.test_clock) env.push_back("LEADPROC_TEST_CLOCK=1");
  // No queue deadline unless a test sets one: on a busy test machine a request may wait in the
  // queue longer than the default 1 s, and a 503 for that would make a test depend on timing.
  if (std::none_of(options.env.begin(), options.env.end(),
                   [](const auto& kv) { return kv.first == "LEADPROC_QUEUE_DEADLINE_MS"; }))
    env.push_back("LEADPROC_QUEUE_DEADLINE_MS=0");

  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int log_fd = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log_file_.string());
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const std::optional<rlimit> files =
      options.open_files_limit
          ? std::optional<rlimit>(rlimit{*options.open_files_limit, *options.open_files_limit})
          : std::nullopt;
  pid_t pid = fork();
  if (pid < 0) {
    ::close(log_fd);
    ::close(null_fd);
    throw std::runtime_error("fork failed: " + std::string(strerror(errno)));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // no orphaned servers if the tests die
    if (getppid() != parent) _exit(126);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    if (files && setrlimit(RLIMIT_NOFILE, &*files) != 0) _exit(125);
    execve(argv[0], argv.data(), envp.data());
    const char msg[] = "[harness] execve of leadproc failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + 15s;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("leadproc serve (" + database_url_ + "): " + why +
                             "\n---- leadproc stderr ----\n" + tail(log(), 8000) +
                             "\n---- end of leadproc stderr ----");
  };
  while (port_ == 0) {
    if (auto code = reap(false)) fail("exited with code " + std::to_string(*code) + " at start");
    std::string text = trim(read_file(port_file_));
    if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit) && text.size() <= 5) {
      int port = std::stoi(text);
      if (port > 0 && port < 65536) port_ = static_cast<std::uint16_t>(port);
    }
    if (port_ == 0) {
      if (std::chrono::steady_clock::now() > deadline) fail("no port file within 15 s");
      std::this_thread::sleep_for(10ms);
    }
  }
  HttpClient probe(base_url());
  probe.set_timeout(2s);
  while (true) {
    if (auto code = reap(false)) fail("exited with code " + std::to_string(*code) + " at start");
    Response r = probe.get("/readyz");
    if (r.status == 200) break;
    if (std::chrono::steady_clock::now() > deadline)
      fail("/readyz did not answer 200 within 15 s (last: " + r.describe() + ")");
    std::this_thread::sleep_for(20ms);
  }
  if (options.authenticate) {
    try {
      log_in_as_admin();
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
}

HttpClient TestServer::client() const {
  HttpClient c(base_url());
  c.set_default_headers(auth_headers());
  return c;
}

Headers TestServer::auth_headers() const {
  if (token_.empty()) return {};
  return {{"Authorization", "Bearer " + token_}};
}

void TestServer::log_in_as_admin() {
  HttpClient http(base_url());
  // Authentication is always on: an unauthenticated read that is not refused means the guard is
  // broken, which must fail every test rather than let them run as if nobody had to sign in.
  if (const Response probe = http.get("/api/v1/opportunities?limit=1"); probe.status != 401)
    throw std::runtime_error("an unauthenticated read was not refused with 401: " +
                             probe.describe());
  static std::atomic<int> counter{0};
  const std::string email =
      "test.admin." + std::to_string(++counter) + "." + run_token() + "@example.test";
  const std::string password = "api-test-password-" + run_token();
  const int code = run_cli({"user", "create", "--email", email, "--department", "ADMIN",
                            "--first-name", "Test", "--last-name", "Admin"},
                           password + "\n");
  if (code != 0)
    throw std::runtime_error("`leadproc user create` of the test admin exited with " +
                             std::to_string(code) + ":\n" + read_file(dir_ / "cli.log"));
  Response login =
      http.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
  boost::system::error_code ec;
  json::value v = json::parse(login.body, ec);
  if (login.status != 200 || ec || !at(v, "token").is_string())
    throw std::runtime_error("logging in as the test admin: " + login.describe());
  token_ = std::string(at(v, "token").get_string());
}

int TestServer::run_cli(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv_s = {LEADPROC_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    if (kv.starts_with("LEADPROC_") && !kv.starts_with("LEADPROC_TEST_")) continue;
    env.emplace_back(kv);
  }
  env.push_back("LEADPROC_DATABASE_URL=" + database_url_);
  env.push_back("LEADPROC_BCRYPT_COST=4");  // a fast hash: this is a throwaway account
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  const std::filesystem::path log = dir_ / "cli.log";
  int out_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int fds[2];
  if (out_fd < 0 || ::pipe2(fds, O_CLOEXEC) != 0) {
    if (out_fd >= 0) ::close(out_fd);
    throw std::runtime_error("run_cli: cannot set up the child's files");
  }
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(strerror(errno)));
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  ::close(fds[0]);
  ::close(out_fd);
  [[maybe_unused]] auto n = ::write(fds[1], input.data(), input.size());
  ::close(fds[1]);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -SIGKILL;
    }
    std::this_thread::sleep_for(5ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::optional<int> TestServer::reap(bool block) {
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == 0) return std::nullopt;
  if (r < 0) {
    pid_ = -1;
    exit_code_ = -1;
    return exit_code_;
  }
  pid_ = -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return exit_code_;
}

int TestServer::stop(std::chrono::seconds grace) {
  if (pid_ <= 0) return exit_code_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto code = reap(false)) return *code;
    std::this_thread::sleep_for(10ms);
  }
  std::cerr << "[harness] leadproc did not stop within " << grace.count()
            << " s of SIGTERM: SIGKILL\n";
  ::kill(pid_, SIGKILL);
  return *reap(true);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

void print_server_log(const TestServer& server, std::size_t offset) {
  std::cerr << "---- leadproc stderr during this test (" << server.database_url() << ") ----\n"
            << tail(server.log_since(offset), 16000) << "\n---- end of leadproc stderr ----\n";
}

void FreshServerTest::SetUp() {
  try {
    server_ = std::make_unique<TestServer>();
  } catch (const std::exception& e) {
    FAIL() << "leadproc did not start: " << e.what();
  }
  client_.emplace(server_->client());
}

void FreshServerTest::TearDown() {
  if (HasFailure() && server_) print_server_log(*server_, 0);
  client_.reset();
  server_.reset();
}

// ---------------------------------------------------------------------------------------------
// Test data

const std::string& run_token() {
  static const std::string token = [] {
    std::random_device rd;
    std::uint64_t x =
        (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ static_cast<std::uint64_t>(getpid()) ^
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string s;
    for (int i = 0; i < 6; ++i, x /= 36) s.push_back(digits[x % 36]);
    return s;
  }();
  return token;
}

std::string unique_name(std::string_view base) {
  static std::atomic<int> counter{0};
  return std::string(base) + "-" + run_token() + "-" + std::to_string(++counter);
}

std::string next_mobile() {
  // 9100000000..9799999999 from a random start, then consecutive: never 98765xxxxx (used as a
  // fixed number by the tests) and, with high probability, not a number of an earlier run.
  static std::atomic<std::int64_t> next = [] {
    std::random_device rd;
    std::uint64_t r = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    return static_cast<std::int64_t>(9100000000LL + static_cast<std::int64_t>(r % 600000000ULL));
  }();
  return std::to_string(next.fetch_add(1));
}

std::string e164_in(const std::string& national_mobile) {
  return "+91" + national_mobile;
}

std::optional<double> metric_sum(const std::string& text, std::string_view name) {
  std::optional<double> sum;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || !line.starts_with(name)) continue;
    std::size_t pos = name.size();
    if (pos < line.size() && line[pos] == '{') {
      auto close = line.find('}', pos);
      if (close == std::string::npos) continue;
      pos = close + 1;
    } else if (pos >= line.size() || line[pos] != ' ') {
      continue;  // a longer metric name with the same prefix
    }
    std::istringstream value(line.substr(pos));
    double v = 0;
    if (value >> v) sum = sum.value_or(0) + v;
  }
  return sum;
}

json::object lead_body(std::string_view name, std::string_view number, std::string_view platform) {
  return json::object{
      {"name", name}, {"number", number}, {"leadSource", json::object{{"platform", platform}}}};
}

// ---------------------------------------------------------------------------------------------
// Reading JSON answers

namespace {
const json::value& walk(const json::value* cur, std::string_view path) {
  static const json::value null_value = nullptr;
  while (!path.empty()) {
    auto dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (!cur->is_object()) return null_value;
    auto it = cur->get_object().find(key);
    if (it == cur->get_object().end()) return null_value;
    cur = &it->value();
  }
  return *cur;
}

std::string string_or_placeholder(const json::value& x, std::string_view path) {
  static std::atomic<int> missing{0};
  if (x.is_string()) return std::string(x.get_string());
  return "<no string at " + std::string(path) + " #" + std::to_string(++missing) + ">";
}

std::optional<std::int64_t> integer_of(const json::value& x) {
  if (x.is_int64()) return x.get_int64();
  if (x.is_uint64()) return static_cast<std::int64_t>(x.get_uint64());
  if (x.is_double() && std::floor(x.get_double()) == x.get_double())
    return static_cast<std::int64_t>(x.get_double());
  return std::nullopt;
}
}  // namespace

const json::value& at(const json::value& v, std::string_view path) {
  return walk(&v, path);
}

const json::value& at(const json::object& o, std::string_view path) {
  static const json::value null_value = nullptr;
  auto dot = path.find('.');
  auto it = o.find(path.substr(0, dot));
  if (it == o.end()) return null_value;
  return dot == std::string_view::npos ? it->value() : walk(&it->value(), path.substr(dot + 1));
}

std::string str(const json::value& v, std::string_view path) {
  return string_or_placeholder(at(v, path), path);
}
std::string str(const json::object& o, std::string_view path) {
  return string_or_placeholder(at(o, path), path);
}
std::optional<std::int64_t> num(const json::value& v, std::string_view path) {
  return integer_of(at(v, path));
}
std::optional<std::int64_t> num(const json::object& o, std::string_view path) {
  return integer_of(at(o, path));
}
bool is_null_at(const json::value& v, std::string_view path) {
  return at(v, path).is_null();
}
bool is_null_at(const json::object& o, std::string_view path) {
  return at(o, path).is_null();
}

bool is_object_id(std::string_view s) {
  return s.size() == 24 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

// ---------------------------------------------------------------------------------------------
// Problems

void expect_problem(const Response& r, int status) {
  EXPECT_EQ(r.status, status) << r.describe();
  EXPECT_TRUE(r.header("content-type").starts_with("application/problem+json"))
      << "Content-Type: '" << r.header("content-type") << "'";
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  ASSERT_FALSE(ec) << "problem body is not JSON: " << r.describe();
  EXPECT_EQ(num(v, "status"), status) << r.describe();
  EXPECT_TRUE(at(v, "title").is_string() && !at(v, "title").get_string().empty()) << r.describe();
  EXPECT_TRUE(at(v, "type").is_string() && !at(v, "type").get_string().empty()) << r.describe();
  if (status == 422) {
    EXPECT_TRUE(at(v, "errors").is_array()) << "a 422 lists the bad fields: " << r.describe();
  }
}

std::vector<std::string> problem_fields(const Response& r) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec) return out;
  const auto& errors = at(v, "errors");
  if (!errors.is_array()) return out;
  for (const auto& e : errors.get_array()) {
    const auto& f = at(e, "field");
    if (f.is_string()) out.emplace_back(f.get_string());
  }
  return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ---------------------------------------------------------------------------------------------
// Fixtures

namespace {
json::object expect_created(const Response& r, std::string_view what) {
  if (r.status != 201) throw FixtureError("creating " + std::string(what) + ": " + r.describe());
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object())
    throw FixtureError("creating " + std::string(what) + ": not a JSON object: " + r.describe());
  if (!is_object_id(str(v, "_id")))
    throw FixtureError("creating " + std::string(what) + ": no 24-hex _id: " + r.describe());
  return v.get_object();
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
}  // namespace

std::string create_user(HttpClient& http, std::string_view department, std::string first_name) {
  static std::atomic<int> counter{0};
  std::string email =
      lower(first_name) + "." + std::to_string(++counter) + "." + run_token() + "@example.test";
  auto r = http.post("/api/v1/users", json::object{{"email", email},
                                                   {"firstName", first_name},
                                                   {"lastName", "Tester"},
                                                   {"department", department}});
  return str(expect_created(r, "user"), "_id");
}

std::string create_destination(HttpClient& http, const std::string& name,
                               const std::vector<std::string>& slugs, double preference) {
  auto r = http.post(
      "/api/v1/destinations",
      json::object{{"name", name}, {"slugs", strings(slugs)}, {"preference", preference}});
  return str(expect_created(r, "destination"), "_id");
}

std::string create_map(HttpClient& http, std::string_view process,
                       const std::vector<MapEntry>& entries) {
  json::array destinations;
  for (const auto& e : entries) {
    json::object o{
        {"_id", e.destination_id}, {"isActive", e.is_active}, {"loadShare", e.load_share}};
    if (e.sheet_name) o["sheetName"] = *e.sheet_name;
    if (e.waba_number) o["wabaNumber"] = *e.waba_number;
    destinations.emplace_back(std::move(o));
  }
  auto r = http.post("/api/v1/process-destination-maps",
                     json::object{{"process", process}, {"destinations", std::move(destinations)}});
  return str(expect_created(r, "process-destination map"), "_id");
}

std::string create_psv_poc(HttpClient& http, const std::string& destination, json::object body,
                           int seq) {
  body["personId"] = create_user(http, "PSV", "Ruled");
  body["process"] = "PSV";
  body["destinations"] = json::array{json::value(destination)};
  body["seq"] = seq;
  Response r = http.post("/api/v1/availabilities", body);
  EXPECT_EQ(r.status, 201) << r.describe();
  return r.status == 201 ? str(r.json(), "_id") : "";
}

json::object create_availability(HttpClient& http, const Poc& poc) {
  json::array destinations;
  for (const auto& id : poc.destinations) destinations.emplace_back(json::object{{"_id", id}});
  json::object body{{"personId", poc.person_id},
                    {"process", poc.process},
                    {"source", strings(poc.source)},
                    {"destinations", std::move(destinations)},
                    {"isAvailable", poc.is_available}};
  if (poc.seq) body["seq"] = *poc.seq;
  return expect_created(http.post("/api/v1/availabilities", body), "availability");
}

OneAgentDesk one_agent_desk(HttpClient& http, std::string_view agent) {
  OneAgentDesk desk;
  desk.destination = create_destination(http, unique_name("Goa"));
  create_map(http, "PSV", {MapEntry(desk.destination)});
  desk.agent = create_user(http, "PSV", std::string(agent));
  create_availability(http, {desk.agent, "PSV", {desk.destination}, {}, 1, true});
  return desk;
}

std::vector<std::string> leads_for(HttpClient& http, const std::string& destination, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    json::object body = lead_body("Asha Rao", next_mobile());
    body["destination"] = destination;
    out.push_back(str(ingest(http, body), "opportunity._id"));
  }
  return out;
}

int rush_leads(TestServer& server, const std::string& destination, int leads, int clients,
               std::string_view name) {
  return rush_leads(std::vector<TestServer*>{&server}, destination, leads, clients, name);
}

int rush_leads(const std::vector<TestServer*>& servers, const std::string& destination, int leads,
               int clients, std::string_view name) {
  std::vector<std::string> numbers;
  for (int i = 0; i < leads; ++i) numbers.push_back(next_mobile());
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  std::latch start(clients);
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = servers[t % servers.size()]->client();
      start.arrive_and_wait();
      for (int i = t; i < leads; i += clients) {
        json::object body = lead_body(std::string(name) + " " + std::to_string(i), numbers[i]);
        body["destination"] = destination;
        if (post_lead(client, body).status != 201) ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  return refused.load();
}

std::string advance_clock(HttpClient& admin, std::chrono::seconds by) {
  Response r = admin.post("/api/v1/_test/clock", json::object{{"advanceSeconds", by.count()}});
  if (r.status != 200) throw FixtureError("moving the clock: " + r.describe());
  return str(r.json(), "now");
}

Response post_lead(HttpClient& http, const json::object& body, const Headers& headers) {
  return http.post("/api/v1/leads", body, headers);
}

Response expect_lead_refused(HttpClient& http, const std::string& raw,
                             const std::vector<std::string>& fields) {
  SCOPED_TRACE("body: " + raw.substr(0, 300));
  const std::size_t before = list_opportunities(http).size();
  Response r = http.request("POST", "/api/v1/leads", raw);
  expect_problem(r, 422);
  const auto named = problem_fields(r);
  for (const auto& f : fields)
    EXPECT_TRUE(contains(named, f)) << "field '" << f << "' not named: " << r.describe();
  EXPECT_EQ(list_opportunities(http).size(), before) << "a refused lead was stored";
  return r;
}

Response expect_lead_refused(HttpClient& http, const json::object& body,
                             const std::vector<std::string>& fields) {
  return expect_lead_refused(http, json::serialize(body), fields);
}

json::object ingest(HttpClient& http, const json::object& body, const Headers& headers) {
  Response r = post_lead(http, body, headers);
  if (r.status != 201)
    throw FixtureError("POST /api/v1/leads " + json::serialize(body) + ": " + r.describe());
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !at(v, "lead").is_object() || !at(v, "opportunity").is_object())
    throw FixtureError("POST /api/v1/leads: no lead and opportunity in " + r.describe());
  return v.get_object();
}

std::vector<json::object> list_opportunities(HttpClient& http, const std::string& query,
                                             int page_size) {
  std::vector<json::object> out;
  std::string cursor;
  for (int page = 0; page < 10000; ++page) {
    std::string path = "/api/v1/opportunities?limit=" + std::to_string(page_size);
    if (!query.empty()) path += "&" + query;
    if (!cursor.empty()) path += "&cursor=" + cursor;
    Response r = http.get(path);
    if (r.status != 200) throw FixtureError("GET " + path + ": " + r.describe());
    json::value v = r.json();
    const auto& items = at(v, "items");
    if (!items.is_array()) throw FixtureError("GET " + path + ": no items array");
    for (const auto& item : items.get_array())
      if (item.is_object()) out.push_back(item.get_object());
    const auto& next = at(v, "nextCursor");
    if (next.is_null()) return out;
    if (!next.is_string()) throw FixtureError("GET " + path + ": nextCursor not a string or null");
    if (std::string(next.get_string()) == cursor)
      throw FixtureError("GET " + path + ": nextCursor did not advance");
    if (items.get_array().empty()) return out;  // tolerate a trailing empty page
    cursor = std::string(next.get_string());
  }
  throw FixtureError("GET /api/v1/opportunities: paging does not end");
}

std::map<std::string, json::object> availabilities_by_id(HttpClient& http,
                                                         std::string_view process) {
  std::string path = "/api/v1/availabilities?process=" + std::string(process);
  Response r = http.get(path);
  if (r.status != 200) throw FixtureError("GET " + path + ": " + r.describe());
  json::value v = r.json();
  std::map<std::string, json::object> out;
  if (!at(v, "items").is_array()) throw FixtureError("GET " + path + ": no items array");
  for (const auto& item : at(v, "items").get_array())
    if (item.is_object()) out[str(item, "_id")] = item.get_object();
  return out;
}

json::object get_opportunity(HttpClient& http, const std::string& id) {
  Response r = http.get("/api/v1/opportunities/" + id);
  if (r.status != 200) throw FixtureError("GET opportunity " + id + ": " + r.describe());
  json::value v = r.json();
  if (!v.is_object()) throw FixtureError("GET opportunity " + id + ": not an object");
  return v.get_object();
}

std::vector<json::object> activities_of(HttpClient& http, const std::string& opportunity_id) {
  std::string path = "/api/v1/opportunities/" + opportunity_id + "/activities";
  Response r = http.get(path);
  if (r.status != 200) throw FixtureError("GET " + path + ": " + r.describe());
  json::value v = r.json();
  std::vector<json::object> out;
  if (!at(v, "items").is_array()) throw FixtureError("GET " + path + ": no items array");
  for (const auto& item : at(v, "items").get_array())
    if (item.is_object()) out.push_back(item.get_object());
  return out;
}

std::vector<json::object> list_weburls(HttpClient& http, bool consumed) {
  std::vector<json::object> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    std::string path = std::string("/api/v1/weburls?consumed=") + (consumed ? "true" : "false");
    if (!cursor.empty()) path += "&cursor=" + cursor;
    Response r = http.get(path);
    if (r.status != 200) throw FixtureError("GET " + path + ": " + r.describe());
    json::value v = r.json();
    if (!at(v, "items").is_array()) throw FixtureError("GET " + path + ": no items array");
    for (const auto& item : at(v, "items").get_array())
      if (item.is_object()) out.push_back(item.get_object());
    const auto& next = at(v, "nextCursor");
    if (!next.is_string() || at(v, "items").get_array().empty() ||
        std::string(next.get_string()) == cursor)
      return out;
    cursor = std::string(next.get_string());
  }
  return out;
}

std::map<std::string, json::object> weburls_by_url(HttpClient& http) {
  std::map<std::string, json::object> out;
  for (bool consumed : {false, true})
    for (auto& w : list_weburls(http, consumed)) out[str(w, "url")] = w;
  return out;
}

std::pair<int, std::string> run_command(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::string out;
  if (!pipe) return {-1, out};
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  const int status = ::pclose(pipe.release());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string iso(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::int64_t ms_of(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + ms;
}

}  // namespace leadproc::apitest
