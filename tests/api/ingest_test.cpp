// POST /api/v1/leads, the hot path (PRODUCT.md "Lead ingestion"): validation, phone numbers,
// duplicates, idempotency, destination resolution, process choice and round-robin assignment.
#include <algorithm>
#include <cmath>
#include <set>

#include "harness.h"

namespace leadproc::apitest {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The first change of `activity` to `field`, or null.
const json::object* change_of(const json::object& activity, std::string_view field) {
  const auto& changes = at(activity, "changes");
  if (!changes.is_array()) return nullptr;
  for (const auto& c : changes.get_array())
    if (c.is_object() && str(c, "field") == field) return &c.get_object();
  return nullptr;
}

bool has_change_starting_with(const json::object& activity, std::string_view prefix) {
  const auto& changes = at(activity, "changes");
  if (!changes.is_array()) return false;
  for (const auto& c : changes.get_array())
    if (str(c, "field").starts_with(prefix)) return true;
  return false;
}

std::vector<std::string> ids_of(const std::vector<json::object>& items) {
  std::vector<std::string> out;
  for (const auto& o : items) out.push_back(str(o, "_id"));
  return out;
}

// =============================================================================================
// Validation: 422 problem+json naming every bad field, and nothing stored.

class IngestValidation : public SharedServerTest<IngestValidation> {
 protected:
  std::size_t stored() { return list_opportunities(http()).size(); }

  // Posts `raw` and expects a 422 naming at least `fields` with nothing stored.
  void ExpectRejected(const std::string& raw, const std::vector<std::string>& fields) {
    expect_lead_refused(http(), raw, fields);
  }
  void ExpectRejected(const json::object& body, const std::vector<std::string>& fields) {
    expect_lead_refused(http(), body, fields);
  }
};

TEST_F(IngestValidation, AcceptsAMinimalValidLead) {
  // The control for the cases below: the same body shape with valid values is stored.
  const std::size_t before = stored();
  Response r = post_lead(http(), lead_body("Meera Nair", next_mobile()));
  EXPECT_EQ(r.status, 201) << r.describe();
  EXPECT_EQ(stored(), before + 1);
}

TEST_F(IngestValidation, MissingName) {
  json::object body = lead_body("x", next_mobile());
  body.erase("name");
  ExpectRejected(body, {"name"});
}

TEST_F(IngestValidation, BlankName) {
  ExpectRejected(lead_body("", next_mobile()), {"name"});
  ExpectRejected(lead_body("   ", next_mobile()), {"name"});
}

TEST_F(IngestValidation, MissingNumber) {
  json::object body = lead_body("Ravi", "x");
  body.erase("number");
  ExpectRejected(body, {"number"});
  ExpectRejected(lead_body("Ravi", ""), {"number"});
}

TEST_F(IngestValidation, UnparseableNumber) {
  ExpectRejected(lead_body("Ravi", "12"), {"number"});  // parses as +9112: not a possible number
  ExpectRejected(lead_body("Ravi", "call me maybe"), {"number"});
}

TEST_F(IngestValidation, BadEmail) {
  for (const char* email : {"not-an-email", "a@", "@example.com"}) {
    json::object body = lead_body("Ravi", next_mobile());
    body["email"] = email;
    ExpectRejected(body, {"email"});
  }
}

TEST_F(IngestValidation, NonObjectBody) {
  for (const char* raw : {"[]", "[{\"name\":\"A\"}]", "\"lead\"", "42", "null", "true"})
    ExpectRejected(std::string(raw), {});
}

TEST_F(IngestValidation, MalformedJson) {
  for (const char* raw : {"{\"name\": \"A\", ", "{name: 'A'}", "", "{\"name\":\"A\"}}"})
    ExpectRejected(std::string(raw), {});
}

TEST_F(IngestValidation, WrongTypesAreEachNamed) {
  ExpectRejected(json::object{{"name", 123},
                              {"number", true},
                              {"email", 42},
                              {"pax", "many"},
                              {"leadSource", "website"}},
                 {"name", "number", "email", "pax", "leadSource"});
  json::object body = lead_body("Ravi", next_mobile());
  body["leadSource"] = json::object{{"platform", 7}};
  ExpectRejected(body, {"leadSource.platform"});
  // The destination is a name, an id, or an object carrying one of them.
  body = lead_body("Ravi", next_mobile());
  body["destination"] = 42;
  ExpectRejected(body, {"destination"});
  body["destination"] = json::object{{"title", "Goa"}};
  ExpectRejected(body, {"destination"});
  body["destination"] = json::object{{"name", 5}};
  ExpectRejected(body, {"destination.name"});
}

TEST_F(IngestValidation, UnknownPlatform) {
  ExpectRejected(lead_body("Ravi", next_mobile(), "myspace"), {"leadSource.platform"});
}

TEST_F(IngestValidation, EveryBadFieldIsNamedAndThePageIsNotCaptured) {
  const std::string page = "https://www.example.com/" + run_token() + "/rejected-lead-page";
  json::object body = lead_body("", "12", "fax");
  body["email"] = "x@";
  body["page"] = page;
  ExpectRejected(body, {"name", "number", "email", "leadSource.platform"});
  EXPECT_EQ(weburls_by_url(http()).count(page), 0u) << "a rejected lead counted a web URL hit";
}

// =============================================================================================
// Basics: phone numbers, duplicates, idempotency, activities, reads.

class IngestBasics : public SharedServerTest<IngestBasics> {};

TEST_F(IngestBasics, StoresE164AndKeepsTheRawNumber) {
  const std::string national = next_mobile();
  const std::string raw = "+91 " + national.substr(0, 5) + " " + national.substr(5);
  json::object body = lead_body("Asha Rao", raw, "instagram");
  body["email"] = "asha.rao@example.com";
  body["pax"] = 3;
  const json::object a = ingest(http(), body);

  EXPECT_EQ(at(a, "duplicate"), json::value(false));
  const std::string lead_id = str(a, "lead._id");
  const std::string opp_id = str(a, "opportunity._id");
  EXPECT_TRUE(is_object_id(lead_id)) << lead_id;
  EXPECT_TRUE(is_object_id(opp_id)) << opp_id;
  EXPECT_EQ(str(a, "lead.number"), e164_in(national));
  EXPECT_EQ(str(a, "lead.rawNumber"), raw);
  EXPECT_EQ(str(a, "lead.name"), "Asha Rao");
  EXPECT_EQ(str(a, "lead.email"), "asha.rao@example.com");
  EXPECT_EQ(str(a, "lead.leadSource.platform"), "instagram");
  EXPECT_EQ(str(a, "opportunity.number"), e164_in(national));
  EXPECT_EQ(str(a, "opportunity.rawNumber"), raw);
  EXPECT_EQ(str(a, "opportunity.leadId"), lead_id);
  EXPECT_EQ(at(a, "opportunity.isDuplicate"), json::value(false));
  EXPECT_TRUE(is_null_at(a, "opportunity.duplicateOf"));

  Response lead = http().get("/api/v1/leads/" + lead_id);
  ASSERT_EQ(lead.status, 200) << lead.describe();
  json::value l = lead.json();
  EXPECT_EQ(str(l, "_id"), lead_id);
  EXPECT_EQ(str(l, "number"), e164_in(national));
  EXPECT_EQ(str(l, "rawNumber"), raw);
  EXPECT_EQ(str(l, "name"), "Asha Rao");

  json::object o = get_opportunity(http(), opp_id);
  EXPECT_EQ(str(o, "number"), e164_in(national));
  EXPECT_EQ(str(o, "rawNumber"), raw);
  EXPECT_EQ(str(o, "status"), str(a, "opportunity.status"));
  EXPECT_EQ(str(o, "leadId"), lead_id);
}

TEST_F(IngestBasics, SameNumberInThreeFormatsIsOneNumber) {
  const std::string dest = create_destination(http(), unique_name("Andaman"));
  auto body = [&](const char* number) {
    json::object b = lead_body("Kiran", number);
    b["destination"] = dest;
    return b;
  };
  const json::object first = ingest(http(), body("+91 98765 43210"));
  const json::object second = ingest(http(), body("098765-43210"));
  const json::object third = ingest(http(), body("9876543210"));
  const std::string original = str(first, "opportunity._id");

  EXPECT_EQ(at(first, "duplicate"), json::value(false));
  EXPECT_EQ(at(first, "opportunity.isDuplicate"), json::value(false));
  EXPECT_NE(str(first, "opportunity.status"), "Dormant");
  for (const auto* a : {&first, &second, &third}) {
    EXPECT_EQ(str(*a, "opportunity.number"), "+919876543210");
    EXPECT_EQ(str(*a, "lead.number"), "+919876543210");
  }
  EXPECT_EQ(str(second, "opportunity.rawNumber"), "098765-43210");
  EXPECT_EQ(str(third, "opportunity.rawNumber"), "9876543210");
  for (const auto* a : {&second, &third}) {
    EXPECT_EQ(at(*a, "duplicate"), json::value(true));
    EXPECT_EQ(str(*a, "opportunity.status"), "Dormant");
    EXPECT_EQ(at(*a, "opportunity.isDuplicate"), json::value(true));
    EXPECT_EQ(str(*a, "opportunity.duplicateOf"), original);
    EXPECT_NE(str(*a, "opportunity._id"), original);
  }

  const json::object stored = get_opportunity(http(), original);
  EXPECT_EQ(num(stored, "reInquiries"), 2);
  EXPECT_EQ(str(stored, "status"), str(first, "opportunity.status")) << "a re-inquiry moved it";
  EXPECT_EQ(at(stored, "isDuplicate"), json::value(false));

  // The original's timeline: created, then two re-inquiries (newest first).
  const auto acts = activities_of(http(), original);
  ASSERT_GE(acts.size(), 3u);
  const json::object* newest = change_of(acts.front(), "reInquiries");
  ASSERT_NE(newest, nullptr) << "newest activity has no reInquiries change: "
                             << json::serialize(acts.front());
  EXPECT_EQ(num(*newest, "previousValue"), 1);
  EXPECT_EQ(num(*newest, "newValue"), 2);
  EXPECT_FALSE(str(acts.front(), "description").empty());

  EXPECT_FALSE(activities_of(http(), str(second, "opportunity._id")).empty())
      << "the duplicate has no activity";
  // The three are listed; only one is not a duplicate.
  const auto listed = list_opportunities(http(), "destination=" + dest);
  EXPECT_EQ(listed.size(), 3u);
}

TEST_F(IngestBasics, IdempotencyKeyReplaysTheFirstAnswer) {
  const Headers key = {{"Idempotency-Key", unique_name("idem")}};
  const json::object body = lead_body("Farhan", next_mobile(), "paid_ads");
  const std::size_t before = list_opportunities(http()).size();

  Response first = post_lead(http(), body, key);
  ASSERT_EQ(first.status, 201) << first.describe();
  Response replay = post_lead(http(), body, key);
  EXPECT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(replay.json(), first.json()) << "the replay is not the first answer";
  EXPECT_EQ(list_opportunities(http()).size(), before + 1) << "a replay created something";

  json::object changed = body;
  changed["name"] = "Farhan Q";
  Response refused = post_lead(http(), changed, key);
  expect_problem(refused, 422);
  EXPECT_EQ(list_opportunities(http()).size(), before + 1);

  Response again = post_lead(http(), body, key);
  EXPECT_EQ(again.status, 200) << again.describe();
  EXPECT_EQ(again.json(), first.json());

  // Another key is another request: stored, and a duplicate of the first.
  Response other = post_lead(http(), body, {{"Idempotency-Key", unique_name("idem")}});
  ASSERT_EQ(other.status, 201) << other.describe();
  EXPECT_EQ(at(other.json(), "duplicate"), json::value(true));
  EXPECT_EQ(list_opportunities(http()).size(), before + 2);
}

TEST_F(IngestBasics, TraceIdReplaysTheFirstAnswer) {
  const std::string trace = unique_name("trace");
  json::object body = lead_body("Gita", next_mobile(), "whatsapp_bot");
  body["traceID"] = trace;
  const std::size_t before = list_opportunities(http()).size();

  Response first = post_lead(http(), body);
  ASSERT_EQ(first.status, 201) << first.describe();
  EXPECT_EQ(str(first.json(), "lead.traceID"), trace);
  Response replay = post_lead(http(), body);
  EXPECT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(replay.json(), first.json());
  EXPECT_EQ(list_opportunities(http()).size(), before + 1);

  json::object changed = body;
  changed["number"] = next_mobile();
  expect_problem(post_lead(http(), changed), 422);
  EXPECT_EQ(list_opportunities(http()).size(), before + 1);
}

TEST_F(IngestBasics, ActivityRecordsTheNewLead) {
  const json::object a = ingest(http(), lead_body("Hari", next_mobile()));
  const auto acts = activities_of(http(), str(a, "opportunity._id"));
  ASSERT_FALSE(acts.empty());
  const json::object& created = acts.back();  // oldest
  EXPECT_FALSE(str(created, "description").empty()) << json::serialize(created);
  EXPECT_TRUE(at(created, "activityPhase").is_string()) << json::serialize(created);
  // Who: null for the system, or the user whose credentials posted the lead.
  EXPECT_TRUE(is_null_at(created, "activityBy") || is_object_id(str(created, "activityBy")))
      << json::serialize(created);
  EXPECT_TRUE(str(created, "createdAt").ends_with("Z")) << str(created, "createdAt");
  const json::object* status = change_of(created, "status");
  ASSERT_NE(status, nullptr) << "no status change in " << json::serialize(created);
  EXPECT_EQ(str(*status, "newValue"), str(a, "opportunity.status"));
}

// A misspelt filter must not answer as if there were no filter: every list names the parameter
// it does not know, and still names the malformed ones it does.
TEST_F(IngestBasics, AListNamesTheParametersItDoesNotKnow) {
  const std::string opp =
      str(ingest(http(), lead_body("Params", next_mobile())), "opportunity._id");
  for (const auto& [path, expected] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"/api/v1/opportunities?stauts=Open", {"stauts"}},
           {"/api/v1/opportunities?status=Open&limit=0&colour=red", {"colour", "limit"}},
           {"/api/v1/opportunities/" + opp + "/activities?limt=5", {"limt"}},
           {"/api/v1/opportunities/" + opp + "/timeline?cursor=x", {"cursor"}},
           {"/api/v1/opportunities/" + opp + "/notes?page=2", {"page"}},
           {"/api/v1/followups?due=today&ownr=me", {"ownr"}},
           {"/api/v1/reports/sla?since=2026-01-01", {"since"}},
           {"/api/v1/reports/funnel?since=2026-01-01&status=Open", {"since", "status"}},
           {"/api/v1/users?dept=SALES", {"dept"}},
           {"/api/v1/availabilities?process=PSV&person=x", {"person"}},
           {"/api/v1/weburls?consumed=true&sort=hits", {"sort"}},
           {"/api/v1/people?department=PSV", {"department"}},
           {"/api/v1/destinations?name=Goa", {"name"}},
           {"/api/v1/process-destination-maps?process=PSV", {"process"}},
           {"/api/v1/score-configurations?active=true", {"active"}},
           {"/api/v1/api-keys?revoked=false", {"revoked"}}}) {
    SCOPED_TRACE(path);
    Response r = http().get(path);
    expect_problem(r, 422);
    EXPECT_EQ(problem_fields(r), expected) << r.describe();
  }
  // The known ones still work.
  EXPECT_EQ(http().get("/api/v1/opportunities?status=Open&limit=5").status, 200);
  EXPECT_EQ(http().get("/api/v1/opportunities/" + opp + "/timeline?limit=5").status, 200);
}

TEST_F(IngestBasics, UnknownIdsAre404) {
  const std::string unknown = "0123456789abcdef01234567";
  for (const std::string& path :
       {"/api/v1/leads/" + unknown, "/api/v1/opportunities/" + unknown,
        "/api/v1/opportunities/" + unknown + "/activities", std::string("/api/v1/leads/not-an-id"),
        std::string("/api/v1/opportunities/not-an-id")}) {
    SCOPED_TRACE(path);
    expect_problem(http().get(path), 404);
  }
}

TEST_F(IngestBasics, ListingIsNewestFirstPagedAndFiltered) {
  const std::string dest = create_destination(http(), unique_name("Coorg"));
  std::vector<std::string> created;
  for (const char* platform : {"instagram", "website", "instagram", "website", "instagram"}) {
    json::object b = lead_body("Lister", next_mobile(), platform);
    b["destination"] = dest;
    created.push_back(str(ingest(http(), b), "opportunity._id"));
  }
  std::vector<std::string> newest_first(created.rbegin(), created.rend());

  Response page = http().get("/api/v1/opportunities?limit=2&destination=" + dest);
  ASSERT_EQ(page.status, 200) << page.describe();
  json::value p = page.json();
  ASSERT_TRUE(at(p, "items").is_array());
  EXPECT_EQ(at(p, "items").get_array().size(), 2u);
  EXPECT_TRUE(at(p, "nextCursor").is_string()) << page.describe();

  EXPECT_EQ(ids_of(list_opportunities(http(), "destination=" + dest, 2)), newest_first);
  EXPECT_EQ(ids_of(list_opportunities(http(), "destination=" + dest, 500)), newest_first);

  const auto insta = list_opportunities(http(), "destination=" + dest + "&platform=instagram");
  EXPECT_EQ(ids_of(insta), (std::vector<std::string>{created[4], created[2], created[0]}));
  const std::string status = str(get_opportunity(http(), created[0]), "status");
  EXPECT_EQ(list_opportunities(http(), "destination=" + dest + "&status=" + status).size(), 5u);
  EXPECT_EQ(list_opportunities(http(), "destination=" + dest + "&status=Won").size(), 0u);
  EXPECT_EQ(list_opportunities(http(), "destination=" + dest + "&filterationProcess=WEST").size(),
            0u);
  EXPECT_EQ(list_opportunities(http(), "destination=" + dest + "&createdFrom=2000-01-01T00:00:00Z")
                .size(),
            5u);
  EXPECT_EQ(list_opportunities(http(), "destination=" + dest + "&createdFrom=2100-01-01T00:00:00Z")
                .size(),
            0u);
  EXPECT_EQ(
      list_opportunities(http(), "destination=" + dest + "&createdTo=2000-01-01T00:00:00Z").size(),
      0u);
}

// =============================================================================================
// Destination resolution: explicit name/id -> marked web URL -> slug -> unknown.

struct Dest {
  std::string id;
  std::string name;
  std::string slug;
};

class DestinationResolution : public SharedServerTest<DestinationResolution> {
 public:
  static void SetUpTestSuite() {
    SharedServerTest::SetUpTestSuite();
    if (!server_) return;
    try {
      HttpClient http = server_->client();
      const std::pair<Dest*, const char*> all[] = {
          {&bali_, "Bali"}, {&ladakh_, "Ladakh"}, {&kerala_, "Kerala"}, {&sikkim_, "Sikkim"}};
      for (auto [d, base] : all) {
        d->name = unique_name(base);
        d->slug = lower(d->name) + "-tours";
        d->id = create_destination(http, d->name, {d->slug});
      }
      create_map(http, "PSV", {{bali_.id}, {ladakh_.id}, {kerala_.id}, {sikkim_.id}});
    } catch (const std::exception& e) {
      start_error_ = std::string("suite setup: ") + e.what();
      server_.reset();
    }
  }

 protected:
  json::object resolve(json::object body) {
    return ingest(http(), body).at("opportunity").as_object();
  }
  json::object with_page(const std::string& page) {
    json::object b = lead_body("Resolver", next_mobile());
    b["page"] = page;
    return b;
  }
  // Upserts `url` into weburls and marks it with `destination` (a name or id).
  void mark(const std::string& url, const std::string& destination) {
    Response up = http().post("/api/v1/weburls", json::object{{"urls", json::array{url}}});
    ASSERT_TRUE(up.status == 200 || up.status == 201) << up.describe();
    auto all = weburls_by_url(http());
    ASSERT_EQ(all.count(url), 1u) << "upserted URL not listed: " << url;
    const std::string id = str(all[url], "_id");
    Response m = http().post("/api/v1/weburls/" + id + "/destination",
                             json::object{{"destination", destination}});
    ASSERT_EQ(m.status, 200) << m.describe();
  }
  static void expect_destination(const json::object& opp, const Dest& d) {
    EXPECT_EQ(str(opp, "destination._id"), d.id) << json::serialize(at(opp, "destination"));
    EXPECT_EQ(str(opp, "destination.name"), d.name);
    EXPECT_EQ(str(opp, "status"), "InPSV");
    EXPECT_EQ(str(opp, "filterationProcess"), "PSV");
  }
  static void expect_unknown(const json::object& opp) {
    EXPECT_TRUE(is_null_at(opp, "destination")) << json::serialize(at(opp, "destination"));
    EXPECT_EQ(str(opp, "status"), "ResolvingUnknown");
  }

  inline static Dest bali_, ladakh_, kerala_, sikkim_;
};

TEST_F(DestinationResolution, ExplicitNameIsCaseInsensitive) {
  for (const std::string& given : {bali_.name, upper(bali_.name), lower(bali_.name)}) {
    SCOPED_TRACE(given);
    json::object b = lead_body("Explicit", next_mobile());
    b["destination"] = given;
    expect_destination(resolve(b), bali_);
  }
}

TEST_F(DestinationResolution, ExplicitId) {
  json::object b = lead_body("Explicit", next_mobile());
  b["destination"] = ladakh_.id;
  expect_destination(resolve(b), ladakh_);
}

TEST_F(DestinationResolution, NoDestinationIsResolvingUnknown) {
  expect_unknown(resolve(lead_body("Nobody", next_mobile())));
  json::object b = lead_body("Atlantean", next_mobile());
  b["destination"] = unique_name("Atlantis");  // no such destination: still taken, unresolved
  expect_unknown(resolve(b));
}

TEST_F(DestinationResolution, MarkedWebUrlMatchesNormalised) {
  const std::string url = "https://blog.example.com/" + run_token() + "/backwaters-guide";
  ASSERT_NO_FATAL_FAILURE(mark(url, kerala_.name));
  const std::vector<std::string> pages = {
      url,
      "HTTPS://Blog.Example.COM/" + run_token() + "/backwaters-guide/?utm_source=ig#top",
      url + "/",
      "https://BLOG.EXAMPLE.COM/" + run_token() + "/backwaters-guide?x=1",
  };
  for (const auto& page : pages) {
    SCOPED_TRACE(page);
    expect_destination(resolve(with_page(page)), kerala_);
  }
  auto all = weburls_by_url(http());
  ASSERT_EQ(all.count(url), 1u);
  EXPECT_EQ(num(all[url], "hits"), static_cast<std::int64_t>(pages.size()))
      << "every lead from a URL counts a hit";
  EXPECT_EQ(at(all[url], "consumed"), json::value(true));
  for (const auto& [u, w] : all)
    EXPECT_FALSE(u != url && u.find("backwaters-guide") != std::string::npos &&
                 u.find(run_token()) != std::string::npos)
        << "a variant was stored separately: " << u;
}

TEST_F(DestinationResolution, SlugMatchesAWholePathSegment) {
  expect_destination(
      resolve(with_page("https://www.example.com/tours/" + sikkim_.slug + "/itinerary?utm=1")),
      sikkim_);
  expect_unknown(resolve(with_page("https://www.example.com/tours/" + sikkim_.slug + "-tips")));
  expect_unknown(resolve(with_page("https://www.example.com/tours/x" + sikkim_.slug)));
}

TEST_F(DestinationResolution, FirstHitWins) {
  // A marked URL whose path also holds another destination's slug.
  const std::string url = "https://blog.example.com/" + sikkim_.slug + "/" + run_token() + "-order";
  ASSERT_NO_FATAL_FAILURE(mark(url, kerala_.id));
  expect_destination(resolve(with_page(url + "?q=1")), kerala_);  // marked URL beats slug

  json::object b = with_page(url);
  b["destination"] = upper(bali_.name);
  expect_destination(resolve(b), bali_);  // explicit beats marked URL

  json::object c = with_page("https://www.example.com/" + sikkim_.slug);
  c["destination"] = ladakh_.id;
  expect_destination(resolve(c), ladakh_);  // explicit beats slug
}

TEST_F(DestinationResolution, UnmarkedUrlsAreCapturedWithHitCounts) {
  const std::string popular = "https://www.example.com/" + run_token() + "/new-page";
  const std::string rare = "https://www.example.com/" + run_token() + "/rare-page";
  for (const std::string& page : {popular + "?utm_source=a", popular + "/",
                                  "HTTPS://WWW.EXAMPLE.COM/" + run_token() + "/new-page#x", rare}) {
    SCOPED_TRACE(page);
    expect_unknown(resolve(with_page(page)));
  }
  const auto list = list_weburls(http(), false);
  int popular_at = -1, rare_at = -1, popular_entries = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string u = str(list[i], "url");
    if (u == popular) {
      popular_at = static_cast<int>(i);
      ++popular_entries;
      EXPECT_EQ(num(list[i], "hits"), 3);
      EXPECT_EQ(at(list[i], "consumed"), json::value(false));
      EXPECT_TRUE(is_null_at(list[i], "destination"));
    }
    if (u == rare) {
      rare_at = static_cast<int>(i);
      EXPECT_EQ(num(list[i], "hits"), 1);
    }
    EXPECT_FALSE(u.starts_with(popular + "?") || u.starts_with(popular + "/") ||
                 u.starts_with(popular + "#"))
        << "not normalised: " << u;
    if (i > 0) {
      EXPECT_GE(num(list[i - 1], "hits").value_or(-1), num(list[i], "hits").value_or(-1))
          << "not most hits first at " << i;
    }
  }
  EXPECT_EQ(popular_entries, 1);
  ASSERT_GE(popular_at, 0) << "the unmarked URL was not captured";
  ASSERT_GE(rare_at, 0);
  EXPECT_LT(popular_at, rare_at);
}

// =============================================================================================
// Process choice and assignment: a fresh server per test, since round-robin counts depend on
// every POC and lead of the database.

class Routing : public FreshServerTest {
 protected:
  json::object lead_for(const std::string& destination_id, std::string_view platform = "website") {
    json::object b = lead_body("Routed", next_mobile(), platform);
    b["destination"] = destination_id;
    return ingest(http(), b).at("opportunity").as_object();
  }
  // A user of `department` with one availability (`process`) for `destinations`.
  struct Agent {
    std::string user;
    std::string availability;
  };
  Agent agent(std::string_view department, const std::string& process,
              const std::vector<std::string>& destinations, std::optional<int> seq = std::nullopt,
              std::vector<std::string> source = {}, bool available = true,
              std::string first_name = "Agent") {
    Agent a;
    a.user = create_user(http(), department, first_name);
    a.availability =
        str(create_availability(http(), {a.user, process, destinations, source, seq, available}),
            "_id");
    return a;
  }
  json::object availability(const std::string& process, const std::string& id) {
    auto all = availabilities_by_id(http(), process);
    if (!all.count(id)) throw FixtureError("availability " + id + " not listed");
    return all[id];
  }
  Response set_available(const std::string& availability_id, bool available) {
    return http().patch("/api/v1/availabilities/" + availability_id,
                        json::object{{"isAvailable", available}});
  }
};

TEST_F(Routing, ProcessDecidesStatusStageAndAssignee) {
  const std::string d_psv = create_destination(http(), unique_name("Goa"));
  const std::string d_west = create_destination(http(), unique_name("Paris"));
  const std::string d_nf = create_destination(http(), unique_name("Dubai"));
  const std::string d_up = create_destination(http(), unique_name("Antarctica"));
  create_map(http(), "PSV", {{d_psv}});
  create_map(http(), "WEST", {{d_west, 100, true, "West-Sheet-7", "+919800000007"}});
  create_map(http(), "NO-FILTER", {{d_nf}});
  create_map(http(), "UPCOMING", {{d_up}});
  const Agent psv = agent("PSV", "PSV", {d_psv, d_up}, 1, {}, true, "Priya");
  const Agent west = agent("WEST", "West", {d_west}, 1, {}, true, "Walter");
  const Agent sales = agent("SALES", "Sales", {d_nf}, 1, {}, true, "Sam");

  const json::object p = lead_for(d_psv);
  EXPECT_EQ(str(p, "status"), "InPSV");
  EXPECT_EQ(str(p, "filterationProcess"), "PSV");
  EXPECT_EQ(str(p, "filtrationStatus.stage"), "PSVFreshLead");
  EXPECT_EQ(str(p, "assignedPsv._id"), psv.user);
  EXPECT_NE(str(p, "assignedPsv.name").find("Priya"), std::string::npos);
  EXPECT_TRUE(is_null_at(p, "awaitingAssignment"));
  EXPECT_EQ(at(p, "isPushed"), json::value(false));
  EXPECT_EQ(str(p, "destination._id"), d_psv);

  const json::object w = lead_for(d_west);
  EXPECT_EQ(str(w, "status"), "InWEST");
  EXPECT_EQ(str(w, "filterationProcess"), "WEST");
  EXPECT_EQ(str(w, "filtrationStatus.stage"), "WestFreshLead");
  EXPECT_EQ(str(w, "assignedWest._id"), west.user);
  EXPECT_NE(str(w, "assignedWest.name").find("Walter"), std::string::npos);
  EXPECT_EQ(str(w, "assignedWest.sheetName"), "West-Sheet-7");
  EXPECT_EQ(str(w, "assignedWest.wabaNumber"), "+919800000007");
  EXPECT_TRUE(is_null_at(w, "awaitingAssignment"));

  const json::object n = lead_for(d_nf);
  EXPECT_EQ(str(n, "status"), "Open");
  EXPECT_EQ(str(n, "filterationProcess"), "NO-FILTER");
  EXPECT_EQ(at(n, "isPushed"), json::value(true));
  EXPECT_EQ(str(n, "crmStageMeta.stage"), "fresh_lead");
  EXPECT_TRUE(str(n, "crmStageMeta.crmEntryAt").ends_with("Z")) << json::serialize(n);
  EXPECT_EQ(str(n, "opportunityOwner"), sales.user);
  EXPECT_TRUE(is_null_at(n, "awaitingAssignment"));

  const json::object u = lead_for(d_up);
  EXPECT_EQ(str(u, "status"), "UpcomingFreshLead");
  EXPECT_EQ(str(u, "filterationProcess"), "UPCOMING");
  EXPECT_EQ(str(u, "assignedPsv._id"), psv.user) << "PSV works UPCOMING leads";

  for (const auto* o : {&p, &w, &n, &u})
    EXPECT_EQ(str(get_opportunity(http(), str(*o, "_id")), "status"), str(*o, "status"));
  EXPECT_EQ(num(availability("PSV", psv.availability), "leadCount"), 2);
  EXPECT_EQ(num(availability("PSV", psv.availability), "totalCount"), 2);
  EXPECT_EQ(num(availability("West", west.availability), "leadCount"), 1);
  EXPECT_EQ(num(availability("Sales", sales.availability), "leadCount"), 1);
}

TEST_F(Routing, InactiveMapEntryMeansResolvingUnknown) {
  const std::string d = create_destination(http(), unique_name("Shimla"));
  const std::string map = create_map(http(), "PSV", {{d}});
  EXPECT_EQ(str(lead_for(d), "status"), "InPSV");
  Response r = http().patch(
      "/api/v1/process-destination-maps/" + map,
      json::object{{"destinations", json::array{json::object{
                                        {"_id", d}, {"isActive", false}, {"loadShare", 100}}}}});
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::object o = lead_for(d);
  EXPECT_EQ(str(o, "status"), "ResolvingUnknown");
  EXPECT_EQ(str(o, "destination._id"), d);
}

TEST_F(Routing, LoadShareSplitsOneDestinationExactly) {
  const std::string d = create_destination(http(), unique_name("Europe"));
  create_map(http(), "PSV", {{d, 70}});
  create_map(http(), "WEST", {{d, 30, true, "Split-Sheet", "+919800000030"}});
  agent("PSV", "PSV", {d}, 1);
  agent("WEST", "West", {d}, 1);
  int psv = 0, west = 0;
  for (int n = 1; n <= 100; ++n) {
    const std::string status = str(lead_for(d), "status");
    if (status == "InPSV") {
      ++psv;
    } else if (status == "InWEST") {
      ++west;
    } else {
      ADD_FAILURE() << "lead " << n << " has status " << status;
    }
    EXPECT_LE(std::abs(psv - 0.7 * n), 1.0) << "after " << n << " leads: " << psv << " PSV";
  }
  EXPECT_EQ(psv, 70);
  EXPECT_EQ(west, 30);
  EXPECT_EQ(list_opportunities(http(), "destination=" + d + "&status=InWEST").size(), 30u);
}

TEST_F(Routing, RoundRobinGivesEachPocOneInTurn) {
  const std::string d = create_destination(http(), unique_name("Manali"), {}, 1.0);
  create_map(http(), "PSV", {{d}});
  const Agent a = agent("PSV", "PSV", {d}, 1);
  const Agent b = agent("PSV", "PSV", {d}, 2);
  const Agent c = agent("PSV", "PSV", {d}, 3);
  std::vector<std::string> got;
  for (int i = 0; i < 9; ++i) got.push_back(str(lead_for(d), "assignedPsv._id"));
  EXPECT_EQ(got, (std::vector<std::string>{a.user, b.user, c.user, a.user, b.user, c.user, a.user,
                                           b.user, c.user}));
  for (const auto* x : {&a, &b, &c}) {
    const json::object av = availability("PSV", x->availability);
    EXPECT_EQ(num(av, "leadCount"), 3);
    EXPECT_EQ(num(av, "totalCount"), 3);
    const auto mine = list_opportunities(http(), "assignee=" + x->user);
    EXPECT_EQ(mine.size(), 3u);
    for (const auto& o : mine) EXPECT_EQ(str(o, "assignedPsv._id"), x->user);
  }
}

TEST_F(Routing, SourceSpecificPocsGetTheirPlatform) {
  const std::string d = create_destination(http(), unique_name("Kashmir"));
  const std::string d_only_insta = create_destination(http(), unique_name("Leh"));
  create_map(http(), "PSV", {{d}, {d_only_insta}});
  const Agent insta = agent("PSV", "PSV", {d}, 1, {"instagram"});
  const Agent g1 = agent("PSV", "PSV", {d}, 2);
  const Agent g2 = agent("PSV", "PSV", {d}, 3);
  const Agent lone = agent("PSV", "PSV", {d_only_insta}, 1, {"instagram"});

  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(str(lead_for(d, "instagram"), "assignedPsv._id"), insta.user) << "lead " << i;
  std::vector<std::string> general;
  for (const char* platform : {"website", "paid_ads", "website", "dc"})
    general.push_back(str(lead_for(d, platform), "assignedPsv._id"));
  EXPECT_EQ(general, (std::vector<std::string>{g1.user, g2.user, g1.user, g2.user}));
  EXPECT_EQ(num(availability("PSV", insta.availability), "leadCount"), 4);

  // No POC for the platform and no generalist: any POC of the pool.
  EXPECT_EQ(str(lead_for(d_only_insta, "website"), "assignedPsv._id"), lone.user);
}

TEST_F(Routing, PreferenceKeepsStreaksOfRoundOneOverP) {
  const std::string d = create_destination(http(), unique_name("Sikkim"), {}, 0.25);
  create_map(http(), "PSV", {{d}});
  const Agent a = agent("PSV", "PSV", {d}, 1);
  const Agent b = agent("PSV", "PSV", {d}, 2);
  const Agent c = agent("PSV", "PSV", {d}, 3);
  std::vector<std::string> got;
  for (int i = 0; i < 12; ++i) got.push_back(str(lead_for(d), "assignedPsv._id"));
  std::vector<std::string> want;
  for (const auto* x : {&a, &b, &c})
    for (int i = 0; i < 4; ++i) want.push_back(x->user);
  EXPECT_EQ(got, want) << "preference 0.25 gives streaks of 4";
}

TEST_F(Routing, PocEnteringRotationStartsAtThePoolMinimum) {
  const std::string d = create_destination(http(), unique_name("Ooty"));
  create_map(http(), "PSV", {{d}});
  const Agent a = agent("PSV", "PSV", {d}, 1);
  const Agent b = agent("PSV", "PSV", {d}, 2);
  const Agent late = agent("PSV", "PSV", {d}, 3, {}, /*available=*/false);
  for (int i = 0; i < 10; ++i) {
    EXPECT_NE(str(lead_for(d), "assignedPsv._id"), late.user);
  }

  Response r = set_available(late.availability, true);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(num(availability("PSV", late.availability), "leadCount"), 5)
      << "a POC entering rotation starts at the pool's least leadCount";

  std::map<std::string, int> next;
  for (int i = 0; i < 6; ++i) ++next[str(lead_for(d), "assignedPsv._id")];
  EXPECT_EQ(next[a.user], 2);
  EXPECT_EQ(next[b.user], 2);
  EXPECT_EQ(next[late.user], 2) << "no flood of catch-up leads";
}

TEST_F(Routing, LeadWaitsUntilAPocIsCreated) {
  const std::string d = create_destination(http(), unique_name("Munnar"));
  const std::string other = create_destination(http(), unique_name("Kodaikanal"));
  create_map(http(), "PSV", {{d}, {other}});
  const json::object waiting = lead_for(d);
  const json::object elsewhere = lead_for(other);
  const std::string id = str(waiting, "_id");
  EXPECT_EQ(str(waiting, "status"), "InPSV");
  EXPECT_EQ(str(waiting, "awaitingAssignment"), "PSV");
  EXPECT_TRUE(is_null_at(waiting, "assignedPsv"));
  auto unassigned = ids_of(list_opportunities(http(), "unassigned=true"));
  EXPECT_TRUE(contains(unassigned, id));
  EXPECT_TRUE(contains(unassigned, str(elsewhere, "_id")));

  const Agent poc = agent("PSV", "PSV", {d}, 1);
  const json::object now = get_opportunity(http(), id);
  EXPECT_TRUE(is_null_at(now, "awaitingAssignment")) << json::serialize(now);
  EXPECT_EQ(str(now, "assignedPsv._id"), poc.user);
  EXPECT_EQ(str(now, "status"), "InPSV");
  unassigned = ids_of(list_opportunities(http(), "unassigned=true"));
  EXPECT_FALSE(contains(unassigned, id));
  EXPECT_TRUE(contains(unassigned, str(elsewhere, "_id"))) << "the POC does not cover it";
  EXPECT_EQ(num(availability("PSV", poc.availability), "leadCount"), 1);

  const auto acts = activities_of(http(), id);
  ASSERT_GE(acts.size(), 2u);
  EXPECT_TRUE(has_change_starting_with(acts.front(), "assignedPsv"))
      << "no activity records the assignment: " << json::serialize(acts.front());
}

TEST_F(Routing, CrmLeadWaitsForASalesPoc) {
  const std::string d = create_destination(http(), unique_name("Maldives"));
  create_map(http(), "NO-FILTER", {{d}});
  const json::object waiting = lead_for(d);
  EXPECT_EQ(str(waiting, "status"), "Open");
  EXPECT_EQ(at(waiting, "isPushed"), json::value(true));
  EXPECT_EQ(str(waiting, "awaitingAssignment"), "Sales");
  EXPECT_TRUE(is_null_at(waiting, "opportunityOwner"));
  EXPECT_TRUE(contains(ids_of(list_opportunities(http(), "unassigned=true")), str(waiting, "_id")));

  const Agent sales = agent("SALES", "Sales", {d}, 1);
  const json::object now = get_opportunity(http(), str(waiting, "_id"));
  EXPECT_TRUE(is_null_at(now, "awaitingAssignment")) << json::serialize(now);
  EXPECT_EQ(str(now, "opportunityOwner"), sales.user);
  EXPECT_EQ(str(now, "crmStageMeta.stage"), "fresh_lead");
}

TEST_F(Routing, LeadWaitsUntilAPocIsEnabled) {
  const std::string d = create_destination(http(), unique_name("Lyon"));
  create_map(http(), "WEST", {{d, 100, true, "Lyon-Sheet", "+919800000099"}});
  const Agent poc = agent("WEST", "West", {d}, 1, {}, /*available=*/false);
  const json::object waiting = lead_for(d);
  EXPECT_EQ(str(waiting, "status"), "InWEST");
  EXPECT_EQ(str(waiting, "awaitingAssignment"), "West");
  EXPECT_TRUE(is_null_at(waiting, "assignedWest.name"));

  Response r = set_available(poc.availability, true);
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::object now = get_opportunity(http(), str(waiting, "_id"));
  EXPECT_TRUE(is_null_at(now, "awaitingAssignment")) << json::serialize(now);
  EXPECT_EQ(str(now, "assignedWest._id"), poc.user);
  EXPECT_EQ(str(now, "assignedWest.sheetName"), "Lyon-Sheet") << "from the map entry";
  EXPECT_EQ(str(now, "assignedWest.wabaNumber"), "+919800000099");
}

TEST_F(Routing, DisablingTheLastAvailablePocIsRefused) {
  const std::string d = create_destination(http(), unique_name("Rishikesh"));
  create_map(http(), "PSV", {{d}});
  const Agent a = agent("PSV", "PSV", {d}, 1);
  const Agent b = agent("PSV", "PSV", {d}, 2);
  lead_for(d);

  Response first = set_available(a.availability, false);
  ASSERT_EQ(first.status, 200) << first.describe();
  EXPECT_EQ(at(first.json(), "isAvailable"), json::value(false));

  Response last = set_available(b.availability, false);
  expect_problem(last, 409);
  EXPECT_FALSE(str(last.json(), "detail").empty()) << "409 should say why";
  EXPECT_EQ(at(availability("PSV", b.availability), "isAvailable"), json::value(true));
  EXPECT_EQ(str(lead_for(d), "assignedPsv._id"), b.user);
}

}  // namespace
}  // namespace leadproc::apitest
