// Many lead sources at once: every lead answered and stored, round-robin counts exact, one
// original among simultaneous duplicates, one lead for simultaneous idempotent retries.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "harness.h"

namespace leadproc::apitest {
namespace {

class Concurrency : public SharedServerTest<Concurrency> {};

TEST_F(Concurrency, SixteenClientsTwoThousandLeadsFourPocs) {
  constexpr int kThreads = 16;
  constexpr int kLeads = 2000;
  const std::string d = create_destination(http(), unique_name("Rush"));
  create_map(http(), "PSV", {{d}});
  std::map<std::string, std::string> user_of;  // availability id -> user id
  for (int i = 0; i < 4; ++i) {
    const std::string user = create_user(http(), "PSV", "Rusher");
    user_of[str(create_availability(http(), {user, "PSV", {d}, {}, i + 1, true}), "_id")] = user;
  }
  std::vector<std::string> numbers;
  for (int i = 0; i < kLeads; ++i) numbers.push_back(next_mobile());

  std::mutex mu;
  std::vector<std::string> failures;
  std::set<std::string> answered_ids;
  std::latch start(kThreads);
  const auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = server().client();
      std::vector<std::string> mine;
      std::vector<std::string> bad;
      start.arrive_and_wait();
      for (int i = t; i < kLeads; i += kThreads) {
        json::object body = lead_body("Crowd " + std::to_string(i), numbers[i]);
        body["destination"] = d;
        Response r = post_lead(client, body);
        if (r.status != 201) {
          bad.push_back("lead " + std::to_string(i) + ": " + r.describe());
          continue;
        }
        boost::system::error_code ec;
        json::value v = json::parse(r.body, ec);
        mine.push_back(ec ? std::string("<bad json>") : str(v, "opportunity._id"));
      }
      std::lock_guard lock(mu);
      failures.insert(failures.end(), bad.begin(), bad.end());
      answered_ids.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin);
  std::cerr << "[concurrency] " << kLeads << " leads from " << kThreads << " clients in "
            << elapsed.count() << " s\n";

  EXPECT_TRUE(failures.empty()) << failures.size()
                                << " leads not answered 201; first: " << failures.front();
  EXPECT_EQ(answered_ids.size(), static_cast<std::size_t>(kLeads)) << "distinct opportunity ids";

  const auto listed = list_opportunities(http(), "destination=" + d, 500);
  EXPECT_EQ(listed.size(), static_cast<std::size_t>(kLeads));
  std::set<std::string> listed_ids;
  std::map<std::string, std::int64_t> per_user;
  for (const auto& o : listed) {
    listed_ids.insert(str(o, "_id"));
    EXPECT_EQ(str(o, "status"), "InPSV");
    ++per_user[str(o, "assignedPsv._id")];
  }
  EXPECT_EQ(listed_ids, answered_ids);

  const auto pocs = availabilities_by_id(http(), "PSV");
  std::int64_t sum = 0, total = 0, least = INT64_MAX, most = INT64_MIN;
  for (const auto& [id, user] : user_of) {
    ASSERT_EQ(pocs.count(id), 1u) << "availability " << id << " not listed";
    const std::int64_t count = num(pocs.at(id), "leadCount").value_or(-1);
    sum += count;
    total += num(pocs.at(id), "totalCount").value_or(-1);
    least = std::min(least, count);
    most = std::max(most, count);
    EXPECT_EQ(count, per_user[user]) << "leadCount of " << id << " vs opportunities assigned";
  }
  EXPECT_EQ(sum, kLeads);
  EXPECT_EQ(total, kLeads);
  EXPECT_LE(most - least, 1) << "leadCounts from " << least << " to " << most;
}

// Issue 21: POCs off shift, on leave or checked out get none of a rush, and the working ones
// share it exactly (the SQLite writer's cached pool and PostgreSQL's SQL alike).
TEST_F(Concurrency, ARushSkipsThoseNotWorkingAndSplitsExactlyAmongTheOthers) {
  constexpr int kThreads = 16;
  constexpr int kLeads = 1200;
  const std::string d = create_destination(http(), unique_name("ShiftRush"));
  // Into this server's PSV map (one per process), or a new one.
  json::value maps = http().get("/api/v1/process-destination-maps").json();
  std::string psv_map;
  json::array entries;
  for (const auto& m : at(maps, "items").as_array())
    if (str(m, "process") == "PSV") {
      psv_map = str(m, "_id");
      for (const auto& e : at(m, "destinations").as_array())
        entries.emplace_back(json::object{{"_id", str(e, "_id")}});
    }
  if (psv_map.empty()) {
    create_map(http(), "PSV", {{d}});
  } else {
    entries.emplace_back(json::object{{"_id", d}});
    Response r = http().patch("/api/v1/process-destination-maps/" + psv_map,
                              json::object{{"destinations", std::move(entries)}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }
  const std::int64_t now = ms_of(advance_clock(http(), std::chrono::seconds(1)));
  // Kolkata (the test server's zone, UTC+05:30): a shift three days away is never now.
  const char* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const int today = static_cast<int>(((now + 19800000) / 86400000 + 3) % 7);
  const json::array off_shift{
      json::object{{"day", days[(today + 3) % 7]}, {"start", "09:00"}, {"end", "18:00"}}};
  const json::array on_leave{
      json::object{{"from", iso(now - 3600000)}, {"to", iso(now + 86400000)}}};
  std::set<std::string> working, idle;
  for (int i = 0; i < 6; ++i) {
    json::object body{{"personId", create_user(http(), "PSV", "Shifter")},
                      {"process", "PSV"},
                      {"destinations", json::array{json::value(d)}},
                      {"seq", i + 1}};
    if (i == 4) body["shifts"] = off_shift;
    if (i == 5) body["leave"] = on_leave;
    Response r = http().post("/api/v1/availabilities", body);
    ASSERT_EQ(r.status, 201) << r.describe();
    (i < 4 ? working : idle).insert(str(r.json(), "_id"));
  }
  // A POC entering rotation starts at the pool's least count: shares are counted from there.
  const auto before = availabilities_by_id(http(), "PSV");
  EXPECT_EQ(rush_leads(server(), d, kLeads, kThreads, "Shift"), 0);
  const auto pocs = availabilities_by_id(http(), "PSV");
  auto got = [&](const std::string& id) {
    return num(pocs.at(id), "leadCount").value_or(-1) - num(before.at(id), "leadCount").value_or(0);
  };
  for (const auto& id : idle) EXPECT_EQ(got(id), 0) << id;
  for (const auto& id : working) EXPECT_EQ(got(id), kLeads / 4) << id;  // 1200 / 4: exactly
}

TEST_F(Concurrency, SimultaneousDuplicatesHaveOneOriginal) {
  constexpr int kThreads = 8;
  const std::string d = create_destination(http(), unique_name("Echo"));
  const std::string national = next_mobile();
  const std::string formats[] = {national, "+91" + national, "0" + national,
                                 "+91 " + national.substr(0, 5) + " " + national.substr(5)};
  std::vector<Response> answers(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = server().client();
      json::object body = lead_body("Echo", formats[t % 4]);
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
  for (const auto& r : answers) {
    json::value v = r.json();
    if (str(v, "opportunity._id") == originals[0]) continue;
    EXPECT_EQ(str(v, "opportunity.status"), "Dormant");
    EXPECT_EQ(str(v, "opportunity.duplicateOf"), originals[0]);
  }
  EXPECT_EQ(num(get_opportunity(http(), originals[0]), "reInquiries"), kThreads - 1);
}

TEST_F(Concurrency, SimultaneousRetriesWithOneKeyStoreOneLead) {
  constexpr int kThreads = 8;
  const std::string d = create_destination(http(), unique_name("Retry"));
  json::object body = lead_body("Retry", next_mobile());
  body["destination"] = d;
  const Headers key = {{"Idempotency-Key", unique_name("race")}};
  std::vector<Response> answers(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = server().client();
      start.arrive_and_wait();
      answers[t] = post_lead(client, body, key);
    });
  }
  for (auto& t : threads) t.join();

  const Response* created = nullptr;
  for (const auto& r : answers) {
    if (r.status == 201) {
      EXPECT_EQ(created, nullptr) << "two 201s for one Idempotency-Key";
      created = &r;
    } else if (r.status != 200) {
      // The IETF draft allows 409 for a retry while the first is in flight.
      EXPECT_EQ(r.status, 409) << r.describe();
    }
  }
  ASSERT_NE(created, nullptr) << "no request was answered 201";
  for (const auto& r : answers) {
    if (r.status == 200) {
      EXPECT_EQ(r.json(), created->json()) << "a replay differs";
    }
  }
  EXPECT_EQ(list_opportunities(http(), "destination=" + d).size(), 1u);
}

}  // namespace
}  // namespace leadproc::apitest
