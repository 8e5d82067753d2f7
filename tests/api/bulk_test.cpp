// Bulk work (docs/api-workflow.md "Bulk"; issue 17 item 5): POST /api/v1/opportunities/bulk
// answers one result per opportunity, each change with its own activity; ids that cannot be done
// are refused one by one with their reason while the others are done; reassignment is an
// admin's; the filter form is the list's filter, bounded at 1,000.
#include <map>
#include <set>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kBulk = "/api/v1/opportunities/bulk";
constexpr const char* kNobody = "65a1b2c3d4e5f60718293a4b";  // an id nothing has

// A fresh database per test: counts of leads, activities and round-robin turns are exact.
class Bulk : public FreshServerTest {
 protected:
  void SetUp() override {
    FreshServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto desk = one_agent_desk(http(), "Lea");
    goa = desk.destination;
    lea = desk.agent;
  }

  // `n` new leads for Goa (all Lea's while she is the only POC); their opportunity ids.
  std::vector<std::string> leads(int n) { return leads_for(http(), goa, n); }

  static json::array ids_of(const std::vector<std::string>& ids) {
    json::array out;
    for (const auto& id : ids) out.emplace_back(id);
    return out;
  }

  // POST the bulk request expecting 200; the answer.
  json::object bulk(const json::object& body, HttpClient* as = nullptr,
                    const Headers& headers = {}) {
    Response r = (as ? *as : http()).post(kBulk, body, headers);
    EXPECT_EQ(r.status, 200) << r.describe();
    json::value v = r.json();
    return v.is_object() ? v.get_object() : json::object{};
  }

  // The results by _id.
  static std::map<std::string, json::object> results_by_id(const json::object& answer) {
    std::map<std::string, json::object> out;
    if (at(answer, "results").is_array())
      for (const auto& r : at(answer, "results").get_array()) out[str(r, "_id")] = r.as_object();
    return out;
  }

  std::string psv_of(const std::string& opp) {
    return str(get_opportunity(http(), opp), "assignedPsv._id");
  }

  std::string goa, lea;
};

TEST_F(Bulk, ReassigningFiftyAnswersFiftyResultsAndWritesFiftyActivities) {
  const auto opps = leads(50);
  const std::string pia = create_user(http(), "PSV", "Pia");
  json::object answer = bulk(
      {{"action", "reassign"}, {"ids", ids_of(opps)}, {"to", pia}, {"remarks", "Lea is on leave"}});
  EXPECT_EQ(str(answer, "action"), "reassign");
  EXPECT_EQ(num(answer, "total"), 50);
  EXPECT_EQ(num(answer, "done"), 50);
  EXPECT_EQ(num(answer, "refused"), 0);
  ASSERT_EQ(at(answer, "results").as_array().size(), 50u);
  // One result per opportunity, in the request's order.
  for (std::size_t i = 0; i < opps.size(); ++i) {
    const auto& r = at(answer, "results").as_array()[i];
    EXPECT_EQ(str(r, "_id"), opps[i]);
    EXPECT_EQ(str(r, "result"), "done");
  }
  int reassignments = 0;
  for (const auto& opp : opps) {
    EXPECT_EQ(psv_of(opp), pia) << opp;
    for (const auto& a : activities_of(http(), opp)) {
      const std::string d = str(a, "description");
      if (d.starts_with("reassigned from " + lea + " to " + pia)) {
        ++reassignments;
        EXPECT_NE(d.find("Lea is on leave"), std::string::npos) << d;
      }
    }
  }
  EXPECT_EQ(reassignments, 50);
}

TEST_F(Bulk, EachIdThatCannotBeDoneIsRefusedWithItsReasonAndTheOthersAreDone) {
  const auto opps = leads(5);
  const std::string pia = create_user(http(), "PSV", "Pia");
  // opps[1] is closed; opps[2] is Pia's already; opps[3] is sent with a version it no longer has.
  ASSERT_EQ(http()
                .post("/api/v1/opportunities/" + opps[1] + "/transitions",
                      json::object{{"to", "PSVDisqualified"}, {"reasons", json::array{"junk"}}})
                .status,
            200);
  ASSERT_EQ(http()
                .post("/api/v1/opportunities/" + opps[2] + "/reassign", json::object{{"to", pia}})
                .status,
            200);
  ASSERT_EQ(http().patch("/api/v1/opportunities/" + opps[3], json::object{{"remarks", "x"}}).status,
            200);
  const std::int64_t stale = *num(get_opportunity(http(), opps[3]), "version") - 1;
  const std::int64_t current = *num(get_opportunity(http(), opps[4]), "version");
  json::array ids{opps[0], opps[1],
                  opps[2], json::object{{"_id", opps[3]}, {"version", stale}},
                  kNobody, json::object{{"_id", opps[4]}, {"version", current}}};
  json::object answer = bulk({{"action", "reassign"}, {"ids", ids}, {"to", pia}});
  EXPECT_EQ(num(answer, "total"), 6);
  EXPECT_EQ(num(answer, "done"), 2);
  EXPECT_EQ(num(answer, "refused"), 4);
  auto results = results_by_id(answer);
  EXPECT_EQ(str(results[opps[0]], "result"), "done");
  EXPECT_EQ(str(results[opps[4]], "result"), "done");
  EXPECT_EQ(num(results[opps[4]], "version"), current + 1);
  const std::pair<std::string, std::pair<std::string, int>> refused[] = {
      {opps[1], {"conflict", 409}},
      {opps[2], {"conflict", 409}},
      {opps[3], {"version_conflict", 412}},
      {kNobody, {"not_found", 404}}};
  for (const auto& [id, why] : refused) {
    EXPECT_EQ(str(results[id], "result"), "refused") << id;
    EXPECT_EQ(str(results[id], "reason"), why.first) << id;
    EXPECT_EQ(num(results[id], "status"), why.second) << id;
    EXPECT_FALSE(str(results[id], "detail").empty()) << id;
  }
  EXPECT_EQ(psv_of(opps[0]), pia);
  EXPECT_EQ(psv_of(opps[3]), lea) << "a refused opportunity is unchanged";
  // A move the table forbids is an invalid_move with the moves allowed; a missing input, invalid.
  json::object moves =
      bulk({{"action", "move"}, {"ids", ids_of({opps[0], opps[1]})}, {"to", "PSVFutureFollowUp"}});
  auto moved = results_by_id(moves);
  EXPECT_EQ(str(moved[opps[0]], "reason"), "invalid");
  EXPECT_EQ(str(at(moved[opps[0]], "errors").as_array()[0], "field"), "nextFollowUpDate");
  EXPECT_EQ(str(moved[opps[1]], "reason"), "invalid_move");
  EXPECT_TRUE(at(moved[opps[1]], "allowed").is_array());
}

TEST_F(Bulk, RoundRobinSpreadsAFilterOverThePoolWithOneActivityEach) {
  const auto opps = leads(6);
  // Lea leaves the rotation; Pia and Pam join it: round robin shares her leads between them.
  const std::string pia = create_user(http(), "PSV", "Pia");
  const std::string pam = create_user(http(), "PSV", "Pam");
  create_availability(http(), {pia, "PSV", {goa}, {}, 2, true});
  create_availability(http(), {pam, "PSV", {goa}, {}, 3, true});
  for (const auto& [id, poc] : availabilities_by_id(http(), "PSV"))
    if (str(poc, "personId") == lea) {
      ASSERT_EQ(
          http().patch("/api/v1/availabilities/" + id, json::object{{"isAvailable", false}}).status,
          200);
    }
  json::object answer = bulk({{"action", "reassign"},
                              {"filter", json::object{{"assignee", lea}, {"destination", goa}}},
                              {"roundRobin", true}});
  EXPECT_EQ(num(answer, "total"), 6);
  EXPECT_EQ(num(answer, "done"), 6);
  std::map<std::string, int> taken;
  for (const auto& opp : opps) {
    ++taken[psv_of(opp)];
    auto acts = activities_of(http(), opp);
    ASSERT_FALSE(acts.empty());
    EXPECT_TRUE(str(acts.front(), "description").starts_with("reassigned from " + lea))
        << str(acts.front(), "description");
  }
  EXPECT_EQ(taken[pia], 3);
  EXPECT_EQ(taken[pam], 3);
}

TEST_F(Bulk, TagsAreAddedAndRemovedWithAnActivityOnlyWhereTheyChange) {
  const auto opps = leads(2);
  json::object tagged = bulk({{"action", "tag"}, {"ids", ids_of(opps)}, {"tags", {"visa"}}});
  EXPECT_EQ(num(tagged, "done"), 2);
  EXPECT_EQ(at(get_opportunity(http(), opps[0]), "tags"), (json::value(json::array{"visa"})));
  EXPECT_EQ(str(activities_of(http(), opps[0]).front(), "description"), "tagged: visa");
  const auto before = activities_of(http(), opps[1]).size();
  json::object again = bulk({{"action", "tag"}, {"ids", ids_of({opps[1]})}, {"tags", {"visa"}}});
  EXPECT_EQ(at(at(again, "results").as_array()[0], "changed"), json::value(false));
  EXPECT_EQ(activities_of(http(), opps[1]).size(), before) << "nothing changed, nothing written";
  json::object untagged = bulk({{"action", "untag"}, {"ids", ids_of(opps)}, {"tags", {"visa"}}});
  EXPECT_EQ(num(untagged, "done"), 2);
  EXPECT_EQ(at(get_opportunity(http(), opps[1]), "tags"), json::value(json::array{}));
}

TEST_F(Bulk, BadRequestsAre422NamingEveryFieldAndChangeNothing) {
  const auto opps = leads(1);
  Response r = http().post(kBulk, json::object{{"action", "shuffle"}, {"ids", json::array{}}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "action")) << r.body;
  EXPECT_TRUE(contains(problem_fields(r), "ids")) << r.body;
  r = http().post(kBulk, json::object{{"action", "reassign"}, {"ids", ids_of(opps)}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "to")) << r.body;
  r = http().post(kBulk, json::object{{"action", "tag"},
                                      {"ids", json::array{opps[0], "nope", opps[0]}},
                                      {"tags", json::array{""}},
                                      {"colour", "red"}});
  expect_problem(r, 422);
  for (const char* f : {"ids[1]", "tags[0]", "colour"})
    EXPECT_TRUE(contains(problem_fields(r), f)) << f << ": " << r.body;
  r = http().post(kBulk, json::object{{"action", "move"},
                                      {"filter", json::object{{"status", "Nowhere"}, {"x", "y"}}},
                                      {"to", "followup"}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "filter.status")) << r.body;
  EXPECT_TRUE(contains(problem_fields(r), "filter.x")) << r.body;
  json::array too_many;
  for (int i = 0; i < 1001; ++i) too_many.emplace_back(opps[0]);
  r = http().post(kBulk, json::object{{"action", "tag"}, {"ids", too_many}, {"tags", {"visa"}}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "ids")) << r.body;
  EXPECT_EQ(activities_of(http(), opps[0]).size(), 1u) << "only the capture";
}

TEST_F(Bulk, AFilterMatchingMoreThanAThousandIsRefusedAndChangesNothing) {
  const auto opps = leads(1001);
  const std::string pia = create_user(http(), "PSV", "Pia");
  Response r = http().post(kBulk, json::object{{"action", "reassign"},
                                               {"filter", json::object{{"destination", goa}}},
                                               {"to", pia}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "filter")) << r.body;
  EXPECT_EQ(psv_of(opps.front()), lea);
  EXPECT_EQ(psv_of(opps.back()), lea);
  EXPECT_EQ(activities_of(http(), opps.back()).size(), 1u) << "only the capture";
}

// Agents: a PSV agent may not reassign in bulk, and tags or moves only their own leads.
class BulkAccess : public TwoPsvAgentsTest<BulkAccess> {};

TEST_F(BulkAccess, APsvAgentCannotReassignInBulkAndActsOnlyOnTheirOwnLeads) {
  auto lead_for = [&](const std::string& destination) {
    json::object body = lead_body("Ravi Das", next_mobile());
    body["destination"] = destination;
    return str(ingest(admin(), body), "opportunity._id");
  };
  const std::string hers = lead_for(goa_);
  const std::string belas = lead_for(bali_);
  HttpClient asha = anonymous();
  asha.set_default_headers(bearer(asha_.token));
  Response r = asha.post(
      kBulk, json::object{{"action", "reassign"}, {"ids", json::array{hers}}, {"to", bela_.id}});
  expect_problem(r, 403);
  EXPECT_EQ(str(get_opportunity(admin(), hers), "assignedPsv._id"), asha_.id);

  r = asha.post(kBulk, json::object{{"action", "tag"},
                                    {"ids", json::array{hers, belas}},
                                    {"tags", json::array{"visa"}}});
  ASSERT_EQ(r.status, 200) << r.describe();
  json::value v = r.json();
  EXPECT_EQ(str(at(v, "results").as_array()[0], "result"), "done");
  EXPECT_EQ(str(at(v, "results").as_array()[1], "reason"), "not_found")
      << "another agent's lead is answered as if it did not exist";
  EXPECT_EQ(at(get_opportunity(admin(), belas), "tags"), json::value(json::array{}));

  // "All that match" is narrowed to the caller's own, as the list is.
  r = asha.post(kBulk, json::object{{"action", "tag"},
                                    {"filter", json::object{{"status", "InPSV"}}},
                                    {"tags", json::array{"ex_client"}}});
  ASSERT_EQ(r.status, 200) << r.describe();
  v = r.json();
  for (const auto& item : at(v, "results").as_array()) {
    EXPECT_EQ(str(item, "result"), "done");
    EXPECT_EQ(str(get_opportunity(admin(), str(item, "_id")), "assignedPsv._id"), asha_.id);
  }
  EXPECT_EQ(at(get_opportunity(admin(), belas), "tags"), json::value(json::array{}));
}

}  // namespace
}  // namespace leadproc::apitest
