// A read replica (LEADPROC_READ_DATABASE_URL; docs/operations.md "Scaling out"): the reports and
// the opportunities export read from a real PostgreSQL streaming replica (started by
// scripts/pg-test-server.sh replica), while writes and a person's own reads stay on the primary.
// The proof does not depend on timing: the replica's replay is paused, a lead is taken in, and
// the primary shows it at once while the reports and the export (the replica) do not — until
// the replay resumes and the replica has replayed the primary's WAL position.
// PostgreSQL only (api_postgresql, with the replica fixture); skipped elsewhere.
#include <chrono>
#include <thread>

#include "harness.h"
#include "pg_database.h"

namespace leadproc::apitest {
namespace {

class ReadReplica : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* kind = std::getenv("LEADPROC_TEST_DATABASE");
    const char* url = std::getenv("LEADPROC_TEST_DATABASE_URL");
    const char* replica = std::getenv("LEADPROC_TEST_PG_REPLICA_URL");
    if (kind == nullptr || std::string_view(kind) != "postgresql" || url == nullptr ||
        !pgtest::is_postgres_url(url) || replica == nullptr || !pgtest::is_postgres_url(replica))
      GTEST_SKIP() << "needs PostgreSQL with a replica (ctest api_postgresql)";
    primary_server_ = url;
    replica_server_ = replica;
    const std::string database = pgtest::fresh_database(primary_server_, "replica");
    // The same database and schema on the replica: everything the primary creates reaches it.
    ASSERT_EQ(database.rfind(primary_server_, 0), 0u) << database;
    ServerOptions options;
    options.database_url = database;
    options.config_via_env = true;
    options.env = {
        {"LEADPROC_READ_DATABASE_URL", replica_server_ + database.substr(primary_server_.size())},
        {"LEADPROC_BCRYPT_COST", "4"}};
    try {
      server_ = std::make_unique<TestServer>(options);
    } catch (const std::exception& e) {
      FAIL() << "leadproc did not start: " << e.what();
    }
    admin_.emplace(server_->client());
  }
  void TearDown() override {
    if (!replica_server_.empty()) resume_replay();  // the replica is the whole suite's
    if (HasFailure() && server_) print_server_log(*server_, 0);
  }

  HttpClient& admin() { return *admin_; }

  // Waits (bounded) until `sql` on the replica answers "t".
  void wait_on_replica(const std::string& sql, const std::string& what) {
    for (int i = 0; i < 600; ++i) {
      if (pgtest::query_value(replica_server_, sql) == "t") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the replica never " << what;
  }
  // Until the replica has replayed everything the primary has written so far.
  void wait_for_replica() {
    const std::string lsn = pgtest::query_value(primary_server_, "SELECT pg_current_wal_lsn()");
    wait_on_replica("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn",
                    "replayed the primary's WAL up to " + lsn);
  }
  void pause_replay() {
    pgtest::query_value(replica_server_, "SELECT pg_wal_replay_pause()");
    wait_on_replica("SELECT pg_get_wal_replay_pause_state() = 'paused'", "paused its replay");
  }
  void resume_replay() { pgtest::query_value(replica_server_, "SELECT pg_wal_replay_resume()"); }

  std::int64_t funnel_total() {
    Response r = admin().get("/api/v1/reports/funnel");
    EXPECT_EQ(r.status, 200) << r.describe();
    return num(r.json(), "total.total.count").value_or(-1);
  }
  std::string exported() {
    Response r = admin().get("/api/v1/exports/opportunities.csv");
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.body;
  }

  std::string primary_server_, replica_server_;
  std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> admin_;
};

TEST_F(ReadReplica, ReportsAndExportsReadTheReplicaWritesAndOwnReadsThePrimary) {
  const OneAgentDesk desk = one_agent_desk(admin(), "Asha");
  const std::vector<std::string> first = leads_for(admin(), desk.destination, 2);
  wait_for_replica();
  EXPECT_EQ(funnel_total(), 2);

  pause_replay();
  const std::string later = leads_for(admin(), desk.destination, 1).front();
  // The primary has it: the lead's page and the work list show it at once.
  Response page = admin().get("/api/v1/opportunities/" + later);
  EXPECT_EQ(page.status, 200) << page.describe();
  EXPECT_EQ(list_opportunities(admin(), "destination=" + desk.destination, 10).size(), 3u);
  // The replica does not, yet: the reports and the export read it.
  EXPECT_EQ(funnel_total(), 2);
  std::string csv = exported();
  EXPECT_NE(csv.find(first.front()), std::string::npos);
  EXPECT_EQ(csv.find(later), std::string::npos) << "the export read the primary";

  resume_replay();
  wait_for_replica();
  EXPECT_EQ(funnel_total(), 3);
  csv = exported();
  EXPECT_NE(csv.find(later), std::string::npos) << csv;
}

}  // namespace
}  // namespace leadproc::apitest
