// Escalation policies and the sla-escalation job (issue 21, item 6; docs/api-config.md
// "Escalation policies"), black-box on each store, on the server's test clock: a policy of a few
// minutes warns the owner of an untouched fresh lead, then reassigns it by round robin to someone
// else with an activity saying why; a touched lead is left alone; a second run acts no more;
// off-shift time does not count; with nobody else working the reassignment waits and says so;
// bad policies are refused naming every bad field.
#include <gtest/gtest.h>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// A fresh server per case: a policy watches every lead of its stage in the database.
class SlaEscalation : public FreshServerTest {
 protected:
  // A destination routed to PSV with one PSV POC per agent (shifts as given, none: always).
  std::string desk(const std::vector<std::string>& agents, json::array shifts = {}) {
    const std::string d = create_destination(http(), unique_name("Bali"));
    create_map(http(), "PSV", {MapEntry(d)});
    for (const auto& a : agents) add_poc(a, d, shifts);
    return d;
  }
  std::string add_poc(const std::string& agent, const std::string& destination,
                      json::array shifts) {
    Response r = http().post("/api/v1/availabilities",
                             json::object{{"personId", agent},
                                          {"process", "PSV"},
                                          {"destinations", json::array{json::value(destination)}},
                                          {"shifts", std::move(shifts)}});
    EXPECT_EQ(r.status, 201) << r.describe();
    return str(r.json(), "_id");
  }
  std::string policy(int after, int warn, const std::string& action = "reassign") {
    Response r = http().post("/api/v1/sla-policies", json::object{{"process", "PSV"},
                                                                  {"stage", "PSVFreshLead"},
                                                                  {"afterMinutes", after},
                                                                  {"warnBeforeMinutes", warn},
                                                                  {"action", action}});
    EXPECT_EQ(r.status, 201) << r.describe();
    return str(r.json(), "_id");
  }
  json::value run_job() {
    Response r = http().post("/api/v1/jobs/sla-escalation/run", json::object{});
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(str(r.json(), "outcome"), "ok") << r.describe();
    return r.json();
  }
  // The activities of `opp` whose description contains `text`.
  std::vector<json::object> activities_saying(const std::string& opp, std::string_view text) {
    std::vector<json::object> out;
    for (auto& a : activities_of(http(), opp))
      if (str(a, "description").find(text) != std::string::npos) out.push_back(std::move(a));
    return out;
  }
};

TEST_F(SlaEscalation, BadPoliciesAreRefusedNamingEveryBadField) {
  Response r = http().post("/api/v1/sla-policies", json::object{{"process", "SYNC"},
                                                                {"stage", 3},
                                                                {"afterMinutes", 0},
                                                                {"warnBeforeMinutes", -1},
                                                                {"action", "escalate"},
                                                                {"colour", "red"}});
  expect_problem(r, 422);
  for (const char* f :
       {"process", "stage", "afterMinutes", "warnBeforeMinutes", "action", "colour"})
    EXPECT_TRUE(contains(problem_fields(r), f)) << f << ": " << r.describe();

  Response wrong = http().post("/api/v1/sla-policies", json::object{{"process", "CRM"},
                                                                    {"stage", "PSVFreshLead"},
                                                                    {"afterMinutes", 60},
                                                                    {"warnBeforeMinutes", 60},
                                                                    {"action", "notify"}});
  expect_problem(wrong, 422);
  EXPECT_EQ(problem_fields(wrong), (std::vector<std::string>{"stage", "warnBeforeMinutes"}))
      << wrong.describe();

  Response missing = http().post("/api/v1/sla-policies", json::object{});
  expect_problem(missing, 422);
  for (const char* f : {"process", "stage", "afterMinutes", "action"})
    EXPECT_TRUE(contains(problem_fields(missing), f)) << f << ": " << missing.describe();

  const std::string id = policy(30, 10);
  Response patch =
      http().patch("/api/v1/sla-policies/" + id, json::object{{"warnBeforeMinutes", 30}});
  expect_problem(patch, 422);
  EXPECT_EQ(problem_fields(patch), (std::vector<std::string>{"warnBeforeMinutes"}));
  EXPECT_EQ(num(http().get("/api/v1/sla-policies/" + id).json(), "warnBeforeMinutes"), 10)
      << "a refused change changes nothing";
  EXPECT_EQ(http().get("/api/v1/sla-policies").json().at("items").as_array().size(), 1u);
}

TEST_F(SlaEscalation, AnAdminCreatesListsChangesAndDeletesPolicies) {
  Response created = http().post("/api/v1/sla-policies", json::object{{"process", "CRM"},
                                                                      {"stage", "fresh_lead"},
                                                                      {"afterMinutes", 240},
                                                                      {"action", "notify"}});
  ASSERT_EQ(created.status, 201) << created.describe();
  const std::string id = str(created.json(), "_id");
  EXPECT_EQ(num(created.json(), "warnBeforeMinutes"), 0);
  EXPECT_EQ(str(created.json(), "action"), "notify");

  Response list = http().get("/api/v1/sla-policies");
  ASSERT_EQ(list.status, 200) << list.describe();
  ASSERT_EQ(at(list.json(), "items").as_array().size(), 1u);
  EXPECT_EQ(str(at(list.json(), "items").as_array()[0], "_id"), id);

  Response changed = http().patch("/api/v1/sla-policies/" + id,
                                  json::object{{"action", "reassign"}, {"warnBeforeMinutes", 30}});
  ASSERT_EQ(changed.status, 200) << changed.describe();
  EXPECT_EQ(str(changed.json(), "action"), "reassign");
  EXPECT_EQ(num(changed.json(), "afterMinutes"), 240);
  Response one = http().get("/api/v1/sla-policies/" + id);
  ASSERT_EQ(one.status, 200) << one.describe();
  EXPECT_EQ(num(one.json(), "warnBeforeMinutes"), 30);

  Response gone = http().del("/api/v1/sla-policies/" + id);
  EXPECT_EQ(gone.status, 204) << gone.describe();
  expect_problem(http().get("/api/v1/sla-policies/" + id), 404);
  expect_problem(http().del("/api/v1/sla-policies/" + id), 404);
}

TEST_F(SlaEscalation, AnUntouchedLeadIsWarnedThenReassignedWithAnActivitySayingWhy) {
  const std::string a = create_user(http(), "PSV", "Asha");
  const std::string b = create_user(http(), "PSV", "Bilal");
  const std::string destination = desk({a, b});
  const std::string pid = policy(5, 2);
  const std::string opp = leads_for(http(), destination, 1).front();
  const json::object fresh = get_opportunity(http(), opp);
  const std::string owner = str(fresh, "assignedPsv._id");
  ASSERT_FALSE(owner.empty());

  advance_clock(http(), std::chrono::minutes(2));
  json::value early = run_job();
  EXPECT_EQ(num(early, "counts.warned"), 0);
  EXPECT_TRUE(activities_saying(opp, "SLA").empty());

  advance_clock(http(), std::chrono::minutes(2));  // 4 of 5 minutes: the warning (at 3)
  json::value warned = run_job();
  EXPECT_EQ(num(warned, "counts.warned"), 1) << json::serialize(warned);
  EXPECT_EQ(num(warned, "counts.reassigned"), 0);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), owner);
  auto warnings = activities_saying(opp, "SLA warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(str(warnings[0], "description").find(pid), std::string::npos);

  advance_clock(http(), std::chrono::minutes(2));
  json::value acted = run_job();
  EXPECT_EQ(num(acted, "counts.reassigned"), 1) << json::serialize(acted);
  const json::object after = get_opportunity(http(), opp);
  const std::string now_with = str(after, "assignedPsv._id");
  EXPECT_EQ(now_with, owner == a ? b : a) << "someone else of the pool";
  EXPECT_EQ(str(after, "createdAt"), str(fresh, "createdAt")) << "the lead keeps its age";
  auto why = activities_saying(opp, "SLA escalation");
  ASSERT_EQ(why.size(), 1u);
  const std::string text = str(why[0], "description");
  EXPECT_NE(text.find("reassigned from " + owner + " to " + now_with), std::string::npos) << text;
  EXPECT_NE(text.find("PSV PSVFreshLead after 5 working minutes"), std::string::npos) << text;
  EXPECT_NE(text.find("untouched for"), std::string::npos) << text;

  // The routing record says why it went where it went.
  Response routing = http().get("/api/v1/opportunities/" + opp + "/routing");
  ASSERT_EQ(routing.status, 200) << routing.describe();
  const json::value routing_json = routing.json();
  const auto& records = at(routing_json, "items").as_array();
  ASSERT_GE(records.size(), 2u);
  EXPECT_NE(str(records.back(), "why").find("SLA escalation"), std::string::npos)
      << routing.describe();

  // Both steps are events.
  bool warning_event = false, escalated_event = false;
  Response events = http().get("/api/v1/outbox/events?after=0&limit=500");
  ASSERT_EQ(events.status, 200) << events.describe();
  const json::value events_json = events.json();
  for (const auto& item : at(events_json, "items").as_array()) {
    if (str(item, "event.data.opportunity._id") != opp) continue;
    warning_event |= str(item, "event.type") == "sla.warning";
    if (str(item, "event.type") == "sla.escalated") {
      escalated_event = true;
      EXPECT_EQ(str(item, "event.data.policy._id"), pid);
      EXPECT_EQ(str(item, "event.data.to"), now_with);
    }
  }
  EXPECT_TRUE(warning_event);
  EXPECT_TRUE(escalated_event);

  // A second run (and a third) takes no step again.
  advance_clock(http(), std::chrono::minutes(10));
  json::value again = run_job();
  EXPECT_EQ(num(again, "counts.reassigned"), 0) << json::serialize(again);
  EXPECT_EQ(num(again, "counts.warned"), 0);
  run_job();
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), now_with);
  EXPECT_EQ(activities_saying(opp, "SLA escalation").size(), 1u);
  EXPECT_EQ(activities_saying(opp, "SLA warning").size(), 1u);

  // The SLA report shows the breach by policy.
  Response report = http().get("/api/v1/reports/sla");
  ASSERT_EQ(report.status, 200) << report.describe();
  const json::value report_json = report.json();
  const auto& by_policy = at(report_json, "byPolicy").as_array();
  ASSERT_EQ(by_policy.size(), 1u) << report.describe();
  EXPECT_EQ(str(by_policy[0], "policyId"), pid);
  EXPECT_EQ(num(by_policy[0], "warned"), 1);
  EXPECT_EQ(num(by_policy[0], "breached"), 1);
  EXPECT_EQ(num(by_policy[0], "waiting"), 0);
}

TEST_F(SlaEscalation, ATouchedLeadIsNotEscalated) {
  const std::string a = create_user(http(), "PSV", "Chen");
  const std::string b = create_user(http(), "PSV", "Dara");
  const std::string destination = desk({a, b});
  policy(5, 0);
  const std::string opp = leads_for(http(), destination, 1).front();
  const std::string owner = str(get_opportunity(http(), opp), "assignedPsv._id");
  Response moved = http().post("/api/v1/opportunities/" + opp + "/transitions",
                               json::object{{"to", "PSVFollowUp1"}});
  ASSERT_EQ(moved.status, 200) << moved.describe();

  advance_clock(http(), std::chrono::minutes(30));
  json::value run = run_job();
  EXPECT_EQ(num(run, "counts.reassigned"), 0) << json::serialize(run);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), owner);
  EXPECT_TRUE(activities_saying(opp, "SLA").empty());
}

TEST_F(SlaEscalation, OffShiftTimeDoesNotCount) {
  const std::string a = create_user(http(), "PSV", "Eli");
  const std::string destination = desk({a});
  policy(5, 0, "notify");
  const std::string opp = leads_for(http(), destination, 1).front();
  ASSERT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), a);
  // The owner's rota no longer covers now (a shift three days away): the clock stands still.
  const std::string poc = availabilities_by_id(http(), "PSV").begin()->first;
  Response edited = http().patch(
      "/api/v1/availabilities/" + poc,
      json::object{{"shifts", json::array{json::object{
                                  {"day", "mon"}, {"start", "00:00"}, {"end", "00:01"}}}}});
  ASSERT_EQ(edited.status, 200) << edited.describe();

  advance_clock(http(), std::chrono::minutes(30));
  json::value run = run_job();
  // At most the one minute of Monday 00:00 can have counted: never five.
  EXPECT_EQ(num(run, "counts.notified"), 0) << json::serialize(run);
  EXPECT_TRUE(activities_saying(opp, "SLA").empty());

  // Always working again: the thirty minutes now count, and the admins are notified.
  ASSERT_EQ(
      http().patch("/api/v1/availabilities/" + poc, json::object{{"shifts", json::array{}}}).status,
      200);
  json::value now_due = run_job();
  EXPECT_EQ(num(now_due, "counts.notified"), 1) << json::serialize(now_due);
  EXPECT_EQ(activities_saying(opp, "SLA escalated to the admins").size(), 1u);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), a) << "notify keeps the owner";
}

TEST_F(SlaEscalation, WithNobodyElseWorkingTheReassignmentWaitsAndSaysSo) {
  const std::string a = create_user(http(), "PSV", "Gita");
  const std::string destination = desk({a});
  policy(5, 0);
  const std::string opp = leads_for(http(), destination, 1).front();

  advance_clock(http(), std::chrono::minutes(6));
  json::value run = run_job();
  EXPECT_EQ(num(run, "counts.waiting"), 1) << json::serialize(run);
  EXPECT_EQ(num(run, "counts.reassigned"), 0);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), a) << "no silent fallback";
  EXPECT_EQ(activities_saying(opp, "SLA escalation waits").size(), 1u);
  run_job();
  EXPECT_EQ(activities_saying(opp, "SLA escalation waits").size(), 1u) << "said once";

  const std::string b = create_user(http(), "PSV", "Hari");
  add_poc(b, destination, {});
  json::value later = run_job();
  EXPECT_EQ(num(later, "counts.reassigned"), 1) << json::serialize(later);
  EXPECT_EQ(str(get_opportunity(http(), opp), "assignedPsv._id"), b);
}

}  // namespace
}  // namespace leadproc::apitest
