// Several leadproc instances on one PostgreSQL database, as behind a load balancer: round-robin
// counts, the loadShare split and duplicate detection stay exact when the instances ingest at
// once. PostgreSQL only (LEADPROC_TEST_DATABASE=postgresql, ctest: api_postgresql); skipped on
// SQLite, whose single file is not shared by instances on different hosts.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth_support.h"
#include "harness.h"
#include "pg_database.h"

namespace leadproc::apitest {
namespace {

class MultiInstance : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* kind = std::getenv("LEADPROC_TEST_DATABASE");
    const char* url = std::getenv("LEADPROC_TEST_DATABASE_URL");
    if (kind == nullptr || std::string_view(kind) != "postgresql" || url == nullptr ||
        !pgtest::is_postgres_url(url))
      GTEST_SKIP() << "needs PostgreSQL (LEADPROC_TEST_DATABASE=postgresql and a postgresql:// "
                      "LEADPROC_TEST_DATABASE_URL)";
    const std::string database = pgtest::fresh_database(url, "multi");
    ServerOptions options;
    options.database_url = database;
    options.config_via_env = true;  // LEADPROC_DATABASE_URL=postgresql://... selects the adapter
    try {
      for (int i = 0; i < 2; ++i) servers_.push_back(std::make_unique<TestServer>(options));
    } catch (const std::exception& e) {
      FAIL() << "leadproc did not start: " << e.what();
    }
    admin_.emplace(servers_[0]->client());
  }
  void TearDown() override {
    if (HasFailure())
      for (const auto& s : servers_) print_server_log(*s, 0);
  }

  HttpClient& admin() { return *admin_; }

  std::vector<std::unique_ptr<TestServer>> servers_;
  std::optional<HttpClient> admin_;
};

// Two servers, 16 clients spread across them, 2,000 leads for a destination split 70/30 between
// PSV (4 POCs) and WEST (2 POCs): every lead answered 201 and stored once, the split exact, and
// each pool's leadCounts within one of each other and equal to the leads assigned.
TEST_F(MultiInstance, TwoServersSixteenClientsTwoThousandLeads) {
  constexpr int kClients = 16;
  constexpr int kLeads = 2000;
  const std::string d = create_destination(admin(), unique_name("Split"));
  create_map(admin(), "PSV", {{d, 70}});
  create_map(admin(), "WEST", {{d, 30}});
  std::map<std::string, std::string> psv_user_of, west_user_of;  // availability -> user
  for (int i = 0; i < 4; ++i) {
    const std::string user = create_user(admin(), "PSV", "Psv");
    psv_user_of[str(create_availability(admin(), {user, "PSV", {d}, {}, i + 1, true}), "_id")] =
        user;
  }
  for (int i = 0; i < 2; ++i) {
    const std::string user = create_user(admin(), "WEST", "West");
    west_user_of[str(create_availability(admin(), {user, "West", {d}, {}, i + 1, true}), "_id")] =
        user;
  }
  std::vector<std::string> numbers;
  for (int i = 0; i < kLeads; ++i) numbers.push_back(next_mobile());

  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::string> answered;
  std::latch start(kClients);
  const auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = servers_[t % 2]->client();
      std::vector<std::string> mine, bad;
      start.arrive_and_wait();
      for (int i = t; i < kLeads; i += kClients) {
        json::object body = lead_body("Split " + std::to_string(i), numbers[i]);
        body["destination"] = d;
        Response r = post_lead(client, body);
        if (r.status != 201) {
          bad.push_back("lead " + std::to_string(i) + " via server " + std::to_string(t % 2) +
                        ": " + r.describe());
          continue;
        }
        mine.push_back(str(r.json(), "opportunity._id"));
      }
      std::lock_guard lock(mu);
      failures.insert(failures.end(), bad.begin(), bad.end());
      answered.insert(answered.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  std::cerr << "[multi-instance] " << kLeads << " leads from " << kClients
            << " clients on 2 servers in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count()
            << " s\n";

  ASSERT_TRUE(failures.empty()) << failures.size()
                                << " leads not answered 201; first: " << failures.front();
  const std::set<std::string> answered_ids(answered.begin(), answered.end());
  EXPECT_EQ(answered_ids.size(), static_cast<std::size_t>(kLeads)) << "distinct opportunity ids";

  // Read back through the other server: every lead once, nothing else.
  HttpClient reader = servers_[1]->client();
  const auto listed = list_opportunities(reader, "destination=" + d, 500);
  ASSERT_EQ(listed.size(), static_cast<std::size_t>(kLeads));
  std::set<std::string> listed_ids;
  std::map<std::string, std::int64_t> per_process, per_psv, per_west;
  for (const auto& o : listed) {
    listed_ids.insert(str(o, "_id"));
    const std::string process = str(o, "filterationProcess");
    ++per_process[process];
    if (process == "PSV") {
      EXPECT_EQ(str(o, "status"), "InPSV");
      ++per_psv[str(o, "assignedPsv._id")];
    } else {
      EXPECT_EQ(str(o, "status"), "InWEST");
      ++per_west[str(o, "assignedWest._id")];
    }
  }
  EXPECT_EQ(listed_ids, answered_ids);
  EXPECT_EQ(per_process["PSV"], kLeads * 70 / 100) << "the loadShare split";
  EXPECT_EQ(per_process["WEST"], kLeads * 30 / 100) << "the loadShare split";

  auto check_pool = [&](std::string_view process, const std::map<std::string, std::string>& users,
                        std::map<std::string, std::int64_t>& assigned, std::int64_t expected) {
    const auto pocs = availabilities_by_id(reader, process);
    std::int64_t sum = 0, least = INT64_MAX, most = INT64_MIN;
    for (const auto& [id, user] : users) {
      ASSERT_EQ(pocs.count(id), 1u) << "availability " << id << " not listed";
      const std::int64_t count = num(pocs.at(id), "leadCount").value_or(-1);
      sum += count;
      least = std::min(least, count);
      most = std::max(most, count);
      EXPECT_EQ(count, assigned[user]) << process << " leadCount of " << id << " vs assigned";
    }
    EXPECT_EQ(sum, expected) << process;
    EXPECT_LE(most - least, 1) << process << " leadCounts from " << least << " to " << most;
  };
  check_pool("PSV", psv_user_of, per_psv, kLeads * 70 / 100);
  check_pool("West", west_user_of, per_west, kLeads * 30 / 100);
}

// Issue 22: a pool whose POCs have no rules is not locked as a whole on PostgreSQL; each lead
// claims the POC it takes. 2,000 leads from 16 clients over both servers, for a destination with
// one routing entry (read unlocked), four plain PSV POCs and one page URL (its hits counted just
// before each COMMIT): every lead 201, each POC exactly 500 (within one of each other, summing to
// 2,000, and 2,000 / 4 is whole), the counts equal to the leads each holds, and the URL's hits
// 2,000.
TEST_F(MultiInstance, TwoServersKeepAPlainPoolExactWithoutLockingIt) {
  constexpr int kClients = 16;
  constexpr int kLeads = 2000;
  constexpr int kPocs = 4;
  const std::string d = create_destination(admin(), unique_name("Plain"));
  create_map(admin(), "PSV", {{d, 100}});
  std::map<std::string, std::string> poc_of;  // user -> availability
  for (int i = 0; i < kPocs; ++i) {
    const std::string user = create_user(admin(), "PSV", "Psv");
    poc_of[user] = str(create_availability(admin(), {user, "PSV", {d}, {}, i + 1, true}), "_id");
  }
  const std::string page = "https://plain.example.com/" + unique_name("landing");
  std::vector<std::string> numbers;
  for (int i = 0; i < kLeads; ++i) numbers.push_back(next_mobile());
  // The first lead alone: it stores the URL (leads racing to store a new URL is another matter).
  json::object first = lead_body("Plain 0", numbers[0]);
  first["destination"] = d;
  first["page"] = page;
  HttpClient first_client = servers_[0]->client();
  ASSERT_EQ(post_lead(first_client, first).status, 201);
  std::atomic<int> not_201{0};
  std::mutex first_failure_mu;
  std::string first_failure;
  std::latch start(kClients);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = servers_[t % 2]->client();
      start.arrive_and_wait();
      for (int i = 1 + t; i < kLeads; i += kClients) {
        json::object body = lead_body("Plain " + std::to_string(i), numbers[i]);
        body["destination"] = d;
        body["page"] = page;
        Response r = post_lead(client, body);
        if (r.status == 201) continue;
        if (++not_201 == 1) {
          std::lock_guard lock(first_failure_mu);
          first_failure = r.describe();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(not_201.load(), 0) << "first: " << first_failure;

  HttpClient reader = servers_[1]->client();
  std::map<std::string, std::int64_t> held;  // availability -> leads it holds
  for (const auto& o : list_opportunities(reader, "destination=" + d, 500))
    ++held[poc_of[str(o, "assignedPsv._id")]];
  const auto pocs = availabilities_by_id(reader, "PSV");
  for (const auto& [user, id] : poc_of) {
    ASSERT_EQ(pocs.count(id), 1u) << "availability " << id << " not listed";
    EXPECT_EQ(num(pocs.at(id), "leadCount"), kLeads / kPocs) << id;
    EXPECT_EQ(held[id], kLeads / kPocs) << id << " by assignedPsv";
  }
  const auto urls = weburls_by_url(reader);
  ASSERT_EQ(urls.count(page), 1u) << page;
  EXPECT_EQ(num(urls.at(page), "hits"), kLeads);
}

// 50 simultaneous submissions of one number and destination, spread over both servers: exactly
// one original, 49 duplicates of it, and 49 re-inquiries on the original.
TEST_F(MultiInstance, FiftySimultaneousDuplicatesAcrossServersHaveOneOriginal) {
  constexpr int kClients = 50;
  const std::string d = create_destination(admin(), unique_name("Echo"));
  const std::string number = next_mobile();
  std::vector<Response> answers(kClients);
  std::latch start(kClients);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = servers_[t % 2]->client();
      json::object body = lead_body("Echo", t % 3 ? number : e164_in(number));
      body["destination"] = d;
      start.arrive_and_wait();
      answers[t] = post_lead(client, body);
    });
  }
  for (auto& t : threads) t.join();

  std::vector<std::string> originals;
  for (const auto& r : answers) {
    ASSERT_EQ(r.status, 201) << r.describe();
    if (at(r.json(), "duplicate") == json::value(false))
      originals.push_back(str(r.json(), "opportunity._id"));
  }
  ASSERT_EQ(originals.size(), 1u) << "simultaneous leads for one number and destination";
  int duplicates = 0;
  for (const auto& r : answers) {
    json::value v = r.json();
    if (str(v, "opportunity._id") == originals[0]) continue;
    ++duplicates;
    EXPECT_EQ(at(v, "duplicate"), json::value(true));
    EXPECT_EQ(str(v, "opportunity.status"), "Dormant");
    EXPECT_EQ(str(v, "opportunity.duplicateOf"), originals[0]);
  }
  EXPECT_EQ(duplicates, kClients - 1);
  EXPECT_EQ(num(get_opportunity(admin(), originals[0]), "reInquiries"), kClients - 1);
  EXPECT_EQ(list_opportunities(admin(), "destination=" + d).size(),
            static_cast<std::size_t>(kClients));
}

// One lead source's Idempotency-Key sent to both servers at once: one lead is stored, every
// answer is its answer (201 once, 200 replays). (Keys are the caller's: the source's API key
// is the same on both servers; each server's test admin is a caller of its own.)
TEST_F(MultiInstance, AnIdempotencyKeyHoldsAcrossServers) {
  constexpr int kClients = 10;
  const std::string d = create_destination(admin(), unique_name("Retry"));
  json::object body = lead_body("Retry", next_mobile());
  body["destination"] = d;
  const Headers key = {{"Idempotency-Key", unique_name("multi")},
                       {"X-Api-Key", issue_key(admin(), "retrying source", "website").key}};
  std::vector<Response> answers(kClients);
  std::latch start(kClients);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(servers_[t % 2]->base_url());  // the API key's only
      start.arrive_and_wait();
      answers[t] = post_lead(client, body, key);
    });
  }
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& r : answers) {
    if (r.status == 201) ++created;
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.describe();
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(list_opportunities(admin(), "destination=" + d).size(), 1u);
}

}  // namespace
}  // namespace leadproc::apitest

namespace leadproc::apitest {
namespace {

// Escalation policies (issue 21, item 8): both servers run the sla-escalation job at once, four
// times each, over 40 leads past a policy's deadline: each lead is reassigned exactly once (its
// (opportunity, policy, step) row is claimed in the transaction of the reassignment), with one
// activity, and the runs' counts add up to 40.
TEST_F(MultiInstance, TwoServersEscalateEachLeadOnce) {
  constexpr int kLeads = 40;
  const std::string d = create_destination(admin(), unique_name("Escalate"));
  create_map(admin(), "PSV", {{d, 100}});
  for (int i = 0; i < 2; ++i)
    create_availability(admin(), {create_user(admin(), "PSV", "Psv"), "PSV", {d}, {}, i + 1, true});
  const std::vector<std::string> opps = leads_for(admin(), d, kLeads);
  Response policy = admin().post("/api/v1/sla-policies", json::object{{"process", "PSV"},
                                                                      {"stage", "PSVFreshLead"},
                                                                      {"afterMinutes", 5},
                                                                      {"action", "reassign"}});
  ASSERT_EQ(policy.status, 201) << policy.describe();
  for (auto& s : servers_) {
    HttpClient c = s->client();
    advance_clock(c, std::chrono::minutes(10));
  }

  std::mutex mu;
  std::int64_t reassigned = 0;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = servers_[t % 2]->client();
      Response r = client.post("/api/v1/jobs/sla-escalation/run", json::object{});
      std::lock_guard lock(mu);
      if (r.status == 409) return;  // that server's slot was being run already
      if (r.status != 200 || str(r.json(), "outcome") != "ok")
        failures.push_back(r.describe());
      else
        reassigned += num(r.json(), "counts.reassigned").value_or(0);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  // A run that found the slot taken ran nothing; one more run on each server picks up the rest.
  for (auto& s : servers_) {
    HttpClient c = s->client();
    Response r = c.post("/api/v1/jobs/sla-escalation/run", json::object{});
    ASSERT_EQ(r.status, 200) << r.describe();
    reassigned += num(r.json(), "counts.reassigned").value_or(0);
  }
  EXPECT_EQ(reassigned, kLeads);
  for (const auto& id : opps) {
    int escalations = 0;
    for (const auto& a : activities_of(admin(), id))
      if (str(a, "description").find("SLA escalation") != std::string::npos) ++escalations;
    EXPECT_EQ(escalations, 1) << id;
  }
}

}  // namespace
}  // namespace leadproc::apitest

namespace leadproc::apitest {
namespace {

// Item 8 across two instances: 2,000 leads from 16 clients spread over both servers, for a pool
// with weights 2, 1 and 1, a weight-1 POC capped at 100 fresh leads (the cap binds: nobody
// touches a lead during the rush), one off shift, one on leave and one capped at 0 (each weight
// 5). Expected, exactly: the capped POC 100; the other 1,900 split 2:1:1 — 950, 475 and 475
// (the weighted round robin keeps each within one lead of its share, and 1,900 × w / 4 is a whole
// number, so within one is exact); the three idle POCs none. The pool lock, the counts and the
// fresh-lead count read under it are the same on both servers.
TEST_F(MultiInstance, TwoServersGiveExactWeightedSharesAmongTheWorkingOnly) {
  constexpr int kClients = 16;
  constexpr int kLeads = 2000;
  const std::string d = create_destination(admin(), unique_name("Weighted"));
  create_map(admin(), "PSV", {{d, 100}});
  auto poc = [&](json::object body, int seq) {
    return create_psv_poc(admin(), d, std::move(body), seq);
  };
  const std::int64_t now = ms_of(advance_clock(admin(), std::chrono::seconds(1)));
  const char* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const int today = static_cast<int>(((now + 19800000) / 86400000 + 3) % 7);  // Kolkata
  const json::array off_shift{
      json::object{{"day", days[(today + 3) % 7]}, {"start", "09:00"}, {"end", "18:00"}}};
  const json::array on_leave{
      json::object{{"from", iso(now - 3600000)}, {"to", iso(now + 86400000)}}};
  const std::map<std::string, std::int64_t> expected{
      {poc({{"weight", 2}, {"cap", 10000}}, 1), 950},
      {poc({}, 2), 475},
      {poc({}, 3), 475},
      {poc({{"cap", 100}}, 4), 100},
      {poc({{"weight", 5}, {"shifts", off_shift}}, 5), 0},
      {poc({{"weight", 5}, {"leave", on_leave}}, 6), 0},
      {poc({{"weight", 5}, {"cap", 0}}, 7), 0}};
  ASSERT_EQ(expected.size(), 7u);

  EXPECT_EQ(rush_leads({servers_[0].get(), servers_[1].get()}, d, kLeads, kClients, "Weighted"), 0);

  HttpClient reader = servers_[1]->client();
  const auto pocs = availabilities_by_id(reader, "PSV");
  std::map<std::string, std::string> person_of;
  for (const auto& [id, n] : expected) {
    ASSERT_EQ(pocs.count(id), 1u) << "availability " << id << " not listed";
    EXPECT_EQ(num(pocs.at(id), "totalCount"), n) << id;
    person_of[str(pocs.at(id), "personId")] = id;
  }
  // And the leads themselves say so.
  std::map<std::string, std::int64_t> per_poc;
  for (const auto& o : list_opportunities(reader, "destination=" + d, 500))
    ++per_poc[person_of[str(o, "assignedPsv._id")]];
  for (const auto& [id, n] : expected) EXPECT_EQ(per_poc[id], n) << id << " by assignedPsv";
  std::int64_t sum = 0;
  for (const auto& [id, n] : per_poc) sum += n;
  EXPECT_EQ(sum, kLeads);
}

}  // namespace
}  // namespace leadproc::apitest
