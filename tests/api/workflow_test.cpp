// The workflow API (docs/api-workflow.md) end to end: journeys through the state machine, CRM
// entry, optimistic concurrency, follow-ups and their due lists in the business time zone, notes,
// the timeline, edits, reassignment and the SLA report.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <latch>
#include <limits>
#include <map>
#include <thread>

#include "harness.h"

namespace leadproc::apitest {
namespace {

using Clock = std::chrono::system_clock;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// time

std::int64_t now_ms() {
  return std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
}

constexpr std::int64_t kDay = 24 * 3'600'000LL;

// [start, end) of the calendar day containing `t` at a fixed UTC offset (no DST: Asia/Kolkata
// is +05:30 all year; UTC is 0).
std::pair<std::int64_t, std::int64_t> day_at_offset(std::int64_t t, std::int64_t offset_ms) {
  const std::int64_t local = t + offset_ms;
  const std::int64_t start = local - ((local % kDay) + kDay) % kDay - offset_ms;
  return {start, start + kDay};
}
constexpr std::int64_t kKolkata = (5 * 60 + 30) * 60'000LL;

// requests

Headers if_match(std::int64_t version) {
  return {{"If-Match", "\"" + std::to_string(version) + "\""}};
}

std::string path_of(const std::string& opp, std::string_view tail = "") {
  return "/api/v1/opportunities/" + opp + std::string(tail);
}

Response move(HttpClient& http, const std::string& opp, json::object body,
              const Headers& headers = {}) {
  return http.post(path_of(opp, "/transitions"), body, headers);
}

// Moves `opp` to `to` (with the extra fields of `body`) expecting 200; the opportunity after it.
json::object moved(HttpClient& http, const std::string& opp, std::string_view to,
                   json::object body = {}) {
  body["to"] = to;
  Response r = move(http, opp, body);
  EXPECT_EQ(r.status, 200) << "move to " << to << ": " << r.describe();
  json::value v = r.json();
  EXPECT_EQ(r.header("ETag"), "\"" + std::to_string(num(v, "version").value_or(-1)) + "\"");
  return v.is_object() ? v.get_object() : json::object{};
}

std::vector<std::string> allowed_of(HttpClient& http, const std::string& opp) {
  Response r = http.get(path_of(opp, "/transitions"));
  EXPECT_EQ(r.status, 200) << r.describe();
  std::vector<std::string> out;
  json::value v = r.json();
  if (at(v, "allowed").is_array())
    for (const auto& a : at(v, "allowed").get_array()) out.emplace_back(a.as_string());
  return out;
}

std::vector<std::string> strings_at(const json::value& v, std::string_view path) {
  std::vector<std::string> out;
  if (at(v, path).is_array())
    for (const auto& a : at(v, path).get_array())
      if (a.is_string()) out.emplace_back(a.get_string());
  return out;
}

std::vector<json::object> followups_of(HttpClient& http, const std::string& opp) {
  Response r = http.get(path_of(opp, "/followups"));
  EXPECT_EQ(r.status, 200) << r.describe();
  std::vector<json::object> out;
  json::value v = r.json();
  if (at(v, "items").is_array())
    for (const auto& f : at(v, "items").get_array()) out.push_back(f.as_object());
  return out;
}

// The one active follow-up of `opp` (a failure when there is not exactly one).
json::object active_followup(HttpClient& http, const std::string& opp) {
  std::vector<json::object> active;
  for (auto& f : followups_of(http, opp))
    if (str(f, "status") == "active") active.push_back(std::move(f));
  EXPECT_EQ(active.size(), 1u) << "active follow-ups of " << opp;
  return active.empty() ? json::object{} : active.front();
}

// POST to a follow-up action expecting `status`; the answer's body.
json::object followup_action(HttpClient& http, const std::string& path, const json::object& body,
                             int status = 200, const Headers& headers = {}) {
  Response r = http.post(path, body, headers);
  EXPECT_EQ(r.status, status) << "POST " << path << ": " << r.describe();
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
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

// The caller's user id (the test admin when authentication is on), or "" without it.
std::string my_id(HttpClient& http) {
  Response r = http.get("/api/v1/auth/me");
  if (r.status != 200) return "";
  json::value v = r.json();
  std::string id = str(v, "_id");
  if (!is_object_id(id)) id = str(v, "user._id");
  return is_object_id(id) ? id : "";
}

// the world: one destination per route, one POC per pool

struct World {
  std::string goa, paris, bali, maldives, kerala;  // PSV, WEST, UPCOMING, NO-FILTER, unmapped
  std::string psv, west, sales;                    // the users in rotation
};

// Routes `entry`'s destination to `process`: a new map, or one more entry of the existing one (the
// database may be shared with other suites, and there is one map per process).
void route_to(HttpClient& http, std::string_view process, const MapEntry& entry) {
  Response list = http.get("/api/v1/process-destination-maps");
  if (list.status != 200) throw FixtureError("listing maps: " + list.describe());
  const json::value maps = list.json();
  for (const auto& m : at(maps, "items").as_array()) {
    if (str(m, "process") != process) continue;
    json::array entries;
    for (const auto& e : at(m, "destinations").as_array()) {
      json::object kept = e.as_object();
      kept.erase("counter");
      kept.erase("name");
      entries.push_back(std::move(kept));
    }
    json::object added{{"_id", entry.destination_id},
                       {"isActive", entry.is_active},
                       {"loadShare", entry.load_share}};
    if (entry.sheet_name) added["sheetName"] = *entry.sheet_name;
    entries.push_back(std::move(added));
    Response r = http.patch("/api/v1/process-destination-maps/" + str(m, "_id"),
                            json::object{{"destinations", std::move(entries)}});
    if (r.status != 200)
      throw FixtureError("extending the " + std::string(process) + " map: " + r.describe());
    return;
  }
  create_map(http, process, {entry});
}

World make_world(HttpClient& http) {
  World w;
  w.goa = create_destination(http, unique_name("Goa"));
  w.paris = create_destination(http, unique_name("Paris"));
  w.bali = create_destination(http, unique_name("Bali"));
  w.maldives = create_destination(http, unique_name("Maldives"));
  w.kerala = create_destination(http, unique_name("Kerala"));
  route_to(http, "PSV", {w.goa});
  route_to(http, "WEST", {w.paris, 100, true, std::string("Sheet-P")});
  route_to(http, "UPCOMING", {w.bali});
  route_to(http, "NO-FILTER", {w.maldives});
  w.psv = create_user(http, "PSV", "Pia");
  w.west = create_user(http, "WEST", "Wes");
  w.sales = create_user(http, "SALES", "Sam");
  create_availability(http, {w.psv, "PSV", {w.goa, w.bali}, {}, 1, true});
  create_availability(http, {w.west, "West", {w.paris}, {}, 1, true});
  create_availability(
      http, {w.sales, "Sales", {w.goa, w.paris, w.bali, w.maldives, w.kerala}, {}, 1, true});
  return w;
}

// A new lead for `destination` (an _id, or nullopt for none); its opportunity.
json::object new_lead(HttpClient& http, const std::optional<std::string>& destination,
                      std::optional<std::string> number = std::nullopt, json::object extra = {}) {
  json::object body = lead_body("Asha Menon", number.value_or(next_mobile()));
  if (destination) body["destination"] = *destination;
  for (const auto& kv : extra) body[kv.key()] = kv.value();
  return ingest(http, body).at("opportunity").as_object();
}

// One server and one world for the suite: these tests assert on their own opportunities only.
class Workflow : public SharedServerTest<Workflow> {
 protected:
  void SetUp() override {
    SharedServerTest<Workflow>::SetUp();
    if (HasFatalFailure()) return;
    if (!world_) world_ = make_world(http());
  }
  static const World& world() { return *world_; }
  inline static std::optional<World> world_;
};

// journeys

TEST_F(Workflow, PsvToWon) {
  const World& w = world();
  const std::string me = my_id(http());
  json::object opp = new_lead(http(), w.goa);
  const std::string id = str(opp, "_id");
  ASSERT_EQ(str(opp, "status"), "InPSV");
  EXPECT_EQ(str(opp, "assignedPsv._id"), w.psv);
  EXPECT_EQ(allowed_of(http(), id), (std::vector<std::string>{"PSVFollowUp1", "PSVFutureFollowUp",
                                                              "PSVQualified", "PSVDisqualified"}));

  opp = moved(http(), id, "PSVFollowUp1");
  EXPECT_EQ(str(opp, "filtrationStatus.stage"), "PSVFollowUp1");
  opp = moved(http(), id, "PSVQualified", json::object{{"remarks", "wants a beach villa"}});

  // CRM entry: Open, pushed, fresh_lead, the sales POC, qualification recorded.
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(at(opp, "isPushed"), json::value(true));
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
  EXPECT_EQ(str(opp, "crmStageMeta.subStage"), "FRESH_LEAD");
  EXPECT_EQ(num(opp, "crmStageMeta.followupCount"), 0);
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  EXPECT_EQ(str(opp, "assignedPsv._id"), w.psv) << "the PSV agent stays on record";
  EXPECT_EQ(at(opp, "isQualified"), json::value(true));
  EXPECT_EQ(str(opp, "qualificationStatus"), "PSVQualified");
  if (!me.empty()) {
    EXPECT_EQ(str(opp, "qualifiedBy"), me);
  }
  EXPECT_TRUE(is_null_at(opp, "remarks")) << "a move's comment is not the customer's remarks";
  const std::int64_t entry = ms_of(str(opp, "crmStageMeta.crmEntryAt"));
  ASSERT_GT(entry, 0);

  // The first-contact follow-up, due 24 h after entry, owned by the sales person.
  json::object first = active_followup(http(), id);
  EXPECT_EQ(str(first, "subStage"), "first_contact");
  EXPECT_EQ(str(first, "stage"), "fresh_lead");
  EXPECT_EQ(num(first, "count"), 1);
  EXPECT_EQ(str(first, "owner"), w.sales);
  EXPECT_EQ(ms_of(str(first, "reminderDate")), entry + kDay);
  EXPECT_EQ(ms_of(str(opp, "nextFollowUpDate")), entry + kDay);

  // fresh_lead cannot be won before the first contact.
  Response early = move(http(), id, json::object{{"to", "won"}});
  expect_problem(early, 409);
  EXPECT_FALSE(contains(strings_at(early.json(), "allowed"), "won"));
  EXPECT_TRUE(contains(strings_at(early.json(), "allowed"), "lost"));

  // Completing the first contact moves fresh_lead → followup and counts it.
  json::object done =
      followup_action(http(), "/api/v1/followups/" + str(first, "_id") + "/complete",
                      json::object{{"outcome", "connected"}, {"note", "called"}});
  EXPECT_EQ(str(done, "followup.status"), "completed");
  EXPECT_EQ(str(done, "followup.outcome"), "connected");
  EXPECT_EQ(str(done, "opportunity.crmStageMeta.stage"), "followup");
  EXPECT_EQ(num(done, "opportunity.crmStageMeta.followupCount"), 1);

  moved(http(), id, "HOT_LEAD");
  moved(http(), id, "PAYMENT_AWAITED");
  Response back = move(http(), id, json::object{{"to", "NEGOTIATION"}});  // forward only
  expect_problem(back, 409);
  // Won asks for the booking and its deal value; bad ones are named, every one, and change nothing.
  Response unbooked = move(http(), id, json::object{{"to", "won"}});
  expect_problem(unbooked, 422);
  EXPECT_TRUE(contains(problem_fields(unbooked), "bookingId")) << unbooked.body;
  EXPECT_TRUE(contains(problem_fields(unbooked), "dealValue")) << unbooked.body;
  Response bad_value =
      move(http(), id,
           json::object{{"to", "won"},
                        {"bookingId", " "},
                        {"dealValue", {{"amount", "1,25,000.505"}, {"currency", "rupees"}}}});
  expect_problem(bad_value, 422);
  for (const char* f : {"bookingId", "dealValue.amount", "dealValue.currency"})
    EXPECT_TRUE(contains(problem_fields(bad_value), f)) << f << ": " << bad_value.body;
  Response as_number = move(
      http(), id,
      json::object{{"to", "won"}, {"bookingId", "BK-1"}, {"dealValue", {{"amount", 125000.5}}}});
  expect_problem(as_number, 422);
  EXPECT_TRUE(contains(problem_fields(as_number), "dealValue.amount")) << as_number.body;
  EXPECT_EQ(str(get_opportunity(http(), id), "status"), "Open");
  opp = moved(http(), id, "won",
              json::object{{"bookingId", "BK-2026-0042"},
                           {"dealValue", {{"amount", "125000.5"}, {"currency", "INR"}}}});
  EXPECT_EQ(str(opp, "status"), "Won");
  EXPECT_EQ(str(opp, "bookingId"), "BK-2026-0042");
  EXPECT_EQ(at(opp, "dealValue"),
            json::value(json::object{{"amount", "125000.50"}, {"currency", "INR"}}))
      << "an exact decimal string with the currency's decimals";
  EXPECT_EQ(at(get_opportunity(http(), id), "dealValue"), at(opp, "dealValue"));
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "won");
  EXPECT_EQ(str(opp, "crmStageMeta.subStage"), "PAYMENT_AWAITED");
  EXPECT_TRUE(is_null_at(opp, "nextFollowUpDate"));

  // Closed: no move at all, and the 409 says so with an empty list.
  Response after = move(http(), id, json::object{{"to", "lost"}, {"lostReason", "duplicate"}});
  expect_problem(after, 409);
  ASSERT_TRUE(at(after.json(), "allowed").is_array());
  EXPECT_TRUE(at(after.json(), "allowed").get_array().empty());

  // Every change wrote its activity, newest first, with the actor and the field diffs.
  auto acts = activities_of(http(), id);
  // Capture, 2 PSV moves, first contact, 2 journey moves, won; refused moves wrote nothing.
  ASSERT_EQ(acts.size(), 7u);
  EXPECT_NE(str(acts.front(), "description").find("won"), std::string::npos);
  const json::object* status = change_of(acts.front(), "status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(at(*status, "previousValue"), json::value("Open"));
  EXPECT_EQ(at(*status, "newValue"), json::value("Won"));
  const json::object* deal = change_of(acts.front(), "dealValue");
  ASSERT_NE(deal, nullptr) << "the deal value is in the move's activity";
  EXPECT_TRUE(at(*deal, "previousValue").is_null());
  EXPECT_EQ(str(acts.front(), "activityPhase"), "CRM");
  if (!me.empty()) {
    EXPECT_EQ(str(acts.front(), "activityBy"), me);
  }
  bool saw_entry = false;
  for (const auto& a : acts) {
    const json::object* s = change_of(a, "status");
    if (s && at(*s, "previousValue") == json::value("InPSV") &&
        at(*s, "newValue") == json::value("Open")) {
      saw_entry = true;
      EXPECT_NE(change_of(a, "opportunityOwner"), nullptr);
      EXPECT_NE(change_of(a, "isPushed"), nullptr);
    }
  }
  EXPECT_TRUE(saw_entry) << "the qualification's activity shows InPSV → Open";
}

TEST_F(Workflow, WestToLost) {
  const World& w = world();
  json::object opp = new_lead(http(), w.paris);
  const std::string id = str(opp, "_id");
  ASSERT_EQ(str(opp, "status"), "InWEST");
  EXPECT_EQ(str(opp, "assignedWest._id"), w.west);
  EXPECT_EQ(str(opp, "assignedWest.sheetName"), "Sheet-P");
  moved(http(), id, "WestFollowUp1");
  moved(http(), id, "WestFollowUp2");
  opp = moved(http(), id, "WestQualified");
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(str(opp, "qualificationStatus"), "WestQualified");
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  const std::string first = str(active_followup(http(), id), "_id");

  // lost needs its reason; a detail must fit the reason.
  Response bare = move(http(), id, json::object{{"to", "lost"}});
  expect_problem(bare, 422);
  EXPECT_TRUE(contains(problem_fields(bare), "lostReason"));
  Response wrong = move(
      http(), id,
      json::object{
          {"to", "lost"}, {"lostReason", "plan_dropped"}, {"lostReasonDetail", "number_busy"}});
  expect_problem(wrong, 422);
  EXPECT_TRUE(contains(problem_fields(wrong), "lostReasonDetail"));

  opp =
      moved(http(), id, "lost",
            json::object{{"lostReason", "plan_dropped"}, {"lostReasonDetail", "travel_postponed"}});
  EXPECT_EQ(str(opp, "status"), "Lost");
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "lost");
  EXPECT_EQ(str(opp, "crmStageMeta.rejectionReason"), "plan_dropped");
  EXPECT_EQ(str(opp, "crmStageMeta.notInterstedReasons"), "travel_postponed");
  EXPECT_TRUE(is_null_at(opp, "nextFollowUpDate"));
  // The first contact that never happened is canceled, in the same activity.
  for (const auto& f : followups_of(http(), id))
    if (str(f, "_id") == first) {
      EXPECT_EQ(str(f, "status"), "canceled");
    }
  auto acts = activities_of(http(), id);
  ASSERT_FALSE(acts.empty());
  EXPECT_NE(change_of(acts.front(), "followups." + first + ".status"), nullptr);
}

TEST_F(Workflow, UnknownResolvedToOpen) {
  const World& w = world();
  json::object opp = new_lead(http(), std::nullopt);
  const std::string id = str(opp, "_id");
  ASSERT_EQ(str(opp, "status"), "ResolvingUnknown");

  Response missing = move(http(), id, json::object{{"to", "UnknownResolved"}});
  expect_problem(missing, 422);
  EXPECT_TRUE(contains(problem_fields(missing), "destination"));
  Response unknown =
      move(http(), id, json::object{{"to", "UnknownResolved"}, {"destination", "Atlantis"}});
  expect_problem(unknown, 422);
  EXPECT_TRUE(contains(problem_fields(unknown), "destination"));

  opp = moved(http(), id, "UnknownResolved", json::object{{"destination", w.kerala}});
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(str(opp, "destination._id"), w.kerala);
  EXPECT_EQ(at(opp, "isQualified"), json::value(true));
  EXPECT_EQ(str(opp, "qualificationStatus"), "UnknownResolved");
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
  EXPECT_EQ(str(active_followup(http(), id), "subStage"), "first_contact");
}

TEST_F(Workflow, UpcomingThroughFourFollowUpsToQualified) {
  const World& w = world();
  json::object opp = new_lead(http(), w.bali);
  const std::string id = str(opp, "_id");
  ASSERT_EQ(str(opp, "status"), "UpcomingFreshLead");

  Response skip = move(http(), id, json::object{{"to", "UpcomingFollowUp2"}});
  expect_problem(skip, 409);
  EXPECT_EQ(strings_at(skip.json(), "allowed"), allowed_of(http(), id));
  EXPECT_TRUE(contains(strings_at(skip.json(), "allowed"), "UpcomingFollowUp1"));

  for (const char* step :
       {"UpcomingFollowUp1", "UpcomingFollowUp2", "UpcomingFollowUp3", "UpcomingFollowUp4"}) {
    opp = moved(http(), id, step);
    EXPECT_EQ(str(opp, "status"), step);
  }
  Response fifth = move(http(), id, json::object{{"to", "UpcomingFollowUp5"}});
  expect_problem(fifth, 422);  // not a move at all
  EXPECT_TRUE(contains(problem_fields(fifth), "to"));
  opp = moved(http(), id, "UpcomingQualified");
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(str(opp, "qualificationStatus"), "UpcomingQualified");
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  EXPECT_EQ(num(opp, "version"), 6);  // captured at 1, then 4 steps and the qualification
}

TEST_F(Workflow, DuplicateDormantReactivated) {
  const World& w = world();
  const std::string number = next_mobile();
  json::object original = new_lead(http(), w.goa, number);
  json::object dup = new_lead(http(), w.goa, number);
  const std::string id = str(dup, "_id");
  ASSERT_EQ(str(dup, "status"), "Dormant");
  ASSERT_EQ(at(dup, "isDuplicate"), json::value(true));
  EXPECT_EQ(allowed_of(http(), id), (std::vector<std::string>{"Open"}));

  json::object opp = moved(http(), id, "Open");
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(at(opp, "isPushed"), json::value(true));
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  EXPECT_EQ(str(opp, "qualificationStatus"), "Reactivated");
  EXPECT_EQ(str(opp, "duplicateOf"), str(original, "_id"));
  EXPECT_EQ(str(active_followup(http(), id), "subStage"), "first_contact");
  // The original is untouched by the reactivation.
  EXPECT_EQ(str(get_opportunity(http(), str(original, "_id")), "status"), "InPSV");

  // Open → Dormant keeps the CRM stage and cancels the follow-ups; back to Open returns to it.
  opp = moved(http(), id, "Dormant");
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
  EXPECT_TRUE(is_null_at(opp, "nextFollowUpDate"));
  opp = moved(http(), id, "Open");
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
}

TEST_F(Workflow, NoFilterIngestionEntersCrm) {
  const World& w = world();
  json::object opp = new_lead(http(), w.maldives);
  const std::string id = str(opp, "_id");
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(at(opp, "isPushed"), json::value(true));
  EXPECT_EQ(str(opp, "filterationProcess"), "NO-FILTER");
  EXPECT_EQ(at(opp, "isQualified"), json::value(true));
  EXPECT_EQ(str(opp, "qualificationStatus"), "NO-FILTER");
  EXPECT_EQ(str(opp, "qualifiedBy"), "system");
  EXPECT_EQ(str(opp, "opportunityOwner"), w.sales);
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "fresh_lead");
  const std::int64_t entry = ms_of(str(opp, "crmStageMeta.crmEntryAt"));
  json::object first = active_followup(http(), id);
  EXPECT_EQ(str(first, "subStage"), "first_contact");
  EXPECT_EQ(ms_of(str(first, "reminderDate")), entry + kDay);
  EXPECT_TRUE(is_null_at(first, "createdBy")) << "created by the system";
}

// The pipeline board's totals (GET /opportunities/counts?by=stage): per status, CRM stage and
// sub-stage, exactly the rows of the list with the same filter, following each move.
TEST_F(Workflow, BoardCountsFollowTheCrmStages) {
  const World& w = world();
  const std::string filter = "destination=" + w.maldives;
  // {status/stage/subStage: count} from the counts, and from every row of the list.
  auto text = [](const json::value& v, const char* path) {
    return is_null_at(v, path) ? std::string("-") : str(v, path);
  };
  auto counted = [&] {
    Response r = http().get("/api/v1/opportunities/counts?by=stage&" + filter);
    EXPECT_EQ(r.status, 200) << r.describe();
    std::map<std::string, std::int64_t> out;
    const json::value answer = r.json();
    for (const auto& c : at(answer, "byStage").as_array())
      out[str(c, "status") + "/" + text(c, "stage") + "/" + text(c, "subStage")] = *num(c, "count");
    return out;
  };
  auto listed = [&] {
    Response r = http().get("/api/v1/opportunities?limit=500&" + filter);
    EXPECT_EQ(r.status, 200) << r.describe();
    std::map<std::string, std::int64_t> out;
    const json::value answer = r.json();
    for (const auto& o : at(answer, "items").as_array())
      ++out[str(o, "status") + "/" + text(o, "crmStageMeta.stage") + "/" +
            text(o, "crmStageMeta.subStage")];
    return out;
  };
  const auto before = counted();
  const std::string fresh = str(new_lead(http(), w.maldives), "_id");
  const std::string contacted = str(new_lead(http(), w.maldives), "_id");
  const std::string hot = str(new_lead(http(), w.maldives), "_id");
  for (const auto& id : {contacted, hot})
    followup_action(http(),
                    "/api/v1/followups/" + str(active_followup(http(), id), "_id") + "/complete",
                    json::object{{"outcome", "connected"}});
  moved(http(), hot, "HOT_LEAD");

  const auto after = counted();
  EXPECT_EQ(after, listed());
  auto rise = [&](const std::string& key) {
    const auto was = before.count(key) ? before.at(key) : 0;
    return (after.count(key) ? after.at(key) : 0) - was;
  };
  EXPECT_EQ(rise("Open/fresh_lead/FRESH_LEAD"), 1);
  EXPECT_EQ(rise("Open/followup/HOT_LEAD"), 1);
  std::int64_t followups = 0;  // the first contact's sub-stage is the workflow's to name
  for (const auto& [key, n] : after)
    if (key.rfind("Open/followup/", 0) == 0 && key != "Open/followup/HOT_LEAD")
      followups += rise(key);
  EXPECT_EQ(followups, 1);
  expect_problem(http().get("/api/v1/opportunities/counts?by=column"), 422);
}

// errors, preconditions, concurrency

TEST_F(Workflow, RefusedMovesAndBadInput) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.goa), "_id");

  Response forbidden = move(http(), id, json::object{{"to", "WestQualified"}});
  expect_problem(forbidden, 409);
  EXPECT_EQ(strings_at(forbidden.json(), "allowed"), allowed_of(http(), id));
  EXPECT_NE(str(forbidden.json(), "detail").find("PSVQualified"), std::string::npos);

  Response unknown = move(http(), id, json::object{{"to", "Teleported"}});
  expect_problem(unknown, 422);
  EXPECT_TRUE(contains(problem_fields(unknown), "to"));
  Response no_to = move(http(), id, json::object{});
  expect_problem(no_to, 422);
  EXPECT_TRUE(contains(problem_fields(no_to), "to"));
  Response extra =
      move(http(), id, json::object{{"to", "PSVQualified"}, {"reasons", json::array{"junk"}}});
  expect_problem(extra, 422);
  EXPECT_TRUE(contains(problem_fields(extra), "reasons"));
  Response typo = move(http(), id, json::object{{"to", "PSVQualified"}, {"reason", "x"}});
  expect_problem(typo, 422);
  EXPECT_TRUE(contains(problem_fields(typo), "reason"));
  Response past = move(
      http(), id, json::object{{"to", "PSVFutureFollowUp"}, {"nextFollowUpDate", "2020-01-01"}});
  expect_problem(past, 422);
  EXPECT_TRUE(contains(problem_fields(past), "nextFollowUpDate"));
  Response no_reason = move(http(), id, json::object{{"to", "PSVDisqualified"}});
  expect_problem(no_reason, 422);
  EXPECT_TRUE(contains(problem_fields(no_reason), "reasons"));
  Response other =
      move(http(), id, json::object{{"to", "PSVDisqualified"}, {"reasons", json::array{"other"}}});
  expect_problem(other, 422);
  EXPECT_TRUE(contains(problem_fields(other), "remarks"));
  expect_problem(move(http(), "0123456789abcdef01234567", json::object{{"to", "PSVFollowUp1"}}),
                 404);
  expect_problem(move(http(), "not-an-id", json::object{{"to", "PSVFollowUp1"}}), 404);

  // Nothing above changed it.
  EXPECT_EQ(num(get_opportunity(http(), id), "version"), 1);

  json::object opp = moved(http(), id, "PSVDisqualified",
                           json::object{{"reasons", json::array{"junk", "wrong_number", "junk"}}});
  EXPECT_EQ(str(opp, "status"), "Disqualified");
  EXPECT_EQ(strings_at(opp, "filtrationStatus.disqualificationReason"),
            (std::vector<std::string>{"junk", "wrong_number"}));
  EXPECT_EQ(at(opp, "isQualified"), json::value(false));
  EXPECT_TRUE(allowed_of(http(), id).empty());
}

TEST_F(Workflow, StaleIfMatchIs412AndNothingChanges) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.goa), "_id");
  Response got = http().get(path_of(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.header("ETag"), "\"1\"");

  Response first = move(http(), id, json::object{{"to", "PSVFollowUp1"}}, if_match(1));
  ASSERT_EQ(first.status, 200) << first.describe();
  EXPECT_EQ(first.header("ETag"), "\"2\"");
  const std::size_t activities = activities_of(http(), id).size();

  Response stale = move(http(), id, json::object{{"to", "PSVFollowUp2"}}, if_match(1));
  expect_problem(stale, 412);
  Response garbage =
      move(http(), id, json::object{{"to", "PSVFollowUp2"}}, {{"If-Match", "\"abc\""}});
  expect_problem(garbage, 412);
  Response stale_patch = http().patch(path_of(id), json::object{{"name", "Changed"}}, if_match(1));
  expect_problem(stale_patch, 412);
  Response stale_reassign =
      http().post(path_of(id, "/reassign"), json::object{{"to", create_user(http(), "PSV", "Pat")}},
                  if_match(1));
  expect_problem(stale_reassign, 412);

  json::object now = get_opportunity(http(), id);
  EXPECT_EQ(num(now, "version"), 2);
  EXPECT_EQ(str(now, "filtrationStatus.stage"), "PSVFollowUp1");
  EXPECT_EQ(str(now, "name"), "Asha Menon");
  EXPECT_EQ(activities_of(http(), id).size(), activities);

  // The current version, weak or strong, and "*" all match.
  Response weak = move(http(), id, json::object{{"to", "PSVFollowUp2"}}, {{"If-Match", "W/\"2\""}});
  EXPECT_EQ(weak.status, 200) << weak.describe();
  Response any = move(http(), id, json::object{{"to", "PSVFollowUp3"}}, {{"If-Match", "*"}});
  EXPECT_EQ(any.status, 200) << any.describe();
}

TEST_F(Workflow, TwoConcurrentMovesExactlyOneWins) {
  const World& w = world();
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = str(new_lead(http(), w.goa), "_id");
    const std::size_t activities = activities_of(http(), id).size();
    int statuses[2] = {0, 0};
    std::latch start(2);
    std::vector<std::thread> threads;
    const char* targets[2] = {"PSVFollowUp1", "PSVQualified"};
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        HttpClient client = server().client();
        start.arrive_and_wait();
        statuses[t] = move(client, id, json::object{{"to", targets[t]}}, if_match(1)).status;
      });
    }
    for (auto& th : threads) th.join();
    std::vector<int> got{statuses[0], statuses[1]};
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<int>{200, 412})) << "round " << round;
    json::object opp = get_opportunity(http(), id);
    EXPECT_EQ(num(opp, "version"), 2) << "round " << round;
    EXPECT_EQ(activities_of(http(), id).size(), activities + 1) << "round " << round;
  }
}

// follow-ups

TEST_F(Workflow, FollowUpLifecycle) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.maldives), "_id");
  json::object first = active_followup(http(), id);
  const std::string first_id = str(first, "_id");
  const std::string fu = "/api/v1/followups/";

  // One active follow-up at a time.
  Response second_too_early =
      http().post(path_of(id, "/followups"), json::object{{"reminderDate", iso(now_ms() + kDay)}});
  expect_problem(second_too_early, 409);

  // Reschedule: the reminder moves, and the opportunity's nextFollowUpDate with it.
  const std::int64_t later = now_ms() + 2 * kDay;
  json::object r = followup_action(http(), fu + first_id + "/reschedule",
                                   json::object{{"reminderDate", iso(later)}});
  EXPECT_EQ(ms_of(str(r, "followup.reminderDate")), later);
  EXPECT_EQ(num(r, "followup.version"), 2);
  EXPECT_EQ(ms_of(str(r, "opportunity.nextFollowUpDate")), later);
  Response past = http().post(fu + first_id + "/reschedule",
                              json::object{{"reminderDate", iso(now_ms() - 60'000)}});
  expect_problem(past, 422);
  EXPECT_TRUE(contains(problem_fields(past), "reminderDate"));

  // Completion needs a valid outcome; its detail must fit the outcome.
  Response no_outcome = http().post(fu + first_id + "/complete", json::object{});
  expect_problem(no_outcome, 422);
  EXPECT_TRUE(contains(problem_fields(no_outcome), "outcome"));
  Response bad_detail =
      http().post(fu + first_id + "/complete",
                  json::object{{"outcome", "connected"}, {"notInterestedReason", "number_busy"}});
  expect_problem(bad_detail, 422);
  EXPECT_TRUE(contains(problem_fields(bad_detail), "notInterestedReason"));
  Response stale =
      http().post(fu + first_id + "/complete", json::object{{"outcome", "connected"}}, if_match(1));
  expect_problem(stale, 412);

  r = followup_action(http(), fu + first_id + "/complete",
                      json::object{{"outcome", "not_responded"},
                                   {"notInterestedReason", "call_not_answered"},
                                   {"customRemark", "rang twice"}},
                      200, if_match(2));
  EXPECT_EQ(str(r, "followup.status"), "completed");
  EXPECT_EQ(str(r, "followup.notInterestedReason"), "call_not_answered");
  EXPECT_FALSE(is_null_at(r, "followup.completedAt"));
  EXPECT_EQ(str(r, "opportunity.crmStageMeta.stage"), "followup");
  EXPECT_EQ(num(r, "opportunity.crmStageMeta.followupCount"), 1);
  EXPECT_TRUE(is_null_at(r, "opportunity.nextFollowUpDate"));
  expect_problem(http().post(fu + first_id + "/complete", json::object{{"outcome", "connected"}}),
                 409);
  expect_problem(http().post(fu + first_id + "/cancel", json::object{}), 409);

  // The sequence: second, (a canceled one does not count), third, future, future.
  auto create = [&](std::int64_t when) {
    Response c = http().post(path_of(id, "/followups"),
                             json::object{{"reminderDate", iso(when)}, {"note", "call back"}});
    EXPECT_EQ(c.status, 201) << c.describe();
    EXPECT_FALSE(c.header("Location").empty());
    json::value v = c.json();
    return v.is_object() ? v.get_object() : json::object{};
  };
  json::object second = create(now_ms() + 3 * kDay);
  EXPECT_EQ(str(second, "followup.subStage"), "second_followup");
  EXPECT_EQ(num(second, "followup.count"), 2);
  EXPECT_EQ(str(second, "followup.stage"), "followup");
  EXPECT_EQ(str(second, "followup.owner"), w.sales);
  r = followup_action(http(), fu + str(second, "followup._id") + "/cancel",
                      json::object{{"customRemark", "client asked for next week"}});
  EXPECT_EQ(str(r, "followup.status"), "canceled");
  EXPECT_TRUE(is_null_at(r, "opportunity.nextFollowUpDate"));

  second = create(now_ms() + 7 * kDay);
  EXPECT_EQ(str(second, "followup.subStage"), "second_followup");
  EXPECT_EQ(num(second, "followup.count"), 2);
  const std::int64_t third_at = now_ms() + 9 * kDay;
  r = followup_action(http(), fu + str(second, "followup._id") + "/complete",
                      json::object{{"outcome", "connected"},
                                   {"next", json::object{{"reminderDate", iso(third_at)}}}});
  EXPECT_EQ(str(r, "next.subStage"), "third_followup");
  EXPECT_EQ(num(r, "next.count"), 3);
  EXPECT_EQ(num(r, "opportunity.crmStageMeta.followupCount"), 2);
  EXPECT_EQ(ms_of(str(r, "opportunity.nextFollowUpDate")), third_at);
  r = followup_action(http(), fu + str(r, "next._id") + "/complete",
                      json::object{{"outcome", "connected"},
                                   {"next", json::object{{"reminderDate", iso(third_at + kDay)}}}});
  EXPECT_EQ(str(r, "next.subStage"), "future_followup");
  EXPECT_EQ(num(r, "next.count"), 4);
  Response bad_next = http().post(
      fu + str(r, "next._id") + "/complete",
      json::object{{"outcome", "connected"}, {"next", json::object{{"note", "no date"}}}});
  expect_problem(bad_next, 422);
  EXPECT_TRUE(contains(problem_fields(bad_next), "next.reminderDate"));

  // The list: newest first, every status.
  auto all = followups_of(http(), id);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(str(all.back(), "_id"), first_id);
  EXPECT_EQ(str(all.front(), "subStage"), "future_followup");
  Response one = http().get(fu + first_id);
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.header("ETag"), "\"3\"");
  expect_problem(http().get(fu + "0123456789abcdef01234567"), 404);

  // Follow-ups belong to Open opportunities.
  const std::string psv_lead = str(new_lead(http(), w.goa), "_id");
  expect_problem(http().post(path_of(psv_lead, "/followups"),
                             json::object{{"reminderDate", iso(now_ms() + kDay)}}),
                 409);
}

TEST_F(Workflow, ParkingForAFutureFollowUp) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.maldives), "_id");
  const std::string first = str(active_followup(http(), id), "_id");
  const std::int64_t when = now_ms() + 30 * kDay;
  json::object opp = moved(http(), id, "closed_for_future_followup",
                           json::object{{"nextFollowUpDate", iso(when)}});
  EXPECT_EQ(str(opp, "status"), "Open");
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "closed_for_future_followup");
  EXPECT_EQ(ms_of(str(opp, "nextFollowUpDate")), when);
  json::object future = active_followup(http(), id);
  EXPECT_EQ(str(future, "subStage"), "future_followup");
  EXPECT_EQ(ms_of(str(future, "reminderDate")), when);
  for (const auto& f : followups_of(http(), id))
    if (str(f, "_id") == first) {
      EXPECT_EQ(str(f, "status"), "canceled");
    }
  opp = moved(http(), id, "followup");
  EXPECT_EQ(str(opp, "crmStageMeta.stage"), "followup");
}

TEST_F(Workflow, DueListsIncludeCrmAndFiltrationFollowUps) {
  const World& w = world();
  // A CRM follow-up due later today in Kolkata (or tomorrow when today is almost over).
  const std::string crm = str(new_lead(http(), w.maldives), "_id");
  const std::string first = str(active_followup(http(), crm), "_id");
  const std::int64_t now = now_ms();
  const auto [ks, ke] = day_at_offset(now, kKolkata);
  const bool today_possible = ke - now > 10 * 60'000;
  const std::int64_t when = today_possible ? ke - 5 * 60'000 : ke + 60 * 60'000;
  followup_action(http(), "/api/v1/followups/" + first + "/reschedule",
                  json::object{{"reminderDate", iso(when)}});
  // A PSV agent's future follow-up, due in three days.
  const std::string psv = str(new_lead(http(), w.goa), "_id");
  const std::int64_t psv_when = now + 3 * kDay;
  moved(http(), psv, "PSVFutureFollowUp", json::object{{"nextFollowUpDate", iso(psv_when)}});

  auto list = [&](const std::string& query) {
    Response r = http().get("/api/v1/followups?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.describe();
    return r.json();
  };
  auto ids_in = [](const json::value& v) {
    std::vector<std::string> out;
    if (at(v, "items").is_array())
      for (const auto& i : at(v, "items").get_array())
        out.push_back(str(i, "kind") == "filtration" ? "opp:" + str(i, "oppId") : str(i, "_id"));
    return out;
  };

  json::value today = list("due=today");
  EXPECT_EQ(str(today, "timezone"), "Asia/Kolkata");
  EXPECT_EQ(ms_of(str(today, "from")), ks);
  EXPECT_EQ(ms_of(str(today, "to")), ke);
  json::value upcoming = list("due=upcoming");
  EXPECT_EQ(ms_of(str(upcoming, "from")), ke);
  EXPECT_EQ(contains(ids_in(today), first), today_possible);
  EXPECT_EQ(contains(ids_in(upcoming), first), !today_possible);
  EXPECT_TRUE(contains(ids_in(upcoming), "opp:" + psv));
  EXPECT_FALSE(contains(ids_in(today), "opp:" + psv));

  // By owner: the sales person's list has the CRM one, the PSV agent's the PSV one.
  json::value sales_upcoming = list("due=upcoming&owner=" + w.sales);
  json::value psv_upcoming = list("due=upcoming&owner=" + w.psv);
  EXPECT_FALSE(contains(ids_in(sales_upcoming), "opp:" + psv));
  EXPECT_TRUE(contains(ids_in(psv_upcoming), "opp:" + psv));
  for (const auto& i : at(psv_upcoming, "items").get_array()) {
    if (str(i, "oppId") != psv) continue;
    EXPECT_EQ(str(i, "kind"), "filtration");
    EXPECT_EQ(str(i, "owner"), w.psv);
    EXPECT_EQ(str(i, "stage"), "PSVFutureFollowUp");
    EXPECT_EQ(ms_of(str(i, "reminderDate")), psv_when);
    EXPECT_EQ(str(i, "opportunity.status"), "InPSV");
  }
  // Earliest first.
  std::int64_t previous = 0;
  for (const auto& i : at(upcoming, "items").get_array()) {
    const std::int64_t t = ms_of(str(i, "reminderDate"));
    EXPECT_LE(previous, t);
    previous = t;
  }

  // Overdue: active and past its reminder.
  const std::string late = str(new_lead(http(), w.maldives), "_id");
  const std::string late_fu = str(active_followup(http(), late), "_id");
  followup_action(http(), "/api/v1/followups/" + late_fu + "/reschedule",
                  json::object{{"reminderDate", iso(now_ms() + 1500)}});
  advance_clock(http(), std::chrono::seconds(2));  // the server's clock: no waiting
  json::value overdue = list("due=overdue");
  EXPECT_TRUE(contains(ids_in(overdue), late_fu));
  EXPECT_FALSE(contains(ids_in(overdue), first));
  for (const auto& i : at(overdue, "items").get_array())
    EXPECT_EQ(at(i, "overdue"), json::value(true));

  expect_problem(http().get("/api/v1/followups"), 422);
  expect_problem(http().get("/api/v1/followups?due=yesterday"), 422);
  expect_problem(http().get("/api/v1/followups?due=today&owner=xyz"), 422);
}

// The opportunities of PSV/WEST attempts ("kind": "filtration") in a due list, by oppId.
std::vector<std::string> filtration_due(HttpClient& http, const std::string& query) {
  Response r = http.get("/api/v1/followups?" + query);
  EXPECT_EQ(r.status, 200) << query << ": " << r.describe();
  std::vector<std::string> out;
  const json::value v = r.json();
  if (at(v, "items").is_array())
    for (const auto& i : at(v, "items").get_array())
      if (str(i, "kind") == "filtration") out.push_back(str(i, "oppId"));
  return out;
}

// Issue 16 item 8: a PSV/WEST follow-up step schedules the next attempt (the time given, or the
// same time tomorrow), which is in the agent's due list until the next move settles it.
TEST_F(Workflow, FollowUpStepsPutTheNextAttemptInTheAgentsDueList) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.goa), "_id");
  const std::string mine = "owner=" + w.psv;
  // The server's clock (other tests of this server move it): a second on, read back.
  auto server_now = [&] { return ms_of(advance_clock(http(), std::chrono::seconds(1))); };
  constexpr std::int64_t kSlack = 60'000;  // the requests in between

  // The proposal, for the client to prefill: the same time tomorrow.
  std::int64_t before = server_now();
  Response t = http().get(path_of(id, "/transitions"));
  ASSERT_EQ(t.status, 200) << t.describe();
  const std::int64_t proposed = ms_of(str(t.json(), "proposedNextFollowUpDate"));
  EXPECT_GE(proposed, before + kDay);
  EXPECT_LE(proposed, before + kDay + kSlack);

  // No time given: the proposed one.
  before = server_now();
  json::object opp = moved(http(), id, "PSVFollowUp1", json::object{{"remarks", "no answer"}});
  const std::int64_t due = ms_of(str(opp, "nextFollowUpDate"));
  EXPECT_GE(due, before + kDay);
  EXPECT_LE(due, before + kDay + kSlack);
  // The move's activity records it (old -> new), as every changed field.
  EXPECT_NE(change_of(activities_of(http(), id).front(), "nextFollowUpDate"), nullptr);
  EXPECT_TRUE(contains(filtration_due(http(), "due=upcoming&" + mine), id));
  EXPECT_FALSE(contains(filtration_due(http(), "due=overdue&" + mine), id));

  // A bad time is refused, naming the field, and changes nothing.
  const std::int64_t version = num(opp, "version").value_or(-1);
  for (const json::value& bad :
       {json::value(iso(server_now() - 60'000)), json::value("soon"), json::value(42)}) {
    Response r = move(http(), id, json::object{{"to", "PSVFollowUp2"}, {"nextFollowUpDate", bad}});
    expect_problem(r, 422);
    EXPECT_TRUE(contains(problem_fields(r), "nextFollowUpDate")) << r.describe();
  }
  EXPECT_EQ(num(get_opportunity(http(), id), "version"), version);

  // The next step replaces the pending attempt; once its time has passed (the server's clock
  // moved on) it is overdue, and no longer upcoming.
  moved(http(), id, "PSVFollowUp2", json::object{{"nextFollowUpDate", iso(server_now() + 5'000)}});
  advance_clock(http(), std::chrono::seconds(10));
  EXPECT_TRUE(contains(filtration_due(http(), "due=overdue&" + mine), id));
  EXPECT_FALSE(contains(filtration_due(http(), "due=upcoming&" + mine), id));

  // Qualifying settles it: the lead is in the CRM, due for its first contact with sales.
  moved(http(), id, "PSVQualified");
  EXPECT_FALSE(contains(filtration_due(http(), "due=overdue&" + mine), id));
  EXPECT_FALSE(contains(filtration_due(http(), "due=upcoming&" + mine), id));

  // Disqualifying clears it; WEST works the same way.
  const std::string west = str(new_lead(http(), w.paris), "_id");
  moved(http(), west, "WestFollowUp1");
  EXPECT_TRUE(contains(filtration_due(http(), "due=upcoming"), west));
  opp = moved(http(), west, "WestDisqualified", json::object{{"reasons", json::array{"junk"}}});
  EXPECT_TRUE(is_null_at(opp, "nextFollowUpDate"));
  EXPECT_FALSE(contains(filtration_due(http(), "due=upcoming"), west));
}

// "Due today" is the business day: the same reminder is today's in one time zone and upcoming in
// the other. Kolkata's and UTC's days overlap for 18.5 h of 24; a reminder in the future, inside
// one day and outside the other, tells them apart.
TEST(WorkflowTimeZones, DueTodayFollowsTheBusinessTimeZone) {
  struct Zone {
    const char* name;
    std::int64_t offset;
  };
  const Zone zones[] = {{"Asia/Kolkata", kKolkata}, {"UTC", 0}};
  for (const Zone& zone : zones) {
    SCOPED_TRACE(zone.name);
    ServerOptions options;
    options.env = {{"LEADPROC_TIMEZONE", zone.name}};
    TestServer server(options);
    HttpClient http = server.client();
    const World w = make_world(http);
    const std::string opp = str(new_lead(http, w.maldives), "_id");
    const std::string fu = str(active_followup(http, opp), "_id");

    const std::int64_t now = now_ms();
    const auto kolkata = day_at_offset(now, kKolkata);
    const auto utc = day_at_offset(now, 0);
    // The future part of one day that is not in the other: it starts where the earlier-ending
    // day ends.
    const auto& ends_first = kolkata.second < utc.second ? kolkata : utc;
    const auto& ends_last = kolkata.second < utc.second ? utc : kolkata;
    const std::int64_t when = (ends_first.second + ends_last.second) / 2;  // only in ends_last
    ASSERT_GT(when, now + 60'000);
    followup_action(http, "/api/v1/followups/" + fu + "/reschedule",
                    json::object{{"reminderDate", iso(when)}});

    const auto mine = day_at_offset(now, zone.offset);
    const bool today_here = mine.first <= when && when < mine.second;
    EXPECT_EQ(today_here, &ends_last == (zone.offset == 0 ? &utc : &kolkata));
    Response today = http.get("/api/v1/followups?due=today");
    ASSERT_EQ(today.status, 200) << today.describe();
    json::value v = today.json();
    EXPECT_EQ(str(v, "timezone"), zone.name);
    EXPECT_EQ(ms_of(str(v, "from")), mine.first);
    EXPECT_EQ(ms_of(str(v, "to")), mine.second);
    std::vector<std::string> ids;
    for (const auto& i : at(v, "items").get_array()) ids.push_back(str(i, "_id"));
    EXPECT_EQ(contains(ids, fu), today_here);
    Response upcoming = http.get("/api/v1/followups?due=upcoming");
    std::vector<std::string> later;
    const json::value later_list = upcoming.json();
    for (const auto& i : at(later_list, "items").get_array()) later.push_back(str(i, "_id"));
    EXPECT_EQ(contains(later, fu), !today_here);
  }
}

// notes, timeline

TEST_F(Workflow, NotesAndTimeline) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.maldives), "_id");
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "é";  // 2000 characters, 4000 bytes
  Response ok = http().post(path_of(id, "/notes"), json::object{{"note", longest}});
  ASSERT_EQ(ok.status, 201) << ok.describe();
  EXPECT_EQ(str(ok.json(), "note"), longest);
  EXPECT_EQ(str(ok.json(), "oppId"), id);
  const std::string note_id = str(ok.json(), "_id");
  Response too_long = http().post(path_of(id, "/notes"), json::object{{"note", longest + "x"}});
  expect_problem(too_long, 422);
  EXPECT_TRUE(contains(problem_fields(too_long), "note"));
  expect_problem(http().post(path_of(id, "/notes"), json::object{{"note", "   "}}), 422);
  expect_problem(http().post(path_of(id, "/notes"), json::object{}), 422);
  expect_problem(
      http().post(path_of("0123456789abcdef01234567", "/notes"), json::object{{"note", "x"}}), 404);
  std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(http().post(path_of(id, "/notes"), json::object{{"note", "second"}}).status, 201);
  // A note does not change the opportunity's version.
  EXPECT_EQ(num(get_opportunity(http(), id), "version"), 1);

  Response notes = http().get(path_of(id, "/notes"));
  ASSERT_EQ(notes.status, 200);
  const json::value note_list = notes.json();
  ASSERT_EQ(at(note_list, "items").as_array().size(), 2u);
  EXPECT_EQ(str(at(note_list, "items").as_array()[0], "note"), "second");

  // The note's activity records it; there is no way to edit or delete an activity.
  auto acts = activities_of(http(), id);
  ASSERT_FALSE(acts.empty());
  EXPECT_EQ(str(acts.front(), "description"), "note added");
  EXPECT_TRUE(has_change_starting_with(acts.front(), "notes."));
  const std::string act_id = str(acts.front(), "_id");
  for (const char* method : {"PATCH", "PUT", "DELETE"}) {
    Response r = http().request(method, path_of(id, "/activities"), std::string("{}"));
    EXPECT_EQ(r.status, 405) << method;
    Response one = http().request(method, path_of(id, "/activities/" + act_id), std::string("{}"));
    EXPECT_TRUE(one.status == 404 || one.status == 405) << method << " " << one.status;
  }

  // The timeline: activities, notes and follow-ups, newest first.
  moved(http(), id, "HOT_LEAD");
  Response tl = http().get(path_of(id, "/timeline"));
  ASSERT_EQ(tl.status, 200) << tl.describe();
  const json::value timeline = tl.json();
  const auto& items = at(timeline, "items").as_array();
  std::vector<std::string> types;
  std::int64_t previous = std::numeric_limits<std::int64_t>::max();
  for (const auto& item : items) {
    types.push_back(str(item, "type"));
    const std::int64_t t = ms_of(str(item, "at"));
    EXPECT_LE(t, previous) << "newest first";
    previous = t;
  }
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(types.front(), "activity");  // the HOT_LEAD move
  EXPECT_NE(str(items.front(), "item.description").find("HOT_LEAD"), std::string::npos);
  EXPECT_TRUE(contains(types, "note"));
  EXPECT_TRUE(contains(types, "followup"));
  // The oldest entries are the capture and the first contact scheduled in the same instant.
  EXPECT_EQ(ms_of(str(items.back(), "at")), ms_of(str(get_opportunity(http(), id), "createdAt")));
  bool found_note = false;
  for (const auto& item : items)
    if (str(item, "type") == "note" && str(item, "item._id") == note_id) found_note = true;
  EXPECT_TRUE(found_note);
  Response limited = http().get(path_of(id, "/timeline?limit=2"));
  EXPECT_EQ(at(limited.json(), "items").as_array().size(), 2u);
  expect_problem(http().get(path_of("0123456789abcdef01234567", "/timeline")), 404);
}

// a move's comment

// What the customer said stays theirs (PRODUCT.md "Workflow"): a move's `remarks` is the mover's
// comment, kept on the move's activity (and as a note when `asNote` is true), never written over
// the opportunity's `remarks`; only an edit of that field (PATCH) changes it.
TEST_F(Workflow, AMovesCommentNeverOverwritesTheCustomersRemarks) {
  const World& w = world();
  const std::string said = "Wants 12-day Europe in May";
  const std::string id =
      str(new_lead(http(), w.goa, std::nullopt, json::object{{"remarks", said}}), "_id");
  ASSERT_EQ(str(get_opportunity(http(), id), "remarks"), said);

  json::object opp = moved(http(), id, "PSVFollowUp1", json::object{{"remarks", "no answer"}});
  EXPECT_EQ(str(opp, "remarks"), said) << "the move's comment replaced the customer's remarks";
  EXPECT_EQ(str(get_opportunity(http(), id), "remarks"), said);
  auto acts = activities_of(http(), id);
  ASSERT_FALSE(acts.empty());
  EXPECT_NE(str(acts.front(), "description").find("no answer"), std::string::npos)
      << "the comment is not on the move's activity: " << json::serialize(acts.front());
  EXPECT_EQ(change_of(acts.front(), "remarks"), nullptr) << json::serialize(acts.front());
  Response notes = http().get(path_of(id, "/notes"));
  ASSERT_EQ(notes.status, 200) << notes.describe();
  EXPECT_TRUE(at(notes.json(), "items").as_array().empty()) << "a note without asNote";

  // With asNote, the comment is a note too (on the timeline, with its author).
  opp = moved(http(), id, "PSVFollowUp2",
              json::object{{"remarks", "called twice, will try Friday"}, {"asNote", true}});
  EXPECT_EQ(str(opp, "remarks"), said);
  notes = http().get(path_of(id, "/notes"));
  ASSERT_EQ(notes.status, 200) << notes.describe();
  const json::value note_list = notes.json();
  ASSERT_EQ(at(note_list, "items").as_array().size(), 1u) << notes.describe();
  EXPECT_EQ(str(at(note_list, "items").as_array()[0], "note"), "called twice, will try Friday");
  EXPECT_EQ(num(get_opportunity(http(), id), "version"), num(opp, "version"));
  expect_problem(move(http(), id, json::object{{"to", "PSVQualified"}, {"asNote", "yes"}}), 422);

  // A move into the CRM with a comment leaves them too; an explicit edit changes them.
  opp = moved(http(), id, "PSVQualified", json::object{{"remarks", "qualified: budget ok"}});
  EXPECT_EQ(str(opp, "remarks"), said);
  Response edited = http().patch(path_of(id), json::object{{"remarks", "Europe in June now"}});
  ASSERT_EQ(edited.status, 200) << edited.describe();
  EXPECT_EQ(str(edited.json(), "remarks"), "Europe in June now");
}

// edits and reassignment

TEST_F(Workflow, PatchCustomerAndTripFields) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.goa), "_id");
  json::object patch{
      {"name", "Asha M. Menon"},
      {"email", "asha@example.com"},
      {"pax", 3},
      {"alternatePhone", json::object{{"countryCode", "+91"}, {"number", "9812345678"}}},
      {"travelDate", "March 2027"},
      {"tripType", "honeymoon"},
      {"paxType", "couple"},
      {"tags", json::array{"visa", "exClient"}},
      {"remarks", "prefers calls after 6"},
      {"customRemark", std::string(2000, 'c')},
      {"agentNotes", "asked for a quote"},
      {"junKRemarks", "none"}};
  Response r = http().patch(path_of(id), patch, if_match(1));
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.header("ETag"), "\"2\"");
  json::value o = r.json();
  EXPECT_EQ(str(o, "name"), "Asha M. Menon");
  EXPECT_EQ(str(o, "email"), "asha@example.com");
  EXPECT_EQ(str(o, "pax"), "3");
  EXPECT_EQ(str(o, "alternatePhone.countryCode"), "+91");
  EXPECT_EQ(str(o, "alternatePhone.number"), "9812345678");
  EXPECT_EQ(str(o, "travelDate"), "March 2027");
  // The first of the month, midnight in Asia/Kolkata.
  EXPECT_EQ(str(o, "travelMonthDateFormat"), "2027-02-28T18:30:00.000Z");
  EXPECT_EQ(str(o, "tripType"), "honeymoon");
  EXPECT_EQ(str(o, "paxType"), "couple");
  EXPECT_EQ(strings_at(o, "tags"), (std::vector<std::string>{"visa", "exClient"}));
  EXPECT_EQ(str(o, "customRemark").size(), 2000u);
  EXPECT_EQ(str(o, "agentNotes"), "asked for a quote");
  EXPECT_EQ(str(o, "junKRemarks"), "none");
  EXPECT_EQ(str(o, "status"), "InPSV");

  auto acts = activities_of(http(), id);
  ASSERT_FALSE(acts.empty());
  const json::object* name = change_of(acts.front(), "name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(at(*name, "previousValue"), json::value("Asha Menon"));
  EXPECT_EQ(at(*name, "newValue"), json::value("Asha M. Menon"));
  for (const char* f : {"email", "pax", "alternatePhone", "travelDate", "travelMonthDateFormat",
                        "tags", "customRemark", "junKRemarks"})
    EXPECT_NE(change_of(acts.front(), f), nullptr) << f;

  // Refused: every bad field is named, nothing changes.
  Response bad = http().patch(path_of(id), json::object{{"customRemark", std::string(2001, 'c')},
                                                        {"email", "not-an-address"},
                                                        {"name", ""},
                                                        {"status", "Won"},
                                                        {"opportunityOwner", w.sales},
                                                        {"pax", -1}});
  expect_problem(bad, 422);
  for (const char* f : {"customRemark", "email", "name", "status", "opportunityOwner", "pax"})
    EXPECT_TRUE(contains(problem_fields(bad), f)) << f;
  EXPECT_EQ(num(get_opportunity(http(), id), "version"), 2);

  // null clears; an unparsable travel date keeps its text and clears the month.
  r = http().patch(path_of(id),
                   json::object{{"email", nullptr}, {"travelDate", "after the monsoon"}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_TRUE(is_null_at(r.json(), "email"));
  EXPECT_EQ(str(r.json(), "travelDate"), "after the monsoon");
  EXPECT_TRUE(is_null_at(r.json(), "travelMonthDateFormat"));
  // A body that changes nothing writes nothing.
  r = http().patch(path_of(id), json::object{{"tripType", "honeymoon"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("ETag"), "\"3\"");
  expect_problem(http().patch(path_of("0123456789abcdef01234567"), json::object{{"name", "x"}}),
                 404);
}

TEST_F(Workflow, ReassignKeepsHistory) {
  const World& w = world();
  const std::string id = str(new_lead(http(), w.maldives), "_id");
  const std::string first = str(active_followup(http(), id), "_id");
  const std::string other = create_user(http(), "SALES", "Sana");

  Response wrong_dept = http().post(path_of(id, "/reassign"), json::object{{"to", w.psv}});
  expect_problem(wrong_dept, 422);
  EXPECT_TRUE(contains(problem_fields(wrong_dept), "to"));
  expect_problem(http().post(path_of(id, "/reassign"), json::object{{"to", w.sales}}), 409);
  expect_problem(
      http().post(path_of(id, "/reassign"), json::object{{"to", "0123456789abcdef01234567"}}), 422);
  expect_problem(http().post(path_of(id, "/reassign"), json::object{}), 422);

  Response r = http().post(path_of(id, "/reassign"),
                           json::object{{"to", other}, {"remarks", "Sam is on leave"}});
  ASSERT_EQ(r.status, 200) << r.describe();
  json::value o = r.json();
  EXPECT_EQ(str(o, "opportunityOwner"), other);
  EXPECT_EQ(at(o, "crmStageMeta.reAssigned"), json::value(true));
  EXPECT_EQ(str(o, "crmStageMeta.reassignedRemarks"), "Sam is on leave");
  // The first contact goes with the opportunity.
  EXPECT_EQ(str(active_followup(http(), id), "owner"), other);
  EXPECT_EQ(str(active_followup(http(), id), "_id"), first);

  auto acts = activities_of(http(), id);
  ASSERT_FALSE(acts.empty());
  const json::object* owner = change_of(acts.front(), "opportunityOwner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(at(*owner, "previousValue"), json::value(w.sales));
  EXPECT_EQ(at(*owner, "newValue"), json::value(other));
  EXPECT_NE(change_of(acts.front(), "followups." + first + ".owner"), nullptr);
  EXPECT_NE(str(acts.front(), "description").find("Sam is on leave"), std::string::npos);

  // A PSV lead moves between PSV agents.
  const std::string psv_lead = str(new_lead(http(), w.goa), "_id");
  const std::string psv2 = create_user(http(), "PSV", "Priya");
  r = http().post(path_of(psv_lead, "/reassign"), json::object{{"to", psv2}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(str(r.json(), "assignedPsv._id"), psv2);
  EXPECT_EQ(str(r.json(), "assignedPsv.name"), "Priya Tester");
}

// with a fresh server: exact figures

class WorkflowFresh : public FreshServerTest {};

TEST_F(WorkflowFresh, SalesPersonToBeAssignedIsHonouredWhenAvailable) {
  const World w = make_world(http());
  const std::string chosen = create_user(http(), "SALES", "Chosen");
  create_availability(http(), {chosen, "Sales", {w.maldives}, {}, 2, true});
  const std::string absent = create_user(http(), "SALES", "Absent");  // not in rotation

  json::object opp =
      new_lead(http(), w.maldives, std::nullopt, json::object{{"salesPersonToBeAssigned", chosen}});
  EXPECT_EQ(str(opp, "opportunityOwner"), chosen);
  EXPECT_EQ(str(active_followup(http(), str(opp, "_id")), "owner"), chosen);
  opp =
      new_lead(http(), w.maldives, std::nullopt, json::object{{"salesPersonToBeAssigned", absent}});
  EXPECT_TRUE(str(opp, "opportunityOwner") == w.sales || str(opp, "opportunityOwner") == chosen);
  EXPECT_NE(str(opp, "opportunityOwner"), absent);

  // Through a qualification too.
  json::object psv =
      new_lead(http(), w.goa, std::nullopt, json::object{{"salesPersonToBeAssigned", chosen}});
  // `chosen` does not cover Goa, but is named: named and available wins.
  psv = moved(http(), str(psv, "_id"), "PSVQualified");
  EXPECT_EQ(str(psv, "opportunityOwner"), chosen);
}

TEST_F(WorkflowFresh, SlaReport) {
  const World w = make_world(http());
  std::vector<std::string> opps;
  for (int i = 0; i < 3; ++i) opps.push_back(str(new_lead(http(), w.maldives), "_id"));
  new_lead(http(), w.goa);  // never in CRM: not counted
  const std::string fu = str(active_followup(http(), opps[0]), "_id");
  followup_action(http(), "/api/v1/followups/" + fu + "/complete",
                  json::object{{"outcome", "connected"}});

  Response r = http().get("/api/v1/reports/sla");
  ASSERT_EQ(r.status, 200) << r.describe();
  json::value v = r.json();
  EXPECT_EQ(str(v, "timezone"), "Asia/Kolkata");
  EXPECT_EQ(num(v, "firstContactSlaHours"), 24);
  // The sales person of this world (the database may be shared with other suites).
  const json::value* found = nullptr;
  for (const auto& row : at(v, "rows").as_array())
    if (str(row, "salesPerson._id") == w.sales) found = &row;
  ASSERT_NE(found, nullptr) << r.describe();
  const json::value& row = *found;
  EXPECT_EQ(str(row, "salesPerson._id"), w.sales);
  EXPECT_EQ(str(row, "salesPerson.name"), "Sam Tester");
  EXPECT_EQ(num(row, "entered"), 3);
  EXPECT_EQ(num(row, "firstContactWithinSla"), 1);
  EXPECT_EQ(num(row, "firstContactLate"), 0);
  EXPECT_EQ(num(row, "openPastSla"), 0);
  EXPECT_EQ(num(row, "pending"), 2);
  ASSERT_TRUE(num(row, "medianTimeToFirstContactSeconds").has_value());
  EXPECT_LT(*num(row, "medianTimeToFirstContactSeconds"), 600);
  EXPECT_GE(num(v, "total.entered").value_or(0), 3);

  // A period before any lead: empty. A reversed period: 422.
  Response empty = http().get("/api/v1/reports/sla?from=2020-01-01&to=2020-02-01");
  ASSERT_EQ(empty.status, 200) << empty.describe();
  EXPECT_TRUE(at(empty.json(), "rows").as_array().empty());
  EXPECT_EQ(str(empty.json(), "from"), "2019-12-31T18:30:00.000Z");  // Kolkata midnight
  expect_problem(http().get("/api/v1/reports/sla?from=2020-02-01&to=2020-01-01"), 422);
  expect_problem(http().get("/api/v1/reports/sla?from=yesterday"), 422);
}

// A sales person sees and changes only their own; the report is ADMIN's.
TEST_F(WorkflowFresh, SalesPersonScope) {
  ASSERT_FALSE(server().auth_headers().empty()) << "the harness must have signed in as an admin";
  const World w = make_world(http());
  const std::string password = "sales-password-" + run_token();
  Response created =
      http().post("/api/v1/users", json::object{{"email", "own." + run_token() + "@example.test"},
                                                {"firstName", "Own"},
                                                {"department", "SALES"},
                                                {"password", password}});
  ASSERT_EQ(created.status, 201) << created.describe();
  const std::string me = str(created.json(), "_id");
  const std::string email = str(created.json(), "email");
  create_availability(http(), {me, "Sales", {w.maldives}, {}, 9, true});

  const std::string mine =
      str(new_lead(http(), w.maldives, std::nullopt, json::object{{"salesPersonToBeAssigned", me}}),
          "_id");
  const std::string theirs = str(new_lead(http(), w.maldives, std::nullopt,
                                          json::object{{"salesPersonToBeAssigned", w.sales}}),
                                 "_id");
  HttpClient own(server().base_url());
  Response login =
      own.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
  ASSERT_EQ(login.status, 200) << login.describe();
  own.set_default_headers({{"Authorization", "Bearer " + str(login.json(), "token")}});

  Response list = own.get("/api/v1/followups?due=upcoming");
  ASSERT_EQ(list.status, 200) << list.describe();
  EXPECT_EQ(str(list.json(), "owner"), me);
  const json::value own_list = list.json();
  for (const auto& i : at(own_list, "items").as_array()) EXPECT_EQ(str(i, "owner"), me);
  expect_problem(own.get("/api/v1/followups?due=upcoming&owner=" + w.sales), 403);

  EXPECT_EQ(own.post(path_of(mine, "/notes"), json::object{{"note", "mine"}}).status, 201);
  expect_problem(own.post(path_of(theirs, "/notes"), json::object{{"note", "x"}}), 404);
  expect_problem(own.post(path_of(theirs, "/transitions"), json::object{{"to", "lost"}}), 404);
  expect_problem(own.get(path_of(theirs, "/timeline")), 404);
  expect_problem(own.get("/api/v1/reports/sla"), 403);
}

}  // namespace
}  // namespace leadproc::apitest
