// Database faults on PostgreSQL: the server stops while leadproc is serving (and while clients are
// sending leads), then comes back. Requests must answer 503 with Retry-After quickly (never hang,
// crash or store half a lead), and service must resume without restarting leadproc.
// The test starts its own throwaway PostgreSQL (scripts/pg-test-server.sh), since it stops it.
// PostgreSQL only (LEADPROC_TEST_DATABASE=postgresql); skipped on SQLite.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "pg_database.h"

#ifndef LEADPROC_PG_TEST_SCRIPT
#error "LEADPROC_PG_TEST_SCRIPT must name scripts/pg-test-server.sh"
#endif

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A PostgreSQL server of this test's own, removed when destroyed (also when the test fails).
class OwnPostgres {
 public:
  OwnPostgres() {
    state_ = std::filesystem::temp_directory_path() /
             ("leadproc-pgfault-" + std::to_string(getpid()) + "-" + run_token());
    script("start");
    std::ifstream in(state_ / "url");
    std::getline(in, url_);
    if (url_.empty()) throw std::runtime_error("pg-test-server.sh start wrote no URL");
  }
  ~OwnPostgres() {
    try {
      script("stop");
    } catch (const std::exception& e) {
      std::cerr << "[pg-fault] " << e.what() << "\n";
    }
    std::error_code ec;
    std::filesystem::remove_all(state_, ec);
  }
  OwnPostgres(const OwnPostgres&) = delete;
  OwnPostgres& operator=(const OwnPostgres&) = delete;

  const std::string& url() const { return url_; }
  void pause() { script("pause"); }    // pg_ctl stop -m fast: sessions are terminated
  void resume() { script("resume"); }  // same data directory, same port

 private:
  void script(const std::string& command) {
    const std::string line = std::string("'") + LEADPROC_PG_TEST_SCRIPT + "' " + command + " '" +
                             state_.string() + "' >/dev/null";
    if (std::system(line.c_str()) != 0) throw std::runtime_error("failed: " + line);
  }

  std::filesystem::path state_;
  std::string url_;
};

bool on_postgres() {
  const char* kind = std::getenv("LEADPROC_TEST_DATABASE");
  return kind != nullptr && std::string_view(kind) == "postgresql";
}

TEST(PgFault, ServerStoppedMidRunAnswers503ThenServiceResumes) {
  if (!on_postgres()) GTEST_SKIP() << "needs PostgreSQL (LEADPROC_TEST_DATABASE=postgresql)";
  OwnPostgres pg;
  const std::string database = pgtest::fresh_database(pg.url(), "fault");
  ServerOptions options;
  options.database_url = database;
  options.config_via_env = true;  // LEADPROC_DATABASE_URL=postgresql://... selects the adapter
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(options);
  } catch (const std::exception& e) {
    FAIL() << "leadproc did not start: " << e.what();
  }
  HttpClient http = server->client();
  http.set_timeout(20s);  // generous: the assertions below bound the latency, not curl
  const std::string d = create_destination(http, unique_name("Fault"));
  create_map(http, "PSV", {{d}});
  create_availability(http, {create_user(http, "PSV", "Steady"), "PSV", {d}, {}, 1, true});
  auto lead = [&](HttpClient& c) {
    json::object body = lead_body("Fault", next_mobile());
    body["destination"] = d;
    return post_lead(c, body);
  };
  ASSERT_EQ(lead(http).status, 201);

  // Clients keep sending leads through the whole outage; every answer must be 201 or 503.
  std::atomic<bool> stop_clients{false};
  std::mutex mu;
  std::set<std::string> stored;  // opportunity ids answered 201
  std::vector<std::string> bad;
  std::atomic<int> unavailable{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      HttpClient c = server->client();
      c.set_timeout(20s);
      while (!stop_clients) {
        const auto sent = Clock::now();
        Response r = lead(c);
        const auto took = Clock::now() - sent;
        std::lock_guard lock(mu);
        if (r.status == 201) {
          stored.insert(str(r.json(), "opportunity._id"));
        } else if (r.status == 503 && !r.header("retry-after").empty()) {
          ++unavailable;
        } else {
          bad.push_back(r.describe());
        }
        if (took > 5s) bad.push_back("a request took " + std::to_string(took / 1ms) + " ms");
        if (r.status == 503) std::this_thread::sleep_for(50ms);
      }
    });
  }
  std::this_thread::sleep_for(300ms);

  pg.pause();
  const auto down_at = Clock::now();
  // Within a few seconds every kind of request answers 503 with Retry-After, promptly.
  bool saw_503 = false;
  while (Clock::now() - down_at < 10s) {
    const auto sent = Clock::now();
    Response r = lead(http);
    EXPECT_LT(Clock::now() - sent, 5s) << "a request hung while the database was down";
    if (r.status == 503) {
      saw_503 = true;
      EXPECT_FALSE(r.header("retry-after").empty()) << r.describe();
      expect_problem(r, 503);
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(saw_503) << "no 503 within 10 s of stopping PostgreSQL";
  Response listing = http.get("/api/v1/opportunities?limit=1");
  EXPECT_EQ(listing.status, 503) << listing.describe();
  EXPECT_FALSE(listing.header("retry-after").empty());
  Response ready = http.get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.describe();
  EXPECT_EQ(http.get("/healthz").status, 200) << "the process itself stays alive";
  std::this_thread::sleep_for(1s);  // the clients keep hitting the outage

  pg.resume();
  const auto up_at = Clock::now();
  bool resumed = false;
  while (Clock::now() - up_at < 15s) {
    Response r = lead(http);
    if (r.status == 201) {
      resumed = true;
      break;
    }
    EXPECT_EQ(r.status, 503) << r.describe();
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(resumed) << "leads not accepted within 15 s of PostgreSQL coming back";
  EXPECT_EQ(http.get("/readyz").status, 200);
  std::this_thread::sleep_for(500ms);  // the clients resume too
  stop_clients = true;
  for (auto& t : clients) t.join();

  EXPECT_TRUE(bad.empty()) << bad.size() << " bad answers; first: " << bad.front();
  EXPECT_GT(unavailable.load(), 0) << "the clients never saw the outage";
  EXPECT_EQ(server->stop(), 0) << "leadproc did not stop cleanly";

  // Every lead answered 201 is stored, and nothing is half-written: each lead row has its
  // opportunity, and each opportunity its activity.
  const auto count = [&](const std::string& sql) {
    return std::stoll(pgtest::query_value(database, sql));
  };
  for (const auto& id : stored) {
    EXPECT_EQ(count("SELECT count(*) FROM opportunities WHERE id = '" + id + "'"), 1) << id;
  }
  EXPECT_EQ(count("SELECT count(*) FROM leads"), count("SELECT count(*) FROM opportunities"));
  EXPECT_EQ(count("SELECT count(*) FROM opportunities o WHERE NOT EXISTS "
                  "(SELECT 1 FROM activities a WHERE a.opp_id = o.id)"),
            0);
}

}  // namespace
}  // namespace leadproc::apitest
