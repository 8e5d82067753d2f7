// What every signed-in user may read of the configuration (docs/api-config.md "People" and
// "Destinations"): the people directory, names for the user ids on records and nothing personal;
// and the destinations, which an agent needs to resolve an unknown lead. Writes stay ADMIN only.
#include <set>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// One server on a database of its own (fast password hashing), so that the directory holds only
// the users these tests create and the PSV pool only their agent.
class Directory : public OwnSuiteServerTest<Directory> {};

// The directory's entries by _id, as `login` sees them; expects 200.
std::map<std::string, json::object> people_seen_by(HttpClient& http, const Login& login) {
  Response r = http.get("/api/v1/people", bearer(login.token));
  EXPECT_EQ(r.status, 200) << r.describe();
  std::map<std::string, json::object> out;
  if (r.status != 200) return out;
  EXPECT_EQ(r.body.find('@'), std::string::npos) << "an email in the directory: " << r.body;
  const json::value body = r.json();
  for (const auto& item : at(body, "items").as_array()) out[str(item, "_id")] = item.as_object();
  return out;
}

TEST_F(Directory, EverySignedInUserGetsNamesButNothingPersonal) {
  Login psv = create_login(admin(), "PSV");
  Login sales = create_login(admin(), "SALES");
  // Someone without a name: the directory must not fall back to the email.
  Response nameless = admin().post(
      "/api/v1/users", json::object{{"email", "nameless." + run_token() + "@directory.test"},
                                    {"department", "WEST"},
                                    {"phone", {{"countryCode", "+91"}, {"number", "9812345678"}}}});
  ASSERT_EQ(nameless.status, 201) << nameless.describe();
  const std::string nameless_id = str(nameless.json(), "_id");
  const std::string gone = create_user(admin(), "SALES", "Gone");
  const std::string away = create_user(admin(), "PSV", "Away");
  ASSERT_EQ(admin().post("/api/v1/users/" + away + "/deactivate", json::object{}).status, 200);
  ASSERT_EQ(admin().del("/api/v1/users/" + gone).status, 204);

  HttpClient http = anonymous();
  for (const Login* caller : {&psv, &sales}) {
    auto people = people_seen_by(http, *caller);
    ASSERT_TRUE(people.count(psv.id) && people.count(sales.id)) << caller->email;
    const json::object& me = people[psv.id];
    std::set<std::string> keys;
    for (const auto& kv : me) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, (std::set<std::string>{"_id", "name", "department", "isActive"}));
    EXPECT_EQ(str(me, "name"), "Auth PSV");
    EXPECT_EQ(str(me, "department"), "PSV");
    EXPECT_EQ(at(me, "isActive"), json::value(true));
    EXPECT_EQ(str(people[sales.id], "name"), "Auth SALES");

    ASSERT_TRUE(people.count(nameless_id));
    EXPECT_TRUE(is_null_at(people[nameless_id], "name"));
    EXPECT_EQ(str(people[nameless_id], "department"), "WEST");
    ASSERT_TRUE(people.count(away));
    EXPECT_EQ(str(people[away], "name"), "Away Tester");
    EXPECT_EQ(at(people[away], "isActive"), json::value(false));
    // A deleted user still names the records they wrote, as inactive.
    ASSERT_TRUE(people.count(gone));
    EXPECT_EQ(str(people[gone], "name"), "Gone Tester");
    EXPECT_EQ(at(people[gone], "isActive"), json::value(false));
  }
  // The admins' user list is still theirs alone.
  EXPECT_EQ(http.get("/api/v1/users", bearer(psv.token)).status, 403);
  EXPECT_EQ(http.get("/api/v1/users/" + sales.id, bearer(psv.token)).status, 403);
}

TEST_F(Directory, AnAgentReadsDestinationsAndResolvesAnUnknownLeadButCannotChangeThem) {
  Login agent = create_login(admin(), "PSV");
  // The only POC of the PSV pool, which works unknown leads; an empty list covers every one.
  create_availability(admin(), Poc{agent.id, "PSV", {}, {}, 1, true});
  const std::string name = unique_name("Lakshadweep");
  const std::string id = create_destination(admin(), name, {"lakshadweep"});

  json::object opp =
      ingest(admin(), lead_body("Una Known", next_mobile())).at("opportunity").as_object();
  ASSERT_EQ(str(opp, "status"), "ResolvingUnknown");
  ASSERT_EQ(str(opp, "assignedPsv._id"), agent.id);

  HttpClient http = anonymous();
  const Headers as_agent = bearer(agent.token);
  Response list = http.get("/api/v1/destinations", as_agent);
  ASSERT_EQ(list.status, 200) << list.describe();
  std::string listed;
  const json::value destinations = list.json();
  for (const auto& d : at(destinations, "items").as_array())
    if (str(d, "_id") == id) listed = str(d, "name");
  EXPECT_EQ(listed, name);
  Response one = http.get("/api/v1/destinations/" + id, as_agent);
  ASSERT_EQ(one.status, 200) << one.describe();
  EXPECT_EQ(str(one.json(), "name"), name);

  // The agent picks it from the list to resolve the lead.
  Response moved =
      http.post("/api/v1/opportunities/" + str(opp, "_id") + "/transitions",
                json::object{{"to", "UnknownResolved"}, {"destination", id}}, as_agent);
  ASSERT_EQ(moved.status, 200) << moved.describe();
  EXPECT_EQ(str(moved.json(), "destination._id"), id);
  EXPECT_EQ(str(moved.json(), "qualificationStatus"), "UnknownResolved");

  // Writes stay ADMIN only.
  expect_problem(
      http.post("/api/v1/destinations", json::object{{"name", unique_name("Nope")}}, as_agent),
      403);
  expect_problem(
      http.patch("/api/v1/destinations/" + id, json::object{{"name", "Renamed"}}, as_agent), 403);
  expect_problem(http.del("/api/v1/destinations/" + id, as_agent), 403);
  Response after = admin().get("/api/v1/destinations/" + id);
  EXPECT_EQ(str(after.json(), "name"), name);
}

// A user created without a name is never shown by email on what agents and sales read: the
// name copied onto a POC, a lead's assignee and a reassignment's activity.
TEST_F(Directory, ANamelessUserIsNeverNamedByEmailOnRecords) {
  auto nameless = [&](const std::string& tag) {
    Response r = admin().post("/api/v1/users",
                              json::object{{"email", tag + "." + run_token() + "@directory.test"},
                                           {"department", "PSV"},
                                           {"password", std::string(kTestPassword)}});
    EXPECT_EQ(r.status, 201) << r.describe();
    return str(r.json(), "_id");
  };
  const std::string first = nameless("first"), second = nameless("second");
  json::object poc = create_availability(admin(), Poc{first, "PSV", {}, {}, 1, true});
  EXPECT_EQ(str(poc, "personName").find('@'), std::string::npos) << json::serialize(poc);

  // Routing copies the POC's name; a reassignment names both people in its activity.
  json::object opp =
      ingest(admin(), lead_body("Nameless", next_mobile())).at("opportunity").as_object();
  ASSERT_EQ(str(opp, "status"), "ResolvingUnknown");
  for (const std::string& to : {first, second}) {
    Response moved = admin().post("/api/v1/opportunities/" + str(opp, "_id") + "/reassign",
                                  json::object{{"to", to}});
    ASSERT_EQ(moved.status, 200) << moved.describe();
    EXPECT_EQ(str(moved.json(), "assignedPsv._id"), to);
    EXPECT_EQ(moved.body.find('@'), std::string::npos) << moved.body;
  }
  for (const auto& a : activities_of(admin(), str(opp, "_id")))
    EXPECT_EQ(json::serialize(a).find('@'), std::string::npos) << json::serialize(a);
}

}  // namespace
}  // namespace leadproc::apitest
