// Periodic jobs (issue 7; docs/api-scoring-jobs.md "Jobs"): GET /api/v1/jobs lists every job with
// its schedule and latest runs, and `leadproc jobs run NAME` runs one at once and records it.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "harness.h"

namespace leadproc::apitest {
namespace {

class JobsApi : public SharedServerTest<JobsApi> {};

// Runs `leadproc --database-url URL <args>` and returns its exit code and stdout.
std::pair<int, std::string> run_leadproc(const std::string& database_url, const std::string& args) {
  return run_command(std::string(LEADPROC_BINARY) + " --database-url '" + database_url + "' " +
                     args);
}

const json::object* find_job(const json::value& listing, const std::string& name) {
  for (const auto& item : at(listing, "items").as_array())
    if (item.as_object().at("name") == json::value(name)) return &item.as_object();
  return nullptr;
}

TEST_F(JobsApi, ListsTheJobsWithTheirSchedules) {
  Response r = http().get("/api/v1/jobs");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value listing = r.json();
  for (const char* name : {"session-purge", "overdue-followups", "score-refresh"})
    EXPECT_NE(find_job(listing, name), nullptr) << name;
  const json::object* refresh = find_job(listing, "score-refresh");
  ASSERT_NE(refresh, nullptr);
  EXPECT_EQ(str(*refresh, "schedule.kind"), "daily");
  EXPECT_EQ(str(*refresh, "schedule.at"), "02:00");
  const json::object* purge = find_job(listing, "session-purge");
  ASSERT_NE(purge, nullptr);
  EXPECT_EQ(str(*purge, "schedule.kind"), "every");
}

TEST_F(JobsApi, ARunByHandIsRecorded) {
  auto [code, out] = run_leadproc(server().database_url(), "jobs run overdue-followups");
  ASSERT_EQ(code, 0) << out;
  json::value printed = json::parse(out);
  EXPECT_EQ(str(printed, "job"), "overdue-followups");
  EXPECT_EQ(str(printed, "outcome"), "ok");
  EXPECT_TRUE(at(printed, "counts.overdue").is_int64()) << out;
  const std::string slot = str(printed, "slot");

  Response r = http().get("/api/v1/jobs");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value listing = r.json();
  const json::object* job = find_job(listing, "overdue-followups");
  ASSERT_NE(job, nullptr);
  bool found = false;
  for (const auto& run : at(*job, "runs").as_array()) {
    if (str(run, "slot") != slot) continue;
    found = true;
    EXPECT_EQ(str(run, "outcome"), "ok");
    EXPECT_TRUE(at(run, "finishedAt").is_string());
    EXPECT_TRUE(at(run, "counts.overdue").is_int64());
  }
  EXPECT_TRUE(found) << r.body;

  auto [purge_code, purge_out] = run_leadproc(server().database_url(), "jobs run session-purge");
  EXPECT_EQ(purge_code, 0) << purge_out;
  auto [bad_code, bad_out] = run_leadproc(server().database_url(), "jobs run no-such-job 2>&1");
  EXPECT_EQ(bad_code, 2) << bad_out;
}

// An admin runs a job now from the API (the web UI's "Run now"): the answer is the recorded run,
// and the listing shows it.
TEST_F(JobsApi, AnAdminRunsAJobNowOverHttp) {
  Response r = http().post("/api/v1/jobs/overdue-followups/run", json::object{});
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value run = r.json();
  EXPECT_EQ(str(run, "job"), "overdue-followups");
  EXPECT_EQ(str(run, "outcome"), "ok");
  EXPECT_TRUE(at(run, "counts.overdue").is_int64()) << r.body;
  EXPECT_TRUE(at(run, "finishedAt").is_string()) << r.body;

  const json::value listing = http().get("/api/v1/jobs").json();
  const json::object* job = find_job(listing, "overdue-followups");
  ASSERT_NE(job, nullptr);
  bool listed = false;
  for (const auto& item : at(*job, "runs").as_array())
    listed = listed || str(item, "slot") == str(run, "slot");
  EXPECT_TRUE(listed) << json::serialize(listing);

  Response unknown = http().post("/api/v1/jobs/no-such-job/run", json::object{});
  expect_problem(unknown, 404);
  EXPECT_NE(str(unknown.json(), "detail").find("session-purge"), std::string::npos)
      << "the answer names the jobs there are: " << unknown.body;
}

TEST_F(JobsApi, TheServerRunsDueJobsOnStart) {
  // The runner checks at once on start: the every-minute purge soon has a recorded run.
  std::string body;
  for (int i = 0; i < 50; ++i) {
    Response r = http().get("/api/v1/jobs");
    ASSERT_EQ(r.status, 200) << r.describe();
    body = r.body;
    const json::value listing = r.json();
    const json::object* purge = find_job(listing, "session-purge");
    ASSERT_NE(purge, nullptr);
    if (!at(*purge, "runs").as_array().empty()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "no session-purge run recorded: " << body;
}

TEST_F(JobsApi, OnlyAdminsSeeJobs) {
  HttpClient anonymous(server().base_url());
  expect_problem(anonymous.get("/api/v1/jobs"), 401);
  expect_problem(anonymous.post("/api/v1/jobs/session-purge/run", json::object{}), 401);
}

}  // namespace
}  // namespace leadproc::apitest
