// Crash safety (issue 6, item 5): `201 Created` means durable. Clients ingest leads continuously
// while the server is killed with SIGKILL (no graceful stop, no flush), twice; after a restart on
// the same database:
// - every lead that received a 201 is there (GET of its opportunity answers 200);
// - nothing is doubled: each number sent once is stored at most once, no duplicates exist, and
//   the stored opportunities are the acknowledged ones plus at most the requests that got no
//   answer (in flight at the kill: they may or may not have committed);
// - the counters agree with the data: the sum of the POCs' leadCount (and totalCount) equals
//   the number of assigned opportunities, and each web URL's hits equal the stored leads whose
//   page is that URL.
//
// The harness' TestServer stops servers with SIGTERM, so this file starts and kills its own
// `leadproc serve` processes (the same way: fork/exec, port file, /readyz), and creates its
// admin with `leadproc user create` when the server requires authentication.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "harness.h"

#ifndef LEADPROC_BINARY
#error "LEADPROC_BINARY must name the leadproc executable"
#endif

extern char** environ;

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

// The environment for a leadproc child: ours without LEADPROC_* settings, plus `extra`.
std::vector<std::string> child_env(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    if (kv.starts_with("LEADPROC_")) continue;
    env.emplace_back(kv);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// fork + execve of `args` with stdin from `stdin_text` (if any) and output appended to `log`.
pid_t spawn(std::vector<std::string> args, std::vector<std::string> env,
            const std::filesystem::path& log, const std::optional<std::string>& stdin_text) {
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  int in_pipe[2] = {-1, -1};
  if (stdin_text && pipe2(in_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    dup2(stdin_text ? in_pipe[0] : null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  ::close(log_fd);
  ::close(null_fd);
  if (stdin_text) {
    ::close(in_pipe[0]);
    [[maybe_unused]] auto n = ::write(in_pipe[1], stdin_text->data(), stdin_text->size());
    ::close(in_pipe[1]);
  }
  return pid;
}

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One `leadproc serve` on a given SQLite file; killed with SIGKILL, not stopped.
class KillableServer {
 public:
  KillableServer(const std::filesystem::path& dir, const std::string& database_url, int n)
      : port_file_(dir / ("port." + std::to_string(n))), log_(dir / "server.log") {
    pid_ = spawn({LEADPROC_BINARY, "serve", "--database-url", database_url, "--listen",
                  "127.0.0.1:0", "--port-file", port_file_.string()},
                 child_env({}), log_, std::nullopt);
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (port_ == 0) {
      if (std::chrono::steady_clock::now() > deadline || waitpid(pid_, nullptr, WNOHANG) != 0)
        throw std::runtime_error("leadproc serve did not start:\n" + file_text(log_));
      std::ifstream in(port_file_);
      int port = 0;
      if (in >> port && port > 0) port_ = static_cast<std::uint16_t>(port);
      std::this_thread::sleep_for(10ms);
    }
    HttpClient probe(base_url());
    while (probe.get("/readyz").status != 200) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("leadproc serve is not ready:\n" + file_text(log_));
      std::this_thread::sleep_for(10ms);
    }
  }
  ~KillableServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + 10s;
      while (waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          waitpid(pid_, nullptr, 0);
          break;
        }
        std::this_thread::sleep_for(10ms);
      }
    }
  }
  KillableServer(const KillableServer&) = delete;
  KillableServer& operator=(const KillableServer&) = delete;

  void kill9() {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return file_text(log_); }

 private:
  std::filesystem::path port_file_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// What the clients saw.
struct Ledger {
  std::mutex mu;
  std::map<std::string, std::string> acked;  // opportunity id -> number sent (201 answers)
  std::set<std::string> unanswered;          // numbers whose request got no HTTP answer (<= 1
                                             // per client and kill)
  std::vector<std::string> unexpected;       // any other answer, described
};

class CrashSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "leadproc-crash-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    database_url_ = "sqlite:" + (dir_ / "leadproc.db").string();
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "---- leadproc logs ----\n" << file_text(dir_ / "server.log");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Creates an ADMIN with the CLI and logs in, if the server wants authentication.
  void authenticate(const KillableServer& server) {
    HttpClient http(server.base_url());
    if (http.get("/api/v1/opportunities?limit=1").status != 401) return;
    const std::string email = "crash.admin." + run_token() + "@example.test";
    const std::string password = "crash-test-password-" + run_token();
    const pid_t pid =
        spawn({LEADPROC_BINARY, "user", "create", "--email", email, "--department", "ADMIN"},
              child_env({"LEADPROC_DATABASE_URL=" + database_url_, "LEADPROC_BCRYPT_COST=4"}),
              dir_ / "cli.log", password + "\n");
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << file_text(dir_ / "cli.log");
    Response login =
        http.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
    ASSERT_EQ(login.status, 200) << login.describe();
    auth_ = {{"Authorization", "Bearer " + str(login.json(), "token")}};
  }

  HttpClient client(const KillableServer& server) {
    HttpClient c(server.base_url());
    c.set_default_headers(auth_);
    return c;
  }

  // `threads` clients post unique leads until `stop`; every answer goes to the ledger.
  void ingest_until(const KillableServer& server, std::atomic<bool>& stop, int threads) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        HttpClient http = client(server);
        http.set_timeout(5s);
        for (int i = 0; !stop.load(); ++i) {
          const std::string number = next_mobile();
          json::object body = lead_body("Crash " + number, number, "website");
          if ((i + t) % 3 != 2) body["destination"] = destinations_[(i + t) % 2];
          const std::string page = pages_[static_cast<std::size_t>(i * 7 + t) % pages_.size()];
          if (i % 4 != 3) body["page"] = page;
          Response r = post_lead(http, body);
          std::lock_guard lock(ledger_.mu);
          if (r.status == 201) {
            ledger_.acked[str(r.json(), "opportunity._id")] = e164_in(number);
          } else if (r.status == 0) {
            // The kill: this request may have been committed or not. The client stops here,
            // so at most one request per client and kill is in doubt.
            ledger_.unanswered.insert(e164_in(number));
            return;
          } else {
            ledger_.unexpected.push_back(r.describe());
          }
        }
      });
    }
    for (auto& th : pool) th.join();
  }

  std::filesystem::path dir_;
  std::string database_url_;
  Headers auth_;
  Ledger ledger_;
  std::vector<std::string> destinations_ = {"Goa", "Kerala"};
  // Already normalised (lower-case host, no query or trailing slash): stored as sent.
  std::vector<std::string> pages_ = {"https://blog.example.com/goa/beaches",
                                     "https://blog.example.com/kerala/houseboats",
                                     "https://blog.example.com/top-10-honeymoon-spots"};
};

TEST_F(CrashSafetyTest, AcknowledgedLeadsSurviveSigkillAndCountersAgree) {
  constexpr int kKills = 2;
  constexpr int kClients = 4;
  {
    KillableServer first(dir_, database_url_, 0);
    authenticate(first);
    if (HasFatalFailure()) return;
    HttpClient http = client(first);
    const std::string goa = create_destination(http, "Goa", {"goa"});
    const std::string kerala = create_destination(http, "Kerala", {"kerala"});
    create_map(http, "PSV", {MapEntry(goa), MapEntry(kerala)});
    for (int i = 0; i < 3; ++i)
      create_availability(http,
                          Poc{create_user(http, "PSV"), "PSV", {goa, kerala}, {}, std::nullopt});

    // Load, then SIGKILL while the clients keep sending.
    std::atomic<bool> stop{false};
    std::thread clients([&] { ingest_until(first, stop, kClients); });
    std::this_thread::sleep_for(1500ms);
    first.kill9();
    stop = true;
    clients.join();
  }
  for (int k = 1; k < kKills; ++k) {
    KillableServer again(dir_, database_url_, k);
    std::atomic<bool> stop{false};
    std::thread clients([&] { ingest_until(again, stop, kClients); });
    std::this_thread::sleep_for(1500ms);
    again.kill9();
    stop = true;
    clients.join();
  }

  KillableServer last(dir_, database_url_, kKills);
  HttpClient http = client(last);
  EXPECT_TRUE(ledger_.unexpected.empty())
      << ledger_.unexpected.size() << " unexpected answers, e.g. " << ledger_.unexpected.front();
  ASSERT_GT(ledger_.acked.size(), 20u) << "too few leads acknowledged to prove anything";

  // Every 201 survived.
  for (const auto& [id, number] : ledger_.acked) {
    Response r = http.get("/api/v1/opportunities/" + id);
    ASSERT_EQ(r.status, 200) << "acknowledged opportunity " << id << " (" << number
                             << ") is lost: " << r.describe();
  }

  // Nothing doubled, nothing extra beyond the unanswered requests.
  const auto stored = list_opportunities(http, "", 500);
  std::map<std::string, int> per_number;
  std::set<std::string> stored_ids;
  std::size_t assigned = 0;
  std::map<std::string, std::int64_t> leads_per_page;
  std::set<std::string> acked_numbers;
  for (const auto& [id, number] : ledger_.acked) acked_numbers.insert(number);
  for (const auto& o : stored) {
    const std::string number = str(o, "number");
    per_number[number]++;
    stored_ids.insert(str(o, "_id"));
    EXPECT_EQ(at(o, "isDuplicate"), json::value(false)) << json::serialize(o);
    if (!is_null_at(o, "assignedPsv")) ++assigned;
    if (!is_null_at(o, "page")) leads_per_page[str(o, "page")]++;
    const bool known = ledger_.unanswered.count(number) > 0 || acked_numbers.count(number) > 0;
    EXPECT_TRUE(known) << "stored opportunity for a number never sent: " << number;
  }
  for (const auto& [number, n] : per_number)
    EXPECT_EQ(n, 1) << number << " stored " << n << " times";
  for (const auto& [id, number] : ledger_.acked) EXPECT_TRUE(stored_ids.count(id)) << id;
  EXPECT_GE(stored.size(), ledger_.acked.size());
  EXPECT_LE(stored.size(), ledger_.acked.size() + ledger_.unanswered.size());
  std::cerr << "[crash-safety] " << ledger_.acked.size() << " acknowledged, "
            << ledger_.unanswered.size() << " unanswered (in flight at a kill), " << stored.size()
            << " stored after " << kKills << " SIGKILLs\n";

  // Counters agree with the rows.
  std::int64_t lead_count = 0, total_count = 0;
  for (const auto& [id, poc] : availabilities_by_id(http, "PSV")) {
    lead_count += num(poc, "leadCount").value_or(-1000000);
    total_count += num(poc, "totalCount").value_or(-1000000);
  }
  EXPECT_EQ(lead_count, static_cast<std::int64_t>(assigned));
  EXPECT_EQ(total_count, static_cast<std::int64_t>(assigned));
  EXPECT_EQ(assigned, stored.size()) << "every lead has a PSV POC to go to";
  const auto urls = weburls_by_url(http);
  for (const auto& page : pages_) {
    auto it = urls.find(page);
    const std::int64_t expected = leads_per_page.count(page) ? leads_per_page[page] : 0;
    if (it == urls.end()) {
      EXPECT_EQ(expected, 0) << page << " has leads but no weburls entry";
      continue;
    }
    EXPECT_EQ(num(it->second, "hits"), expected) << page;
  }
}

}  // namespace
}  // namespace leadproc::apitest
