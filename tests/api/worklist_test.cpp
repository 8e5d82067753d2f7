// The work list's API (docs/api.md "Reading", "Saved views"), black-box on both stores: the
// counts of the tabs are the rows of each tab; every sort pages correctly with ties; each filter
// selects exactly its rows; the unassigned filter is an admin's; saved views are each person's.
#include <algorithm>
#include <map>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

class Worklist : public TwoPsvAgentsTest<Worklist> {
 protected:
  // A lead of `platform` to `destination`; its opportunity.
  json::object lead(std::string_view name, const std::string& destination,
                    std::string_view platform) {
    json::object body = lead_body(name, next_mobile(), platform);
    body["destination"] = destination;
    json::object answer = ingest(admin(), body);
    return answer["opportunity"].as_object();
  }
  void move(const std::string& id, json::object body) {
    Response r = admin().post("/api/v1/opportunities/" + id + "/transitions", body);
    ASSERT_EQ(r.status, 200) << r.describe();
  }
  // Every opportunity of the list with `query` ("&k=v..."), page by page of `limit`, as `as`.
  std::vector<json::value> listed(const std::string& query, const Headers& as = {},
                                  int limit = 500) {
    HttpClient anonymous(server_->base_url());
    HttpClient& http = as.empty() ? admin() : anonymous;
    std::vector<json::value> out;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      Response r =
          http.get("/api/v1/opportunities?limit=" + std::to_string(limit) + query + cursor, as);
      EXPECT_EQ(r.status, 200) << r.describe();
      if (r.status != 200) return out;
      const json::value page = r.json();
      for (const auto& o : at(page, "items").as_array()) out.push_back(o);
      if (at(page, "nextCursor").is_null()) return out;
      cursor = "&cursor=" + str(page, "nextCursor");
    }
    ADD_FAILURE() << "the list does not end";
    return out;
  }
  static std::vector<std::string> ids(const std::vector<json::value>& items) {
    std::vector<std::string> out;
    for (const auto& o : items) out.push_back(str(o, "_id"));
    return out;
  }
  // GET /opportunities/counts with `query` as `as`: {status: n}, and the total.
  std::pair<std::map<std::string, std::int64_t>, std::int64_t> counts(const std::string& query,
                                                                      const Headers& as = {}) {
    HttpClient anonymous(server_->base_url());
    Response r =
        (as.empty() ? admin() : anonymous).get("/api/v1/opportunities/counts?" + query, as);
    EXPECT_EQ(r.status, 200) << r.describe();
    std::map<std::string, std::int64_t> by;
    const json::value v = r.json();
    if (at(v, "byStatus").is_object())
      for (const auto& [k, n] : at(v, "byStatus").as_object()) by[std::string(k)] = n.as_int64();
    return {by, num(v, "total").value_or(-1)};
  }
  // The server's now, in milliseconds (the test clock moves it).
  std::int64_t server_now() { return ms_of(advance_clock(admin(), 1s)); }
};

TEST_F(Worklist, CountsAreTheRowsOfEachTab) {
  // Asha's Goa leads (some disqualified), Bela's Bali ones.
  std::vector<std::string> goa;
  for (int i = 0; i < 5; ++i)
    goa.push_back(str(lead("Tab Goa " + std::to_string(i), goa_, "dc"), "_id"));
  for (int i = 0; i < 2; ++i) lead("Tab Bali " + std::to_string(i), bali_, "dc");
  move(goa[0], json::object{{"to", "PSVDisqualified"}, {"reasons", json::array{"junk"}}});
  move(goa[1], json::object{{"to", "PSVDisqualified"}, {"reasons", json::array{"junk"}}});

  for (const Headers& as : {Headers{}, bearer(asha_.token), bearer(bela_.token)}) {
    const auto [by, total] = counts("platform=dc", as);
    std::int64_t sum = 0;
    for (const auto& [status, n] : by) {
      EXPECT_EQ(n, static_cast<std::int64_t>(listed("&platform=dc&status=" + status, as).size()))
          << status;
      sum += n;
    }
    EXPECT_EQ(total, sum);
    EXPECT_EQ(total, static_cast<std::int64_t>(listed("&platform=dc", as).size()));
  }
  const auto [asha, asha_total] = counts("platform=dc", bearer(asha_.token));
  EXPECT_EQ(asha_total, 5);
  EXPECT_EQ(asha.at("Disqualified"), 2);
  EXPECT_EQ(asha.at("InPSV"), 3);
  // The status is not a filter of the counts (each tab has its own), the others are.
  EXPECT_EQ(counts("platform=dc&status=Won").second, 7);
  EXPECT_EQ(counts("platform=dc&destination=" + bali_).second, 2);
  // Somebody else's: nothing.
  EXPECT_EQ(counts("assignee=" + bela_.id, bearer(asha_.token)).second, 0);
  expect_problem(admin().get("/api/v1/opportunities/counts?limit=5"), 422);
}

TEST_F(Worklist, EverySortPagesInItsOrderWithTies) {
  // Referral leads; three share one next follow-up time, one has another, the rest none; every
  // score is the same (a tie broken by the id).
  std::vector<std::string> made;
  for (int i = 0; i < 7; ++i)
    made.push_back(str(lead("Sort " + std::to_string(i), i % 2 ? goa_ : bali_, "referral"), "_id"));
  const std::int64_t now = server_now();
  const std::string later = iso(now + 3 * 3'600'000), sooner = iso(now + 2 * 3'600'000);
  for (int i : {1, 4, 5})
    move(made[i], json::object{{"to", "PSVFollowUp1"}, {"nextFollowUpDate", later}});
  move(made[6], json::object{{"to", "PSVFollowUp1"}, {"nextFollowUpDate", sooner}});

  auto sorted = made;
  std::sort(sorted.begin(), sorted.end());
  auto newest = sorted;
  std::reverse(newest.begin(), newest.end());
  const std::vector<std::string> by_followup{made[6], made[1], made[4], made[5],
                                             made[0], made[2], made[3]};
  // By score: highest first, ties newest first.
  std::vector<json::value> scored = listed("&platform=referral");
  std::stable_sort(scored.begin(), scored.end(), [](const json::value& a, const json::value& b) {
    return at(a, "opportunityScore").to_number<double>() >
           at(b, "opportunityScore").to_number<double>();
  });
  const std::map<std::string, std::vector<std::string>> expected{
      {"newest", newest}, {"oldest", sorted}, {"score", ids(scored)}, {"followup", by_followup}};
  for (const auto& [sort, order] : expected)
    for (int limit : {1, 2, 3})
      EXPECT_EQ(ids(listed("&platform=referral&sort=" + sort, {}, limit)), order)
          << sort << ", pages of " << limit;
  // The agents' lists page the same way.
  std::vector<std::string> ashas;
  for (const auto& id : by_followup)
    if ((std::find(made.begin(), made.end(), id) - made.begin()) % 2 == 1) ashas.push_back(id);
  EXPECT_EQ(ids(listed("&platform=referral&sort=followup", bearer(asha_.token), 1)), ashas);
  Response bad = admin().get("/api/v1/opportunities?sort=age");
  expect_problem(bad, 422);
  EXPECT_TRUE(contains(problem_fields(bad), "sort"));
}

TEST_F(Worklist, FiltersSelectExactlyTheirRows) {
  const std::int64_t start = server_now();
  const auto a = lead("Filter A", goa_, "whatsapp_bot");
  const auto b = lead("Filter B", bali_, "whatsapp_bot");
  advance_clock(admin(), 3600s);
  const auto c = lead("Filter C", goa_, "whatsapp_bot");
  const auto d = lead("Filter D", goa_, "instagram");
  const std::string q = "&createdFrom=" + iso(start);
  EXPECT_EQ(ids(listed(q + "&platform=whatsapp_bot")),
            (std::vector<std::string>{str(c, "_id"), str(b, "_id"), str(a, "_id")}));
  EXPECT_EQ(ids(listed(q + "&destination=" + goa_)),
            (std::vector<std::string>{str(d, "_id"), str(c, "_id"), str(a, "_id")}));
  EXPECT_EQ(ids(listed("&createdFrom=" + iso(start) + "&createdTo=" + iso(start + 1800'000))),
            (std::vector<std::string>{str(b, "_id"), str(a, "_id")}));
  // Overdue: a next follow-up that has passed.
  const std::int64_t now = server_now();
  move(str(a, "_id"),
       json::object{{"to", "PSVFollowUp1"}, {"nextFollowUpDate", iso(now + 60'000)}});
  move(str(c, "_id"),
       json::object{{"to", "PSVFollowUp1"}, {"nextFollowUpDate", iso(now + 7'200'000)}});
  EXPECT_TRUE(listed(q + "&overdue=true").empty());
  advance_clock(admin(), 3600s);
  EXPECT_EQ(ids(listed(q + "&overdue=true")), std::vector<std::string>{str(a, "_id")});
  EXPECT_EQ(ids(listed(q + "&overdue=true", bearer(asha_.token))),
            std::vector<std::string>{str(a, "_id")});
  EXPECT_TRUE(listed(q + "&overdue=true", bearer(bela_.token)).empty());
  EXPECT_EQ(counts("overdue=true&createdFrom=" + iso(start)).second, 1);
}

// Leads waiting for a pool are nobody's: only an admin lists them; anyone else asking is refused
// (403), in the list, its counts and its export alike.
TEST_F(Worklist, TheUnassignedFilterIsAnAdmins) {
  for (const std::string path :
       {"/api/v1/opportunities?unassigned=true", "/api/v1/opportunities/counts?unassigned=true",
        "/api/v1/exports/opportunities.csv?unassigned=true"}) {
    expect_problem(anonymous().get(path, bearer(asha_.token)), 403);
    EXPECT_EQ(admin().get(path).status, 200) << path;
  }
  EXPECT_EQ(anonymous().get("/api/v1/opportunities?unassigned=false", bearer(asha_.token)).status,
            200);
}

TEST_F(Worklist, SavedViewsAreEachPersonsOwn) {
  const Headers asha = bearer(asha_.token), bela = bearer(bela_.token);
  HttpClient http = anonymous();
  Response made = http.post("/api/v1/me/views",
                            json::object{{"name", "Overdue Goa"},
                                         {"query", json::object{{"destination", goa_},
                                                                {"overdue", "true"},
                                                                {"sort", "followup"}}}},
                            asha);
  ASSERT_EQ(made.status, 201) << made.describe();
  const std::string id = str(made.json(), "_id");
  EXPECT_EQ(str(made.json(), "query.sort"), "followup");

  Response mine = http.get("/api/v1/me/views", asha);
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(at(mine.json(), "items").as_array().size(), 1u);
  EXPECT_EQ(str(at(mine.json(), "items").as_array()[0], "name"), "Overdue Goa");
  // Bela sees none of Asha's, and cannot change or delete them.
  EXPECT_TRUE(at(http.get("/api/v1/me/views", bela).json(), "items").as_array().empty());
  expect_problem(http.patch("/api/v1/me/views/" + id, json::object{{"name", "Mine"}}, bela), 404);
  expect_problem(http.del("/api/v1/me/views/" + id, bela), 404);

  // A name once per person; another person may use it.
  expect_problem(http.post("/api/v1/me/views",
                           json::object{{"name", "Overdue Goa"}, {"query", json::object{}}}, asha),
                 409);
  EXPECT_EQ(http.post("/api/v1/me/views",
                      json::object{{"name", "Overdue Goa"}, {"query", json::object{}}}, bela)
                .status,
            201);
  // A query the list would refuse is refused, naming each bad parameter.
  Response bad = http.post(
      "/api/v1/me/views",
      json::object{
          {"name", "Bad"},
          {"query", json::object{{"sort", "age"}, {"limit", "5"}, {"status", json::array{}}}}},
      asha);
  expect_problem(bad, 422);
  for (const char* field : {"query.sort", "query.limit", "query.status"})
    EXPECT_TRUE(contains(problem_fields(bad), field)) << field << ": " << bad.describe();
  expect_problem(
      http.post("/api/v1/me/views", json::object{{"name", " "}, {"query", json::object{}}}, asha),
      422);

  Response renamed = http.patch(
      "/api/v1/me/views/" + id,
      json::object{{"name", "Goa, overdue first"}, {"query", json::object{{"destination", goa_}}}},
      asha);
  ASSERT_EQ(renamed.status, 200) << renamed.describe();
  EXPECT_EQ(str(renamed.json(), "name"), "Goa, overdue first");
  EXPECT_TRUE(at(renamed.json(), "query.overdue").is_null());
  EXPECT_EQ(http.del("/api/v1/me/views/" + id, asha).status, 204);
  EXPECT_TRUE(at(http.get("/api/v1/me/views", asha).json(), "items").as_array().empty());
  expect_problem(http.del("/api/v1/me/views/" + id, asha), 404);
}

}  // namespace
}  // namespace leadproc::apitest
