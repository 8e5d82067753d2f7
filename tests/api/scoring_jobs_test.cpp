// Score configurations, opportunity scores, marking a URL resolving waiting leads, and URL
// insight (issue 7; docs/api-scoring-jobs.md, docs/scoring.md). One server for the suite: the
// tests run in order and share the active configuration they set.
#include <chrono>
#include <ctime>

#include "harness.h"

namespace leadproc::apitest {
namespace {

class ScoringApi : public SharedServerTest<ScoringApi> {};

json::object weights(double base) {
  return json::object{{"paidAds", 10 + base},
                      {"websiteOrganic", 8 + base},
                      {"instagram", 5},
                      {"instagramQualified", 12},
                      {"whatsapp", 4},
                      {"whatsappQualified", 11},
                      {"directCall", 15},
                      {"reEnquiries", 3},
                      {"visa", 7},
                      {"flightsBooked", 9},
                      {"exClient", 20},
                      {"hotLead", 25}};
}

double score_of(const json::object& opp) {
  const json::value& v = at(opp, "opportunityScore");
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  return -1;
}

std::string utc_day(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

TEST_F(ScoringApi, ConfigurationsKeepExactlyOneActive) {
  Response bad = http().post("/api/v1/score-configurations", json::object{{"paidAds", "x"}});
  expect_problem(bad, 422);
  EXPECT_TRUE(contains(problem_fields(bad), "paidAds"));
  EXPECT_TRUE(contains(problem_fields(bad), "hotLead"));

  Response a = http().post("/api/v1/score-configurations", weights(100));
  ASSERT_EQ(a.status, 201) << a.describe();
  EXPECT_EQ(at(a.json(), "isActive"), json::value(false));
  json::object active_body = weights(0);
  active_body["isActive"] = true;
  Response b = http().post("/api/v1/score-configurations", active_body);
  ASSERT_EQ(b.status, 201) << b.describe();
  EXPECT_EQ(at(b.json(), "isActive"), json::value(true));
  const std::string a_id = str(a.json(), "_id");
  const std::string b_id = str(b.json(), "_id");

  auto actives = [&] {
    std::vector<std::string> out;
    Response l = http().get("/api/v1/score-configurations");
    EXPECT_EQ(l.status, 200) << l.describe();
    const json::value body = l.json();  // keep the parsed answer alive while iterating
    for (const auto& c : at(body, "items").as_array())
      if (at(c, "isActive") == json::value(true)) out.push_back(str(c, "_id"));
    return out;
  };
  EXPECT_EQ(actives(), std::vector<std::string>{b_id});
  Response act = http().post("/api/v1/score-configurations/" + a_id + "/activate", json::object{});
  ASSERT_EQ(act.status, 200) << act.describe();
  EXPECT_EQ(actives(), std::vector<std::string>{a_id});
  // Leads score with the newly active weights at once (the cache follows the change).
  EXPECT_EQ(
      score_of(at(ingest(http(), lead_body("Cache", next_mobile())), "opportunity").as_object()),
      108);
  ASSERT_EQ(
      http().post("/api/v1/score-configurations/" + b_id + "/activate", json::object{}).status,
      200);
  EXPECT_EQ(actives(), std::vector<std::string>{b_id});

  expect_problem(http().get("/api/v1/score-configurations/0123456789abcdef01234567"), 404);
  expect_problem(
      http().post("/api/v1/score-configurations/0123456789abcdef01234567/activate", json::object{}),
      404);
  Response got = http().get("/api/v1/score-configurations/" + b_id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(num(got.json(), "directCall"), 15);
}

TEST_F(ScoringApi, ScoreFollowsPlatformTagsAndReInquiries) {
  // Configuration b (weights(0)) is active from the previous test.
  const std::pair<const char*, double> cases[] = {
      {"website", 8}, {"paid_ads", 10}, {"instagram", 5}, {"whatsapp_bot", 4}, {"dc", 15}};
  for (const auto& [platform, expected] : cases) {
    SCOPED_TRACE(platform);
    auto r = ingest(http(), lead_body("Scored", next_mobile(), platform));
    EXPECT_EQ(score_of(at(r, "opportunity").as_object()), expected);
  }

  const std::string number = next_mobile();
  auto first = ingest(http(), lead_body("Original", number));
  const std::string id = str(first, "opportunity._id");
  EXPECT_EQ(score_of(get_opportunity(http(), id)), 8);
  ingest(http(), lead_body("Again", number));  // a re-inquiry of the original
  EXPECT_EQ(score_of(get_opportunity(http(), id)), 8 + 3);

  Response p = http().patch("/api/v1/opportunities/" + id,
                            json::object{{"tags", json::array{"visa", "exClient"}}});
  ASSERT_EQ(p.status, 200) << p.describe();
  EXPECT_EQ(score_of(get_opportunity(http(), id)), 8 + 3 + 7 + 20);
  bool recorded = false;
  for (const auto& a : activities_of(http(), id))
    for (const auto& c : at(a, "changes").as_array())
      if (str(c, "field") == "opportunityScore") recorded = true;
  EXPECT_TRUE(recorded) << "the score change is in an activity";

  // sort=score: highest first, then by id.
  Response l = http().get("/api/v1/opportunities?sort=score&limit=3");
  ASSERT_EQ(l.status, 200) << l.describe();
  const json::value list_body = l.json();
  const auto& items = at(list_body, "items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_GE(score_of(items[0].as_object()), 38);
  double previous = 1e18;
  for (const auto& o : items) {
    EXPECT_LE(score_of(o.as_object()), previous);
    previous = score_of(o.as_object());
  }
  // The cursor continues in score order.
  Response next =
      http().get("/api/v1/opportunities?sort=score&limit=3&cursor=" + str(items.back(), "_id"));
  ASSERT_EQ(next.status, 200) << next.describe();
  const json::value next_body = next.json();
  for (const auto& o : at(next_body, "items").as_array())
    EXPECT_LE(score_of(o.as_object()), previous);
  expect_problem(http().get("/api/v1/opportunities?sort=bogus"), 422);
}

TEST_F(ScoringApi, MarkingUrlResolvesWaitingLeads) {
  const std::string dest_name = unique_name("Meghalaya");
  const std::string dest = create_destination(http(), dest_name);
  create_map(http(), "PSV", {{dest}});
  const std::string agent = create_user(http(), "PSV", "Resolver");
  create_availability(http(), {agent, "PSV", {dest}, {}, std::nullopt, true});

  const std::string page = "https://www.example.com/" + run_token() + "/living-root-bridges";
  json::object b1 = lead_body("Waiting One", next_mobile());
  b1["page"] = page;
  json::object b2 = lead_body("Waiting Two", next_mobile());
  b2["page"] = page + "?utm_source=fb";
  const std::string id1 = str(ingest(http(), b1), "opportunity._id");
  const std::string id2 = str(ingest(http(), b2), "opportunity._id");
  EXPECT_EQ(str(get_opportunity(http(), id1), "status"), "ResolvingUnknown");

  auto all = weburls_by_url(http());
  ASSERT_EQ(all.count(page), 1u);
  const std::string url_id = str(all[page], "_id");
  EXPECT_EQ(num(all[page], "hits"), 2);

  // URL insight: unmarked, by hits, with the last-hit time; hits per day.
  const auto now = std::chrono::system_clock::now();
  const std::string from = utc_day(now - std::chrono::hours(24));
  const std::string to = utc_day(now + std::chrono::hours(24));
  Response ranged = http().get("/api/v1/weburls?consumed=false&from=" + from + "&to=" + to);
  ASSERT_EQ(ranged.status, 200) << ranged.describe();
  bool listed = false;
  const json::value ranged_body = ranged.json();
  for (const auto& w : at(ranged_body, "items").as_array()) {
    if (str(w, "url") != page) continue;
    listed = true;
    EXPECT_EQ(num(w, "rangeHits"), 2);
    EXPECT_FALSE(is_null_at(w, "lastHitAt"));
  }
  EXPECT_TRUE(listed);
  Response hits = http().get("/api/v1/weburls/" + url_id + "/hits?from=" + from + "&to=" + to);
  ASSERT_EQ(hits.status, 200) << hits.describe();
  EXPECT_EQ(num(hits.json(), "total"), 2);
  expect_problem(http().get("/api/v1/weburls/" + url_id + "/hits?from=yesterday&to=" + to), 422);

  Response m = http().post("/api/v1/weburls/" + url_id + "/destination",
                           json::object{{"destination", dest_name}});
  ASSERT_EQ(m.status, 200) << m.describe();
  for (const auto& id : {id1, id2}) {
    SCOPED_TRACE(id);
    auto o = get_opportunity(http(), id);
    EXPECT_EQ(str(o, "status"), "InPSV");
    EXPECT_EQ(str(o, "destination._id"), dest);
    EXPECT_EQ(str(o, "assignedPsv._id"), agent);
    bool described = false;
    for (const auto& a : activities_of(http(), id))
      described =
          described || str(a, "description").find("found from the marked URL") != std::string::npos;
    EXPECT_TRUE(described);
  }
  // Future leads from the URL resolve at ingestion.
  json::object b3 = lead_body("Later", next_mobile());
  b3["page"] = page;
  auto later = ingest(http(), b3);
  EXPECT_EQ(str(later, "opportunity.destination._id"), dest);
  EXPECT_EQ(str(later, "opportunity.status"), "InPSV");
}

}  // namespace
}  // namespace leadproc::apitest
