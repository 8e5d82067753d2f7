// Deactivating a user hands their open opportunities over in the same step (docs/api-config.md
// "Users"): no lead stays with someone who cannot work it. Without a handover the deactivation is
// refused with the count; a handover to a person or by round robin moves every lead with the
// activity of a reassignment; a handover that cannot be done changes nothing.
#include <set>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// A fresh database per test: the round-robin spread depends on every POC of the pool.
class Handover : public FreshServerTest {
 protected:
  void SetUp() override {
    FreshServerTest::SetUp();
    if (HasFatalFailure()) return;
    auto desk = one_agent_desk(http(), "Lea");
    goa = desk.destination;
    leaving = desk.agent;
    leads = leads_for(http(), goa, 4);
    // Colleagues join the rotation after Lea took every lead.
    pia = create_user(http(), "PSV", "Pia");
    pam = create_user(http(), "PSV", "Pam");
    create_availability(http(), {pia, "PSV", {goa}, {}, 2, true});
    create_availability(http(), {pam, "PSV", {goa}, {}, 3, true});
  }

  Response deactivate(const std::string& user, const json::object& body) {
    return http().post("/api/v1/users/" + user + "/deactivate", body);
  }
  bool is_active(const std::string& user) {
    return at(http().get("/api/v1/users/" + user).json(), "isActive") == json::value(true);
  }
  std::string psv_of(const std::string& opp) {
    return str(get_opportunity(http(), opp), "assignedPsv._id");
  }
  // Nothing of a refused deactivation happened: Lea active, in rotation, with every lead.
  void expect_unchanged() {
    EXPECT_TRUE(is_active(leaving));
    for (const auto& [id, poc] : availabilities_by_id(http(), "PSV")) {
      if (str(poc, "personId") == leaving) {
        EXPECT_EQ(at(poc, "isAvailable"), json::value(true));
      }
    }
    for (const auto& opp : leads) EXPECT_EQ(psv_of(opp), leaving) << opp;
  }

  std::string goa, leaving, pia, pam;
  std::vector<std::string> leads;
};

TEST_F(Handover, WithOpenLeadsAndNoHandoverItIsRefusedWithTheCount) {
  Response preview = http().get("/api/v1/users/" + leaving + "/open-opportunities");
  ASSERT_EQ(preview.status, 200) << preview.describe();
  EXPECT_EQ(num(preview.json(), "count"), 4);
  std::set<std::string> listed;
  const json::value body = preview.json();
  for (const auto& item : at(body, "items").as_array()) listed.insert(str(item, "_id"));
  EXPECT_EQ(listed, std::set<std::string>(leads.begin(), leads.end()));
  EXPECT_EQ(num(http().get("/api/v1/users/" + pia + "/open-opportunities").json(), "count"), 0);

  Response r = deactivate(leaving, json::object{});
  expect_problem(r, 409);
  EXPECT_EQ(num(r.json(), "openOpportunities"), 4) << r.body;
  // Nor through PATCH or DELETE.
  expect_problem(http().patch("/api/v1/users/" + leaving, json::object{{"isActive", false}}), 409);
  expect_problem(http().del("/api/v1/users/" + leaving), 409);
  expect_unchanged();
  // A user without open leads needs no handover.
  EXPECT_EQ(deactivate(pam, json::object{}).status, 200);
}

TEST_F(Handover, ToAPersonMovesEveryLeadWithAReassignmentActivity) {
  Response r = deactivate(leaving, json::object{{"handover", {{"to", pia}}}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_FALSE(is_active(leaving));
  for (const auto& opp : leads) {
    EXPECT_EQ(psv_of(opp), pia) << opp;
    auto acts = activities_of(http(), opp);
    ASSERT_FALSE(acts.empty());
    const std::string d = str(acts.front(), "description");
    EXPECT_TRUE(d.starts_with("reassigned from " + leaving + " to " + pia)) << d;
  }
  EXPECT_EQ(num(http().get("/api/v1/users/" + leaving + "/open-opportunities").json(), "count"), 0);
}

TEST_F(Handover, ByRoundRobinSpreadsTheLeadsOverThePool) {
  Response r = deactivate(leaving, json::object{{"handover", {{"roundRobin", true}}}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_FALSE(is_active(leaving));
  std::map<std::string, int> taken;
  for (const auto& opp : leads) ++taken[psv_of(opp)];
  EXPECT_EQ(taken.count(leaving), 0u);
  EXPECT_EQ(taken[pia], 2);
  EXPECT_EQ(taken[pam], 2);
  auto acts = activities_of(http(), leads.front());
  ASSERT_FALSE(acts.empty());
  EXPECT_TRUE(str(acts.front(), "description").starts_with("reassigned from " + leaving))
      << str(acts.front(), "description");
}

TEST_F(Handover, ATargetThatCannotTakeTheLeadsChangesNothing) {
  const std::string sam = create_user(http(), "SALES", "Sam");
  Response wrong_department = deactivate(leaving, json::object{{"handover", {{"to", sam}}}});
  expect_problem(wrong_department, 422);
  EXPECT_TRUE(contains(problem_fields(wrong_department), "handover.to")) << wrong_department.body;
  expect_unchanged();

  ASSERT_EQ(deactivate(pam, json::object{}).status, 200);
  expect_problem(deactivate(leaving, json::object{{"handover", {{"to", pam}}}}), 422);
  expect_unchanged();
  expect_problem(deactivate(leaving, json::object{{"handover", {{"to", leaving}}}}), 422);
  expect_problem(
      deactivate(leaving, json::object{{"handover", {{"to", "65a1b2c3d4e5f60718293a4b"}}}}), 422);
  expect_problem(deactivate(leaving, json::object{{"handover", json::object{}}}), 422);
  expect_problem(
      deactivate(leaving, json::object{{"handover", {{"to", pia}, {"roundRobin", true}}}}), 422);
  expect_unchanged();
}

}  // namespace
}  // namespace leadproc::apitest
