// The admins' configuration API: users, destinations, process-destination maps, availabilities
// (POCs in rotation) and web URL marking.
#include <algorithm>

#include "harness.h"

namespace leadproc::apitest {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

class ConfigApi : public SharedServerTest<ConfigApi> {
 protected:
  // Expects a 422 naming at least `fields`.
  void ExpectInvalid(const Response& r, const std::vector<std::string>& fields) {
    expect_problem(r, 422);
    const auto named = problem_fields(r);
    for (const auto& f : fields)
      EXPECT_TRUE(contains(named, f)) << "field '" << f << "' not named: " << r.describe();
  }
  // Expects a 422 with a field starting with `prefix` and containing `part`.
  void ExpectInvalidLike(const Response& r, std::string_view prefix, std::string_view part) {
    expect_problem(r, 422);
    const auto named = problem_fields(r);
    EXPECT_TRUE(std::any_of(named.begin(), named.end(),
                            [&](const std::string& f) {
                              return f.starts_with(prefix) && f.find(part) != std::string::npos;
                            }))
        << "no field like '" << prefix << "*" << part << "*': " << r.describe();
  }
};

// users

TEST_F(ConfigApi, CreatesUsers) {
  const std::string email = "nisha." + run_token() + "@example.test";
  Response r = http().post(
      "/api/v1/users",
      json::object{
          {"email", email}, {"firstName", "Nisha"}, {"lastName", "Iyer"}, {"department", "PSV"}});
  ASSERT_EQ(r.status, 201) << r.describe();
  json::value u = r.json();
  EXPECT_TRUE(is_object_id(str(u, "_id"))) << r.describe();
  EXPECT_EQ(str(u, "email"), email);
  EXPECT_EQ(str(u, "firstName"), "Nisha");
  EXPECT_EQ(str(u, "lastName"), "Iyer");
  EXPECT_EQ(str(u, "department"), "PSV");
  EXPECT_TRUE(r.header("content-type").starts_with("application/json")) << r.header("content-type");
  EXPECT_EQ(r.body.find("credentials\":\"$"), std::string::npos) << "a password hash leaked";

  Response again = http().post("/api/v1/users", json::object{{"email", email},
                                                             {"firstName", "Other"},
                                                             {"lastName", "Person"},
                                                             {"department", "SALES"}});
  expect_problem(again, 409);
}

TEST_F(ConfigApi, RejectsInvalidUsers) {
  ExpectInvalid(http().post("/api/v1/users", json::object{}), {"email", "department"});
  ExpectInvalid(http().post("/api/v1/users", json::object{{"email", "nope"},
                                                          {"firstName", "A"},
                                                          {"lastName", "B"},
                                                          {"department", "MARKETING"}}),
                {"email", "department"});
}

// destinations

TEST_F(ConfigApi, CreatesDestinations) {
  const std::string name = unique_name("Hampi");
  Response r = http().post("/api/v1/destinations",
                           json::object{{"name", name},
                                        {"slugs", json::array{"hampi-ruins", "hampi-travel"}},
                                        {"preference", 0.5}});
  ASSERT_EQ(r.status, 201) << r.describe();
  json::value d = r.json();
  EXPECT_TRUE(is_object_id(str(d, "_id")));
  EXPECT_EQ(str(d, "name"), name);
  EXPECT_EQ(at(d, "slugs"), (json::value(json::array{"hampi-ruins", "hampi-travel"})));
  EXPECT_TRUE(at(d, "preference").is_number());
  EXPECT_DOUBLE_EQ(at(d, "preference").to_number<double>(), 0.5);
}

TEST_F(ConfigApi, DuplicateDestinationNameIsAConflictIgnoringCase) {
  const std::string name = unique_name("Gokarna");
  create_destination(http(), name);
  expect_problem(http().post("/api/v1/destinations", json::object{{"name", name}}), 409);
  expect_problem(http().post("/api/v1/destinations", json::object{{"name", upper(name)}}), 409);
}

TEST_F(ConfigApi, DestinationNameIsRequired) {
  ExpectInvalid(http().post("/api/v1/destinations", json::object{{"slugs", json::array{}}}),
                {"name"});
  ExpectInvalid(http().post("/api/v1/destinations", json::object{{"name", "   "}}), {"name"});
}

TEST_F(ConfigApi, PreferenceMustBeBetweenOneTenthAndOne) {
  for (double bad : {0.0, 0.05, 1.01, 1.5, -1.0}) {
    SCOPED_TRACE(bad);
    ExpectInvalid(http().post("/api/v1/destinations",
                              json::object{{"name", unique_name("Pref")}, {"preference", bad}}),
                  {"preference"});
  }
  for (double good : {0.1, 0.25, 1.0}) {
    SCOPED_TRACE(good);
    Response r = http().post("/api/v1/destinations",
                             json::object{{"name", unique_name("Pref")}, {"preference", good}});
    EXPECT_EQ(r.status, 201) << r.describe();
  }
}

// process-destination maps

TEST_F(ConfigApi, CreatesAndUpdatesAProcessMap) {
  const std::string n1 = unique_name("Pondicherry");
  const std::string d1 = create_destination(http(), n1);
  const std::string n2 = unique_name("Mysore");
  const std::string d2 = create_destination(http(), n2);
  Response r = http().post(
      "/api/v1/process-destination-maps",
      json::object{
          {"process", "PSV"},
          {"destinations",
           json::array{json::object{{"name", upper(n1)}, {"isActive", true}, {"loadShare", 60}},
                       json::object{{"_id", d2}, {"isActive", true}, {"loadShare", 40}}}}});
  ASSERT_EQ(r.status, 201) << r.describe();
  json::value m = r.json();
  const std::string id = str(m, "_id");
  EXPECT_TRUE(is_object_id(id));
  EXPECT_EQ(str(m, "process"), "PSV");
  ASSERT_TRUE(at(m, "destinations").is_array());
  const auto& entries = at(m, "destinations").get_array();
  ASSERT_EQ(entries.size(), 2u) << r.describe();
  EXPECT_EQ(str(entries[0], "_id"), d1) << "entry by name resolved to the destination";
  EXPECT_EQ(str(entries[0], "name"), n1);
  EXPECT_EQ(num(entries[0], "loadShare"), 60);
  EXPECT_EQ(at(entries[0], "isActive"), json::value(true));
  EXPECT_EQ(str(entries[1], "_id"), d2);
  EXPECT_EQ(str(entries[1], "name"), n2);
  EXPECT_EQ(num(entries[1], "loadShare"), 40);

  Response patched = http().patch(
      "/api/v1/process-destination-maps/" + id,
      json::object{{"destinations", json::array{json::object{
                                        {"_id", d1}, {"isActive", false}, {"loadShare", 50}}}}});
  ASSERT_EQ(patched.status, 200) << patched.describe();
  json::value p = patched.json();
  EXPECT_EQ(str(p, "_id"), id);
  ASSERT_TRUE(at(p, "destinations").is_array());
  ASSERT_EQ(at(p, "destinations").get_array().size(), 1u) << patched.describe();
  EXPECT_EQ(at(at(p, "destinations").get_array()[0], "isActive"), json::value(false));
  EXPECT_EQ(num(at(p, "destinations").get_array()[0], "loadShare"), 50);

  Response put = http().put(
      "/api/v1/process-destination-maps/" + id,
      json::object{{"process", "PSV"},
                   {"destinations", json::array{json::object{
                                        {"_id", d2}, {"isActive", true}, {"loadShare", 100}}}}});
  ASSERT_EQ(put.status, 200) << put.describe();
  json::value q = put.json();
  ASSERT_TRUE(at(q, "destinations").is_array());
  ASSERT_EQ(at(q, "destinations").get_array().size(), 1u) << put.describe();
  EXPECT_EQ(str(at(q, "destinations").get_array()[0], "_id"), d2);

  expect_problem(http().patch("/api/v1/process-destination-maps/0123456789abcdef01234567",
                              json::object{{"destinations", json::array{}}}),
                 404);
}

TEST_F(ConfigApi, OneMapPerProcess) {
  const std::string d = create_destination(http(), unique_name("Nice"));
  create_map(http(), "WEST", {{d}});
  Response again = http().post(
      "/api/v1/process-destination-maps",
      json::object{{"process", "WEST"},
                   {"destinations", json::array{json::object{
                                        {"_id", d}, {"isActive", true}, {"loadShare", 100}}}}});
  expect_problem(again, 409);
}

TEST_F(ConfigApi, RejectsInvalidMaps) {
  const std::string d = create_destination(http(), unique_name("Tawang"));
  auto map = [&](std::string_view process, json::object entry) {
    return http().post(
        "/api/v1/process-destination-maps",
        json::object{{"process", process}, {"destinations", json::array{std::move(entry)}}});
  };
  ExpectInvalid(map("BOGUS", {{"_id", d}, {"isActive", true}, {"loadShare", 100}}), {"process"});
  ExpectInvalidLike(map("UPCOMING", {{"_id", d}, {"isActive", true}, {"loadShare", 101}}),
                    "destinations", "loadShare");
  ExpectInvalidLike(map("UPCOMING", {{"_id", d}, {"isActive", true}, {"loadShare", -1}}),
                    "destinations", "loadShare");
  ExpectInvalidLike(
      map("UPCOMING", {{"name", unique_name("Nowhere")}, {"isActive", true}, {"loadShare", 100}}),
      "destinations", "");
  // None of those created the UPCOMING map.
  Response ok = map("UPCOMING", {{"_id", d}, {"isActive", true}, {"loadShare", 100}});
  EXPECT_EQ(ok.status, 201) << ok.describe();
}

// availabilities

TEST_F(ConfigApi, CreatesAndListsAvailabilities) {
  const std::string d_name = unique_name("Varkala");
  const std::string d = create_destination(http(), d_name);
  const std::string psv_user = create_user(http(), "PSV", "Pooja");
  const std::string sales_user = create_user(http(), "SALES", "Suresh");
  json::object psv = create_availability(http(), {psv_user, "PSV", {d}, {"instagram"}, 4, true});
  EXPECT_EQ(str(psv, "personId"), psv_user);
  EXPECT_EQ(str(psv, "process"), "PSV");
  EXPECT_EQ(at(psv, "isAvailable"), json::value(true));
  EXPECT_EQ(num(psv, "leadCount"), 0);
  EXPECT_EQ(num(psv, "totalCount"), 0);
  EXPECT_EQ(num(psv, "seq"), 4);
  EXPECT_EQ(at(psv, "source"), json::value(json::array{"instagram"}));
  ASSERT_TRUE(at(psv, "destinations").is_array());
  ASSERT_EQ(at(psv, "destinations").get_array().size(), 1u);
  EXPECT_EQ(str(at(psv, "destinations").get_array()[0], "_id"), d);
  EXPECT_FALSE(str(at(psv, "destinations").get_array()[0], "name").empty());
  json::object sales = create_availability(http(), {sales_user, "Sales", {d}, {}, {}, true});
  EXPECT_EQ(str(sales, "process"), "Sales");

  // A destination may be given by name (any case) instead of _id.
  const std::string named_user = create_user(http(), "PSV", "Naveen");
  Response by_name =
      http().post("/api/v1/availabilities",
                  json::object{{"personId", named_user},
                               {"process", "PSV"},
                               {"source", json::array{}},
                               {"destinations", json::array{json::object{{"name", upper(d_name)}}}},
                               {"isAvailable", true}});
  ASSERT_EQ(by_name.status, 201) << by_name.describe();
  ASSERT_TRUE(at(by_name.json(), "destinations").is_array());
  ASSERT_EQ(at(by_name.json(), "destinations").get_array().size(), 1u);
  EXPECT_EQ(str(at(by_name.json(), "destinations").get_array()[0], "_id"), d);
  EXPECT_EQ(str(at(by_name.json(), "destinations").get_array()[0], "name"), d_name);

  const auto psv_list = availabilities_by_id(http(), "PSV");
  EXPECT_EQ(psv_list.count(str(psv, "_id")), 1u);
  EXPECT_EQ(psv_list.count(str(sales, "_id")), 0u);
  for (const auto& [id, a] : psv_list) EXPECT_EQ(str(a, "process"), "PSV") << id;
  EXPECT_EQ(availabilities_by_id(http(), "Sales").count(str(sales, "_id")), 1u);

  expect_problem(http().patch("/api/v1/availabilities/0123456789abcdef01234567",
                              json::object{{"isAvailable", false}}),
                 404);
}

TEST_F(ConfigApi, DisablingOneOfTwoPocsIsAllowed) {
  const std::string d = create_destination(http(), unique_name("Cannes"));
  const std::string u1 = create_user(http(), "WEST", "Wendy");
  const std::string u2 = create_user(http(), "WEST", "Wade");
  const std::string a1 = str(create_availability(http(), {u1, "West", {d}, {}, 1, true}), "_id");
  create_availability(http(), {u2, "West", {d}, {}, 2, true});
  Response r = http().patch("/api/v1/availabilities/" + a1, json::object{{"isAvailable", false}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(at(r.json(), "isAvailable"), json::value(false));
  EXPECT_EQ(at(availabilities_by_id(http(), "West").at(a1), "isAvailable"), json::value(false));
}

TEST_F(ConfigApi, AvailabilityNeedsAUserOfTheMatchingDepartment) {
  const std::string d = create_destination(http(), unique_name("Alleppey"));
  const std::string sales = create_user(http(), "SALES");
  const std::string psv = create_user(http(), "PSV");
  const std::string west = create_user(http(), "WEST");
  const std::string admin = create_user(http(), "ADMIN");
  auto post = [&](const std::string& person, std::string_view process,
                  json::array source = json::array{}) {
    return http().post("/api/v1/availabilities",
                       json::object{{"personId", person},
                                    {"process", process},
                                    {"source", std::move(source)},
                                    {"destinations", json::array{json::object{{"_id", d}}}},
                                    {"isAvailable", true}});
  };
  ExpectInvalid(post(sales, "PSV"), {"personId"});
  ExpectInvalid(post(psv, "West"), {"personId"});
  ExpectInvalid(post(west, "Sales"), {"personId"});
  ExpectInvalid(post(admin, "PSV"), {"personId"});
  ExpectInvalid(post("0123456789abcdef01234567", "PSV"), {"personId"});
  ExpectInvalid(post(psv, "Marketing"), {"process"});
  ExpectInvalidLike(post(psv, "PSV", json::array{"fax"}), "source", "");
  EXPECT_EQ(post(psv, "PSV").status, 201) << "the control: a PSV user in the PSV process";
}

// web URLs

TEST_F(ConfigApi, WebUrlsBulkUpsertMarkAndUnmark) {
  const std::string d_name = unique_name("Spiti");
  const std::string d = create_destination(http(), d_name);
  const std::string u1 = "https://blog.example.com/" + run_token() + "/spiti-valley-guide";
  const std::string u2 = "https://blog.example.com/" + run_token() + "/spiti-road-trip";

  Response up = http().post("/api/v1/weburls", json::object{{"urls", json::array{u1, u2}}});
  ASSERT_TRUE(up.status == 200 || up.status == 201) << up.describe();
  Response again = http().post("/api/v1/weburls", json::object{{"urls", json::array{u1}}});
  ASSERT_TRUE(again.status == 200 || again.status == 201) << again.describe();

  auto unmarked = list_weburls(http(), false);
  auto count = [](const std::vector<json::object>& list, const std::string& url) {
    return std::count_if(list.begin(), list.end(),
                         [&](const json::object& w) { return str(w, "url") == url; });
  };
  EXPECT_EQ(count(unmarked, u1), 1) << "an upsert duplicated the URL";
  EXPECT_EQ(count(unmarked, u2), 1);
  auto all = weburls_by_url(http());
  ASSERT_EQ(all.count(u1), 1u);
  ASSERT_EQ(all.count(u2), 1u);
  EXPECT_EQ(at(all[u1], "consumed"), json::value(false));
  EXPECT_TRUE(is_null_at(all[u1], "destination"));
  EXPECT_EQ(num(all[u1], "hits"), 0) << "a CMS sync is not a lead hit";
  const std::string id1 = str(all[u1], "_id");
  const std::string id2 = str(all[u2], "_id");

  Response m1 = http().post("/api/v1/weburls/" + id1 + "/destination",
                            json::object{{"destination", upper(d_name)}});
  ASSERT_EQ(m1.status, 200) << m1.describe();
  EXPECT_EQ(at(m1.json(), "consumed"), json::value(true));
  EXPECT_EQ(str(m1.json(), "destination._id"), d);
  EXPECT_EQ(str(m1.json(), "destination.name"), d_name);
  Response m2 =
      http().post("/api/v1/weburls/" + id2 + "/destination", json::object{{"destination", d}});
  ASSERT_EQ(m2.status, 200) << m2.describe();
  EXPECT_EQ(str(m2.json(), "destination._id"), d);

  EXPECT_EQ(count(list_weburls(http(), false), u1), 0) << "a marked URL is off the to-do list";
  EXPECT_EQ(count(list_weburls(http(), true), u1), 1);

  expect_problem(http().post("/api/v1/weburls/" + id1 + "/destination",
                             json::object{{"destination", unique_name("Nowhere")}}),
                 422);
  expect_problem(http().post("/api/v1/weburls/0123456789abcdef01234567/destination",
                             json::object{{"destination", d}}),
                 404);

  Response unmark = http().post("/api/v1/weburls/" + id1 + "/destination",
                                json::object{{"destination", nullptr}});
  ASSERT_EQ(unmark.status, 200) << unmark.describe();
  EXPECT_EQ(at(unmark.json(), "consumed"), json::value(false));
  EXPECT_TRUE(is_null_at(unmark.json(), "destination"));
  EXPECT_EQ(count(list_weburls(http(), false), u1), 1) << "an unmarked URL is back on the list";
}

TEST_F(ConfigApi, WebUrlUpsertRejectsNonUrls) {
  expect_problem(http().post("/api/v1/weburls", json::object{{"urls", json::array{"not a url"}}}),
                 422);
  expect_problem(http().post("/api/v1/weburls", json::object{{"urls", "https://x.example"}}), 422);
}

}  // namespace
}  // namespace leadproc::apitest
