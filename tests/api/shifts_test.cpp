// Shifts, leave and check-in/out (issue 21, item 1; docs/api-config.md "Shifts, leave and
// check-in"), black-box on each store: a POC whose shift does not cover now gets no lead while
// others do; with everyone off shift the lead waits with the reason and is assigned when a shift
// is edited to cover now, when a shift begins (the assign-waiting job) or when the agent checks
// in; bad schedules are refused naming every bad field.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

constexpr std::int64_t kKolkataOffsetMs = 19800000;  // the test server's zone: UTC+05:30, no DST
constexpr std::int64_t kDayMs = 86400000;
const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// The server's wall clock now in its business zone (Asia/Kolkata): weekday (0 = Monday) and
// minute, read by moving its test clock one second.
struct LocalNow {
  int weekday;
  int minute;
};
LocalNow local_now(HttpClient& admin) {
  const std::int64_t local =
      ms_of(advance_clock(admin, std::chrono::seconds(1))) + kKolkataOffsetMs;
  const std::int64_t days = local / kDayMs;
  return LocalNow{static_cast<int>((days + 3) % 7), static_cast<int>(local % kDayMs / 60000)};
}

json::object shift(int weekday, const std::string& start, const std::string& end) {
  return json::object{{"day", kDays[weekday % 7]}, {"start", start}, {"end", end}};
}

// Shifts covering all of today and tomorrow (so a test running across midnight stays covered).
json::array covering_now(const LocalNow& now) {
  return json::array{shift(now.weekday, "00:00", "24:00"),
                     shift(now.weekday + 1, "00:00", "24:00")};
}

// A shift three days away: never now.
json::array not_covering_now(const LocalNow& now) {
  return json::array{shift(now.weekday + 3, "09:00", "18:00")};
}

// A fresh server per case: each routes its own destination through the one PSV map.
class Shifts : public FreshServerTest {
 protected:
  // A PSV POC for `destination` with `shifts`; returns its availability _id.
  std::string poc(const std::string& person, const std::string& destination, json::array shifts) {
    Response r = http().post("/api/v1/availabilities",
                             json::object{{"personId", person},
                                          {"process", "PSV"},
                                          {"destinations", json::array{json::value(destination)}},
                                          {"shifts", std::move(shifts)}});
    EXPECT_EQ(r.status, 201) << r.describe();
    return str(r.json(), "_id");
  }
  std::string routed_destination() {
    std::string d = create_destination(http(), unique_name("Kerala"));
    create_map(http(), "PSV", {MapEntry(d)});
    return d;
  }
};

TEST_F(Shifts, APocOffShiftGetsNoLeadWhileOthersDo) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  const std::string off = create_user(http(), "PSV", "Night");
  const std::string on = create_user(http(), "PSV", "Day");
  const std::string off_poc = poc(off, destination, not_covering_now(now));
  poc(on, destination, covering_now(now));

  for (const auto& id : leads_for(http(), destination, 4))
    EXPECT_EQ(str(get_opportunity(http(), id), "assignedPsv._id"), on);

  auto pool = availabilities_by_id(http(), "PSV");
  EXPECT_EQ(num(pool[off_poc], "leadCount"), 0);
  EXPECT_EQ(pool[off_poc].at("workingNow"), json::value(false));
  EXPECT_EQ(str(pool[off_poc], "offDuty"), "off shift");
  ASSERT_EQ(at(pool[off_poc], "shifts").as_array().size(), 1u);
  EXPECT_EQ(str(at(pool[off_poc], "shifts").as_array()[0], "start"), "09:00");
}

TEST_F(Shifts, WithEveryoneOffShiftTheLeadWaitsWithTheReasonUntilAShiftCoversNow) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  const std::string agent = create_user(http(), "PSV", "Late");
  const std::string id = poc(agent, destination, not_covering_now(now));

  const std::string opp = leads_for(http(), destination, 1).front();
  json::object waiting = get_opportunity(http(), opp);
  EXPECT_TRUE(is_null_at(waiting, "assignedPsv"));
  EXPECT_EQ(str(waiting, "awaitingAssignment"), "PSV");
  EXPECT_EQ(str(waiting, "awaitingReason"), "nobody of the PSV pool is working: 1 off shift");
  auto acts = activities_of(http(), opp);
  ASSERT_FALSE(acts.empty());
  EXPECT_NE(str(acts.back(), "description").find("waiting: nobody of the PSV pool is working"),
            std::string::npos)
      << str(acts.back(), "description");

  Response edited =
      http().patch("/api/v1/availabilities/" + id, json::object{{"shifts", covering_now(now)}});
  ASSERT_EQ(edited.status, 200) << edited.describe();
  json::object assigned = get_opportunity(http(), opp);
  EXPECT_EQ(str(assigned, "assignedPsv._id"), agent);
  EXPECT_TRUE(is_null_at(assigned, "awaitingAssignment"));
  EXPECT_FALSE(assigned.contains("awaitingReason"));
}

TEST_F(Shifts, OnLeaveMeansNoLead) {
  const std::string now_iso = advance_clock(http(), std::chrono::seconds(1));
  const std::int64_t now = ms_of(now_iso);
  const std::string destination = routed_destination();
  const std::string agent = create_user(http(), "PSV", "Away");
  Response r = http().post(
      "/api/v1/availabilities",
      json::object{{"personId", agent},
                   {"process", "PSV"},
                   {"destinations", json::array{json::value(destination)}},
                   {"leave", json::array{json::object{{"from", iso(now - kDayMs)},
                                                      {"to", iso(now + 7 * kDayMs)}}}}});
  ASSERT_EQ(r.status, 201) << r.describe();
  const std::string opp = leads_for(http(), destination, 1).front();
  EXPECT_EQ(str(get_opportunity(http(), opp), "awaitingReason"),
            "nobody of the PSV pool is working: 1 on leave");
  EXPECT_EQ(str(availabilities_by_id(http(), "PSV")[str(r.json(), "_id")], "offDuty"), "on leave");
}

TEST_F(Shifts, TheAssignWaitingJobAssignsWhenAShiftBegins) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  const std::string agent = create_user(http(), "PSV", "Soon");
  // A two-hour shift starting in five minutes (overnight and on the next day when that wraps).
  const int start = now.minute + 5;
  const int weekday = now.weekday + start / 1440;
  auto clock = [](int m) {
    char out[16];
    std::snprintf(out, sizeof out, "%02d:%02d", m / 60, m % 60);
    return std::string(out);
  };
  const int end = (start % 1440 + 120) % 1440;
  poc(agent, destination,
      json::array{shift(weekday, clock(start % 1440), end == 0 ? "24:00" : clock(end))});

  const std::string opp = leads_for(http(), destination, 1).front();
  EXPECT_EQ(str(get_opportunity(http(), opp), "awaitingAssignment"), "PSV");
  Response early = http().post("/api/v1/jobs/assign-waiting/run", json::object{});
  ASSERT_EQ(early.status, 200) << early.describe();
  EXPECT_EQ(str(get_opportunity(http(), opp), "awaitingAssignment"), "PSV");

  advance_clock(http(), std::chrono::minutes(10));
  Response run = http().post("/api/v1/jobs/assign-waiting/run", json::object{});
  ASSERT_EQ(run.status, 200) << run.describe();
  EXPECT_EQ(str(run.json(), "outcome"), "ok");
  EXPECT_GE(num(run.json(), "counts.PSV").value_or(0), 1);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), agent);
}

TEST_F(Shifts, AnAgentChecksOutAndBackIn) {
  const std::string destination = routed_destination();
  Login agent = create_login(http(), "PSV");
  poc(agent.id, destination, json::array{});
  HttpClient me = server().client();
  me.set_default_headers(bearer(agent.token));

  Response work = me.get("/api/v1/me/work");
  ASSERT_EQ(work.status, 200) << work.describe();
  EXPECT_EQ(at(work.json(), "items").as_array().size(), 1u);
  EXPECT_EQ(at(work.json(), "items").as_array()[0].at("workingNow"), json::value(true));

  Response out = me.post("/api/v1/me/check-out", json::object{});
  ASSERT_EQ(out.status, 200) << out.describe();
  const json::value out_json = out.json();
  const auto& item = at(out_json, "items").as_array()[0];
  EXPECT_EQ(str(item, "offDuty"), "checked out");
  EXPECT_FALSE(is_null_at(item, "checkedOutUntil"));

  const std::string opp = leads_for(http(), destination, 1).front();
  EXPECT_EQ(str(get_opportunity(http(), opp), "awaitingReason"),
            "nobody of the PSV pool is working: 1 checked out");

  Response in = me.post("/api/v1/me/check-in", json::object{});
  ASSERT_EQ(in.status, 200) << in.describe();
  EXPECT_EQ(at(in.json(), "items").as_array()[0].at("workingNow"), json::value(true));
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), agent.id);
}

TEST_F(Shifts, AnAgentInNoPoolHasNothingToCheckInto) {
  Login agent = create_login(http(), "SALES");
  HttpClient me = server().client();
  me.set_default_headers(bearer(agent.token));
  expect_problem(me.post("/api/v1/me/check-in", json::object{}), 404);
  expect_problem(me.get("/api/v1/me/work"), 404);
}

TEST_F(Shifts, BadSchedulesAreRefusedNamingEveryField) {
  const std::string destination = routed_destination();
  const std::string agent = create_user(http(), "PSV", "Typo");
  Response r = http().post(
      "/api/v1/availabilities",
      json::object{
          {"personId", agent},
          {"process", "PSV"},
          {"destinations", json::array{json::value(destination)}},
          {"shifts",
           json::array{json::object{{"day", "monday"}, {"start", "09:00"}, {"end", "18:00"}},
                       json::object{{"day", "tue"}, {"start", "25:00"}, {"end", "00:00"}},
                       json::object{{"day", "wed"}, {"start", "10:00"}, {"end", "10:00"}}}},
          {"leave",
           json::array{
               json::object{{"from", "2026-12-24T00:00:00Z"}, {"to", "2026-12-20T00:00:00Z"}},
               json::object{{"from", "tomorrow"}, {"to", "2026-12-20T00:00:00Z"}}}},
          {"checkedOutUntil", "2026-12-20T00:00:00Z"}});
  expect_problem(r, 422);
  auto fields = problem_fields(r);
  for (auto f : {"shifts[0].day", "shifts[1].start", "shifts[1].end", "shifts[2].end",
                 "leave[0].to", "leave[1].from", "checkedOutUntil"})
    EXPECT_TRUE(contains(fields, f)) << f << " in " << r.body;
  Response list = http().get("/api/v1/availabilities?personId=" + agent);
  EXPECT_EQ(at(list.json(), "items").as_array().size(), 0u);
}

// Item 5: every assignment stores its decision; a dry run says where a lead would go and why.
TEST_F(Shifts, TheRoutingRecordListsTheCandidatesAndWhoWasLeftOut) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  const std::string a = create_user(http(), "PSV", "Asha");
  const std::string b = create_user(http(), "PSV", "Bina");
  const std::string c = create_user(http(), "PSV", "Chand");
  poc(a, destination, covering_now(now));
  poc(b, destination, json::array{});
  poc(c, destination, not_covering_now(now));

  const std::string opp = leads_for(http(), destination, 1).front();
  Response r = http().get("/api/v1/opportunities/" + opp + "/routing");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value answer = r.json();
  const auto& items = at(answer, "items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const json::value& rec = items[0];
  EXPECT_EQ(str(rec, "pool"), "PSV");
  EXPECT_EQ(str(rec, "outcome"), "assigned");
  EXPECT_NE(str(rec, "why").find("routing entry: PSV"), std::string::npos) << str(rec, "why");
  const json::value assigned = get_opportunity(http(), opp);
  EXPECT_EQ(str(rec, "winner.personId"), str(assigned, "assignedPsv._id"));
  EXPECT_EQ(str(rec, "winner.name"), str(assigned, "assignedPsv.name"));  // resolved when read
  EXPECT_EQ(num(rec, "candidateCount"), 2);
  std::set<std::string> candidates;
  for (const auto& cand : at(rec, "candidates").as_array()) {
    candidates.insert(str(cand, "personId"));
    EXPECT_EQ(num(cand, "leadCount"), 0);
  }
  EXPECT_EQ(candidates, (std::set<std::string>{a, b}));
  EXPECT_EQ(num(rec, "excludedCount"), 1);
  EXPECT_EQ(str(at(rec, "excluded").as_array()[0], "personId"), c);
  EXPECT_EQ(str(at(rec, "excluded").as_array()[0], "reason"), "off shift");
}

TEST_F(Shifts, AWaitingLeadsRecordSaysWhy) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  poc(create_user(http(), "PSV", "Off"), destination, not_covering_now(now));
  const std::string opp = leads_for(http(), destination, 1).front();
  Response r = http().get("/api/v1/opportunities/" + opp + "/routing");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value answer = r.json();
  const json::value& rec = at(answer, "items").as_array().at(0);
  EXPECT_EQ(str(rec, "outcome"), "waiting");
  EXPECT_TRUE(is_null_at(rec, "winner"));
  EXPECT_EQ(str(rec, "waitingReason"), "nobody of the PSV pool is working: 1 off shift");
}

TEST_F(Shifts, TheDryRunNamesEachPocsReasonAndChangesNothing) {
  const LocalNow now = local_now(http());
  const std::string destination = routed_destination();
  const std::string elsewhere = create_destination(http(), unique_name("Elsewhere"));
  const std::string on = create_user(http(), "PSV", "On");
  const std::string off = create_user(http(), "PSV", "Off");
  const std::string out = create_user(http(), "PSV", "Out");
  const std::string other = create_user(http(), "PSV", "Other");
  const std::string on_poc = poc(on, destination, covering_now(now));
  poc(off, destination, not_covering_now(now));
  create_availability(http(), {out, "PSV", {destination}, {}, std::nullopt, false});
  poc(other, elsewhere, json::array{});

  json::object body = lead_body("Dry Run", next_mobile());
  body["destination"] = destination;
  for (int i = 0; i < 2; ++i) {  // the same answer twice: the first changed nothing
    Response r = http().post("/api/v1/routing/dry-run", body);
    ASSERT_EQ(r.status, 200) << r.describe();
    const json::value answer = r.json();
    EXPECT_EQ(str(answer, "outcome"), "routed");
    EXPECT_EQ(str(answer, "assignee.personId"), on);
    const json::value& rec = at(answer, "decisions").as_array().at(0);
    std::map<std::string, std::string> verdicts;
    for (const auto& p : at(rec, "pocs").as_array())
      verdicts[str(p, "personId")] = str(p, "verdict");
    EXPECT_EQ(verdicts[on], "chosen");
    EXPECT_EQ(verdicts[off], "off shift");
    EXPECT_EQ(verdicts[out], "not available");
    EXPECT_EQ(verdicts[other], "does not cover the destination");
  }
  EXPECT_EQ(num(availabilities_by_id(http(), "PSV")[on_poc], "leadCount"), 0);
  EXPECT_TRUE(list_opportunities(http(), "destination=" + destination).empty());

  json::object bad = lead_body("No Number", "12");
  expect_problem(http().post("/api/v1/routing/dry-run", bad), 422);
}

}  // namespace
}  // namespace leadproc::apitest
