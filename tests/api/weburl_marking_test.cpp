// Marking a web URL routes its waiting leads as new leads with that destination (issue 16 item 9;
// docs/api-config.md "Web URLs"), and the admin sees beforehand how many will go where.
#include "harness.h"

namespace leadproc::apitest {
namespace {

class WebUrlMarking : public FreshServerTest {};

// A PSV-routed destination with one agent in rotation, and a URL with three waiting leads: two
// new customers and one whose number already has an open lead for the destination.
struct Scene {
  std::string dest, dest_name, agent, original, url_id, url;
  std::vector<std::string> waiting;  // the two new customers' opportunities
  std::string returning;             // the returning customer's
};

Scene make_scene(HttpClient& http) {
  Scene s;
  s.dest_name = unique_name("Spiti");
  s.dest = create_destination(http, s.dest_name);
  create_map(http, "PSV", {{s.dest}});
  s.agent = create_user(http, "PSV", "Tenzin");
  create_availability(http, {s.agent, "PSV", {s.dest}, {}, std::nullopt, true});

  const std::string number = next_mobile();
  json::object known = lead_body("Known Customer", number);
  known["destination"] = s.dest_name;
  s.original = str(ingest(http, known), "opportunity._id");

  s.url = "https://www.example.com/" + run_token() + "/high-passes";
  for (const char* name : {"New One", "New Two"}) {
    json::object b = lead_body(name, next_mobile());
    b["page"] = s.url;
    s.waiting.push_back(str(ingest(http, b), "opportunity._id"));
  }
  json::object again = lead_body("Known Customer", number);
  again["page"] = s.url + "?utm_source=ig";
  s.returning = str(ingest(http, again), "opportunity._id");
  for (const auto& id : {s.waiting[0], s.waiting[1], s.returning})
    EXPECT_EQ(str(get_opportunity(http, id), "status"), "ResolvingUnknown");
  s.url_id = str(weburls_by_url(http)[s.url], "_id");
  return s;
}

// The string at `path`, "" when it is null or absent.
std::string text_at(const json::value& v, std::string_view path) {
  return at(v, path).is_string() ? str(v, path) : "";
}

// The routes of a preview or a mark answer as comparable lines.
std::vector<std::string> routes_of(const json::value& body) {
  std::vector<std::string> out;
  if (!at(body, "routes").is_array()) return {"no routes"};
  for (const auto& r : at(body, "routes").as_array())
    out.push_back(text_at(r, "status") + " " + text_at(r, "process") + " " +
                  text_at(r, "assignee._id") + " " + text_at(r, "duplicateOf") + " x" +
                  std::to_string(num(r, "count").value_or(-1)));
  return out;
}

TEST_F(WebUrlMarking, PreviewSaysWhereTheWaitingLeadsWillGoAndChangesNothing) {
  const Scene s = make_scene(http());
  const std::string preview = "/api/v1/weburls/" + s.url_id + "/destination-preview";
  const auto load_before = num(availabilities_by_id(http(), "PSV")[s.agent], "leadCount");

  Response r = http().get(preview + "?destination=" + s.dest);
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value p = r.json();
  EXPECT_EQ(num(p, "waiting"), 3);
  EXPECT_EQ(routes_of(p), (std::vector<std::string>{"InPSV PSV " + s.agent + "  x2",
                                                    "Dormant   " + s.original + " x1"}));
  EXPECT_EQ(str(p, "url._id"), s.url_id);
  // by name too (case-insensitive), as the mark takes it
  Response by_name = http().get(preview + "?destination=" + s.dest_name);
  ASSERT_EQ(by_name.status, 200) << by_name.describe();
  EXPECT_EQ(num(by_name.json(), "waiting"), 3);

  // Nothing changed: the leads still wait, the URL is unmarked, the agent's turn is not taken.
  for (const auto& id : {s.waiting[0], s.waiting[1], s.returning}) {
    auto o = get_opportunity(http(), id);
    EXPECT_EQ(str(o, "status"), "ResolvingUnknown");
    EXPECT_EQ(num(o, "version"), 1);
  }
  EXPECT_EQ(at(weburls_by_url(http())[s.url], "consumed"), json::value(false));
  EXPECT_EQ(num(availabilities_by_id(http(), "PSV")[s.agent], "leadCount"), load_before);
  EXPECT_EQ(num(get_opportunity(http(), s.original), "reInquiries"), 0);

  // Bad requests name the field.
  for (const std::string& q : {std::string(""), std::string("?destination="),
                               std::string("?destination=Atlantis-nowhere")}) {
    Response bad = http().get(preview + q);
    expect_problem(bad, 422);
    EXPECT_TRUE(contains(problem_fields(bad), "destination")) << q << ": " << bad.describe();
  }
  expect_problem(http().get(preview + "?destination=" + s.dest + "&dryRun=1"), 422);
  expect_problem(
      http().get("/api/v1/weburls/0123456789abcdef01234567/destination-preview?destination=x"),
      404);
}

TEST_F(WebUrlMarking, MarkingRoutesWaitingLeadsAsNewLeadsThroughPsv) {
  const Scene s = make_scene(http());
  Response preview =
      http().get("/api/v1/weburls/" + s.url_id + "/destination-preview?destination=" + s.dest_name);
  ASSERT_EQ(preview.status, 200) << preview.describe();

  Response m = http().post("/api/v1/weburls/" + s.url_id + "/destination",
                           json::object{{"destination", s.dest_name}});
  ASSERT_EQ(m.status, 200) << m.describe();
  const json::value marked = m.json();
  EXPECT_EQ(at(marked, "consumed"), json::value(true));
  EXPECT_EQ(str(marked, "destination._id"), s.dest);
  EXPECT_EQ(at(marked, "waitingLeads"), json::value()) << "the answer is the URL, as read";

  for (const auto& id : s.waiting) {
    SCOPED_TRACE(id);
    auto o = get_opportunity(http(), id);
    // A new lead with that destination: PSV first, by round robin; never straight to sales.
    EXPECT_EQ(str(o, "status"), "InPSV");
    EXPECT_EQ(str(o, "filtrationStatus.stage"), "PSVFreshLead");
    EXPECT_EQ(str(o, "assignedPsv._id"), s.agent);
    EXPECT_TRUE(is_null_at(o, "opportunityOwner"));
    EXPECT_TRUE(is_null_at(o, "crmStageMeta"));
    EXPECT_NE(at(o, "isQualified"), json::value(true));
    const auto acts = activities_of(http(), id);
    ASSERT_FALSE(acts.empty());
    EXPECT_NE(str(acts.front(), "description").find("destination found from the marked URL"),
              std::string::npos)
        << str(acts.front(), "description");
    EXPECT_FALSE(is_null_at(acts.front(), "activityBy")) << "the admin who marked the URL";
  }
  auto dup = get_opportunity(http(), s.returning);
  EXPECT_EQ(str(dup, "status"), "Dormant");
  EXPECT_EQ(str(dup, "duplicateOf"), s.original);
  EXPECT_EQ(num(get_opportunity(http(), s.original), "reInquiries"), 1);
  EXPECT_NE(str(activities_of(http(), s.returning).front(), "description")
                .find("destination found from the marked URL"),
            std::string::npos);

  // What the preview said is what happened (the same agent, the same original), and nothing
  // waits any more.
  EXPECT_EQ(routes_of(preview.json()),
            (std::vector<std::string>{"InPSV PSV " + s.agent + "  x2",
                                      "Dormant   " + s.original + " x1"}));
  Response after =
      http().get("/api/v1/weburls/" + s.url_id + "/destination-preview?destination=" + s.dest);
  ASSERT_EQ(after.status, 200) << after.describe();
  EXPECT_EQ(num(after.json(), "waiting"), 0);
  EXPECT_TRUE(at(after.json(), "routes").as_array().empty());
}

// A destination no process map lists routes a new lead to the PSV desk to be resolved: the
// waiting leads stay ResolvingUnknown, now with the destination, and marking still ends (it
// reads the waiting leads in batches of 200 after the last one read, not from the start again).
TEST_F(WebUrlMarking, LeadsOfAnUnroutedDestinationWaitWithItAndMarkingEnds) {
  const std::string dest_name = unique_name("Unmapped");
  const std::string dest = create_destination(http(), dest_name);
  const std::string agent = create_user(http(), "PSV", "Resolver");
  create_availability(http(), {agent, "PSV", {dest}, {}, std::nullopt, true});
  const std::string url = "https://www.example.com/" + run_token() + "/nowhere-yet";
  std::vector<std::string> ids;
  for (int i = 0; i < 201; ++i) {
    json::object b = lead_body("Waiting " + std::to_string(i), next_mobile());
    b["page"] = url;
    ids.push_back(str(ingest(http(), b), "opportunity._id"));
  }
  const std::string url_id = str(weburls_by_url(http())[url], "_id");
  Response preview =
      http().get("/api/v1/weburls/" + url_id + "/destination-preview?destination=" + dest);
  ASSERT_EQ(preview.status, 200) << preview.describe();
  EXPECT_EQ(num(preview.json(), "waiting"), 201);
  Response m = http().post("/api/v1/weburls/" + url_id + "/destination",
                           json::object{{"destination", dest}});
  ASSERT_EQ(m.status, 200) << m.describe();
  for (const auto& id : {ids.front(), ids.back()}) {
    auto o = get_opportunity(http(), id);
    EXPECT_EQ(str(o, "status"), "ResolvingUnknown");
    EXPECT_EQ(str(o, "destination._id"), dest);
    EXPECT_EQ(num(o, "version"), 2) << "routed once";
  }
}

}  // namespace
}  // namespace leadproc::apitest
