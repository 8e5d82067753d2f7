// The time-in-stage report (docs/reports.md, issue 18 items 2 and 6), black-box on both stores:
// leads moved through the workflow with the test clock moved hours between the moves. The
// expected figures are computed here independently of the report's own rows: every stay is
// rebuilt from the audit trail (each opportunity's activities, field by field), every milestone
// from the activity of the move the test made, and their nearest-rank p50 and p90 taken here;
// the report (JSON and CSV) must equal them to the tenth of a second it rounds to.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// The report's rounding: seconds to one decimal.
double rounded_seconds(std::int64_t ms) {
  return std::round(static_cast<double>(ms) / 1000.0 * 10.0) / 10.0;
}

// Nearest rank, written here on its own: the ceil(p% × n)-th smallest (at least the first).
std::int64_t nearest_rank(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

// The opportunity as the audit trail says it was: the creation's fields, then each change
// applied ("a.b" one level down, as the trail writes nested changes).
struct Replayed {
  json::object doc;
  void apply(const json::object& change) {
    const std::string field = str(change, "field");
    const json::value& value = change.at("newValue");
    const auto dot = field.find('.');
    if (dot == std::string::npos) {
      doc[field] = value;
      return;
    }
    json::value& parent = doc[field.substr(0, dot)];
    if (!parent.is_object()) parent = json::object{};
    parent.as_object()[field.substr(dot + 1)] = value;
  }
  std::string status() const { return str(doc, "status"); }
  std::string stage() const {
    if (at(doc, "crmStageMeta").is_object()) return str(doc, "crmStageMeta.stage");
    if (at(doc, "filtrationStatus.stage").is_string()) return str(doc, "filtrationStatus.stage");
    return "";
  }
  std::string holder() const {
    if (at(doc, "crmStageMeta").is_object())
      return at(doc, "opportunityOwner").is_string() ? str(doc, "opportunityOwner") : "";
    for (const char* path : {"assignedPsv._id", "assignedWest._id"})
      if (at(doc, path).is_string()) return str(doc, path);
    return "";
  }
};

// A stay rebuilt from the trail.
struct Stay {
  std::string status, stage, person, platform;
  std::int64_t entered = 0;
  std::optional<std::int64_t> left;
};

// What the test did with one lead.
struct Lead {
  std::string id, platform;
  std::int64_t created = 0;
  std::optional<std::int64_t> contacted, qualified, won;
};

class TimeInStage : public OwnServerTest {
 protected:
  void SetUp() override { start({{"LEADPROC_SESSION_TTL", "7d"}}); }
  HttpClient& http() { return admin(); }

  std::string goa_, maldives_;
  std::deque<Lead> leads_;  // references to its leads stay valid as it grows

  void arrange() {
    goa_ = create_destination(http(), unique_name("Goa"));
    maldives_ = create_destination(http(), unique_name("Maldives"));
    create_map(http(), "PSV", {goa_});
    create_map(http(), "NO-FILTER", {maldives_});
    const std::string psv1 = create_user(http(), "PSV", "Pia");
    const std::string psv2 = create_user(http(), "PSV", "Pooja");
    const std::string sales1 = create_user(http(), "SALES", "Sam");
    const std::string sales2 = create_user(http(), "SALES", "Sara");
    create_availability(http(), {psv1, "PSV", {goa_}, {}, 1, true});
    create_availability(http(), {psv2, "PSV", {goa_}, {}, 2, true});
    create_availability(http(), {sales1, "Sales", {goa_, maldives_}, {}, 1, true});
    create_availability(http(), {sales2, "Sales", {goa_, maldives_}, {}, 2, true});
  }

  // The time of the newest activity of `lead`: the move the test just made.
  std::int64_t last_move(const Lead& lead) {
    const auto items = activities_of(http(), lead.id);
    if (items.empty()) throw FixtureError("no activity for " + lead.id);
    return ms_of(str(items.front(), "createdAt"));
  }

  Lead& lead(const std::string& destination, const std::string& platform) {
    json::object body = lead_body("Stage Lead", next_mobile(), platform);
    body["destination"] = destination;
    const json::object answer = ingest(http(), body);
    const json::object& opp = answer.at("opportunity").as_object();
    Lead l{str(opp, "_id"), platform, ms_of(str(opp, "createdAt")), {}, {}, {}};
    if (str(opp, "status") == "Open") {  // NO-FILTER: contacted and qualified on arrival
      l.contacted = l.qualified = last_move(l);
    }
    leads_.push_back(l);
    return leads_.back();
  }

  void move(Lead& l, std::string_view to, json::object extra = {}) {
    extra["to"] = to;
    Response r = http().post("/api/v1/opportunities/" + l.id + "/transitions", extra);
    ASSERT_EQ(r.status, 200) << "move to " << to << ": " << r.describe();
  }
  void contact(Lead& l) {
    move(l, "PSVFollowUp1");
    if (!l.contacted) l.contacted = last_move(l);
  }
  void qualify(Lead& l) {
    move(l, "PSVQualified");
    l.qualified = last_move(l);
    if (!l.contacted) l.contacted = l.qualified;
  }
  void first_contact(Lead& l) {
    Response list = http().get("/api/v1/opportunities/" + l.id + "/followups");
    ASSERT_EQ(list.status, 200) << list.describe();
    std::string followup;
    const json::value items = list.json();
    for (const auto& f : at(items, "items").as_array())
      if (str(f, "status") == "active") followup = str(f, "_id");
    Response r = http().post("/api/v1/followups/" + followup + "/complete",
                             json::object{{"outcome", "connected"}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }
  void win(Lead& l) {
    first_contact(l);
    move(l, "won",
         json::object{{"bookingId", "BK-" + l.id.substr(18)},
                      {"dealValue", {{"amount", "5000"}, {"currency", "INR"}}}});
    l.won = last_move(l);
  }
  void lose(Lead& l) { move(l, "lost", json::object{{"lostReason", "plan_dropped"}}); }

  // Every stay of every lead, rebuilt from its activities (oldest first).
  std::vector<Stay> stays_from_trail() {
    std::vector<Stay> out;
    for (const Lead& l : leads_) {
      auto items = activities_of(http(), l.id);
      std::reverse(items.begin(), items.end());
      Replayed r;
      std::optional<Stay> open;
      for (const auto& a : items) {
        for (const auto& c : at(a, "changes").as_array()) r.apply(c.as_object());
        const std::int64_t at_ms = ms_of(str(a, "createdAt"));
        if (open && open->status == r.status() && open->stage == r.stage()) continue;
        if (open) {
          open->left = at_ms;
          out.push_back(*open);
        }
        open = Stay{r.status(), r.stage(), r.holder(), l.platform, at_ms, std::nullopt};
      }
      if (open) out.push_back(*open);
    }
    return out;
  }

  void expect_durations(const json::value& got, const std::vector<std::int64_t>& ms,
                        const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(num(got, "count"), static_cast<std::int64_t>(ms.size()));
    if (ms.empty()) {
      EXPECT_TRUE(is_null_at(got, "p50Seconds"));
      EXPECT_TRUE(is_null_at(got, "p90Seconds"));
      return;
    }
    ASSERT_FALSE(is_null_at(got, "p50Seconds"));
    EXPECT_DOUBLE_EQ(at(got, "p50Seconds").to_number<double>(),
                     rounded_seconds(nearest_rank(ms, 50)));
    EXPECT_DOUBLE_EQ(at(got, "p90Seconds").to_number<double>(),
                     rounded_seconds(nearest_rank(ms, 90)));
  }

  // One report row against the stays and leads that `mine` picks.
  void check_row(const json::value& row, const std::vector<Stay>& stays,
                 const std::function<bool(const Stay&)>& stay_mine,
                 const std::function<bool(const Lead&)>& lead_mine) {
    std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> want;
    for (const auto& s : stays)
      if (s.left && stay_mine(s)) want[{s.status, s.stage}].push_back(*s.left - s.entered);
    std::map<std::pair<std::string, std::string>, json::value> got;
    for (const auto& s : at(row, "stages").as_array()) got[{str(s, "status"), str(s, "stage")}] = s;
    std::set<std::pair<std::string, std::string>> want_keys, got_keys;
    for (const auto& [k, v] : want) want_keys.insert(k);
    for (const auto& [k, v] : got) got_keys.insert(k);
    ASSERT_EQ(got_keys, want_keys);
    for (const auto& [k, ms] : want) expect_durations(got[k], ms, k.first + "/" + k.second);
    std::vector<std::int64_t> contacted, qualified, won;
    for (const auto& l : leads_) {
      if (!lead_mine(l)) continue;
      if (l.contacted) contacted.push_back(*l.contacted - l.created);
      if (l.qualified) qualified.push_back(*l.qualified - l.created);
      if (l.won) won.push_back(*l.won - l.created);
    }
    expect_durations(at(row, "toContacted"), contacted, "toContacted");
    expect_durations(at(row, "toQualified"), qualified, "toQualified");
    expect_durations(at(row, "toWon"), won, "toWon");
  }
};

TEST_F(TimeInStage, EveryStayAndMilestoneEqualsTheAuditTrail) {
  arrange();
  Lead& a = lead(goa_, "website");
  Lead& b = lead(goa_, "paid_ads");
  Lead& c = lead(goa_, "website");
  Lead& d = lead(maldives_, "paid_ads");
  lead(goa_, "paid_ads");  // left fresh: its one stay is still open
  advance_clock(http(), hours(2));
  contact(a);
  qualify(b);
  advance_clock(http(), hours(3));
  qualify(a);
  contact(c);
  first_contact(d);
  advance_clock(http(), minutes(30));
  lose(b);
  advance_clock(http(), hours(5));
  win(a);
  advance_clock(http(), hours(1));
  qualify(c);
  const std::string to = advance_clock(http(), minutes(1));
  const std::vector<Stay> stays = stays_from_trail();
  // Every stay is hours long but the ones the tests' own moves chain (first contact and win).
  ASSERT_GE(std::count_if(stays.begin(), stays.end(),
                          [](const Stay& s) { return s.left && *s.left - s.entered >= 3'600'000; }),
            4);

  // The period: from a minute before the first lead to the clock's now.
  const std::string period = "from=" + iso(leads_.front().created - 60'000) + "&to=" + to;

  Response r = http().get("/api/v1/reports/time-in-stage?" + period);
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value total = at(r.json(), "total");
  {
    SCOPED_TRACE("total");
    check_row(
        total, stays, [](const Stay&) { return true; }, [](const Lead&) { return true; });
  }

  r = http().get("/api/v1/reports/time-in-stage?" + period + "&groupBy=platform");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value by_platform = r.json();
  std::set<std::string> platforms;
  for (const auto& row : at(by_platform, "rows").as_array()) {
    const std::string key = str(row, "key");
    platforms.insert(key);
    SCOPED_TRACE("platform " + key);
    check_row(
        row, stays, [&](const Stay& s) { return s.platform == key; },
        [&](const Lead& l) { return l.platform == key; });
  }
  EXPECT_EQ(platforms, (std::set<std::string>{"paid_ads", "website"}));

  r = http().get("/api/v1/reports/time-in-stage?" + period + "&groupBy=agent");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value by_agent = r.json();
  std::set<std::string> agents, want_agents;
  for (const auto& s : stays)
    if (s.left && !s.person.empty()) want_agents.insert(s.person);
  for (const auto& row : at(by_agent, "rows").as_array()) {
    const std::string key = str(row, "key");
    agents.insert(key);
    SCOPED_TRACE("agent " + key);
    // The agent's stays are the ones they worked; their milestones the leads they hold now.
    std::set<std::string> held;
    for (const auto& o : list_opportunities(http(), "assignee=" + key, 500))
      held.insert(str(o, "_id"));
    check_row(
        row, stays, [&](const Stay& s) { return s.person == key; },
        [&](const Lead& l) { return held.count(l.id) > 0; });
    // Filtered by the person, the total is the same: the stays they worked, the leads they hold.
    Response mine = http().get("/api/v1/reports/time-in-stage?" + period + "&person=" + key);
    ASSERT_EQ(mine.status, 200) << mine.describe();
    SCOPED_TRACE("filtered by agent " + key);
    check_row(
        at(mine.json(), "total"), stays, [&](const Stay& s) { return s.person == key; },
        [&](const Lead& l) { return held.count(l.id) > 0; });
  }
  for (const auto& p : want_agents) EXPECT_TRUE(agents.count(p)) << p;

  // The CSV: the same numbers, one line per measure, the total last.
  r = http().get("/api/v1/exports/time-in-stage.csv?" + period);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_NE(r.body.find("group,label,measure,status,stage,count,p50 seconds,p90 seconds"),
            std::string::npos);
  // Plain decimals ("37800", "0.5"), as a spreadsheet reads them.
  auto plain = [](const json::value& seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", seconds.to_number<double>());
    std::string text = buf;
    if (text.size() > 2 && text.substr(text.size() - 2) == ".0") text.resize(text.size() - 2);
    return text;
  };
  const std::string won_line =
      "total,,to won,,," + std::to_string(num(total, "toWon.count").value_or(-1)) + "," +
      plain(at(total, "toWon.p50Seconds")) + "," + plain(at(total, "toWon.p90Seconds")) + "\r\n";
  EXPECT_NE(r.body.find(won_line), std::string::npos) << won_line << "\n" << r.body;
}

// A stay counts under its lead's destination as it is now, though each stay keeps its own copy
// of the lead's platform, campaign and destination (migration 32): a lead whose unknown
// destination is resolved has its stay in ResolvingUnknown under the destination it was given,
// in the grouping and under the filter, and none under "unknown".
TEST_F(TimeInStage, AStayCountsUnderTheDestinationItsLeadHasNow) {
  arrange();
  const json::object answer = ingest(http(), lead_body("Unknown Lead", next_mobile(), "website"));
  const json::object& opp = answer.at("opportunity").as_object();
  ASSERT_EQ(str(opp, "status"), "ResolvingUnknown");
  const std::string id = str(opp, "_id");
  const std::int64_t created = ms_of(str(opp, "createdAt"));
  advance_clock(http(), hours(2));
  Response moved = http().post("/api/v1/opportunities/" + id + "/transitions",
                               json::object{{"to", "UnknownResolved"}, {"destination", maldives_}});
  ASSERT_EQ(moved.status, 200) << moved.describe();
  const auto trail = activities_of(http(), id);  // newest first: the move, ..., the capture
  const std::int64_t resolved = ms_of(str(trail.front(), "createdAt"));
  const std::int64_t captured = ms_of(str(trail.back(), "createdAt"));
  const std::string period =
      "from=" + iso(created - 60'000) + "&to=" + advance_clock(http(), minutes(1));

  // The ResolvingUnknown stays of a report row: how many, and the p50 (one stay: its length).
  auto resolving = [](const json::value& row) -> std::pair<std::int64_t, double> {
    for (const auto& s : at(row, "stages").as_array())
      if (str(s, "status") == "ResolvingUnknown")
        return {num(s, "count").value_or(-1), at(s, "p50Seconds").to_number<double>()};
    return {0, 0};
  };
  const double want_seconds = rounded_seconds(resolved - captured);
  Response r = http().get("/api/v1/reports/time-in-stage?" + period + "&groupBy=destination");
  ASSERT_EQ(r.status, 200) << r.describe();
  const json::value by_destination = r.json();
  std::set<std::string> keys;
  for (const auto& row : at(by_destination, "rows").as_array()) {
    keys.insert(str(row, "key"));
    if (str(row, "key") == maldives_) {
      EXPECT_EQ(resolving(row), std::make_pair(std::int64_t{1}, want_seconds));
    }
  }
  EXPECT_EQ(keys, std::set<std::string>{maldives_});  // not "" (unknown)
  r = http().get("/api/v1/reports/time-in-stage?" + period + "&destination=" + maldives_);
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(resolving(at(r.json(), "total")), std::make_pair(std::int64_t{1}, want_seconds));
  r = http().get("/api/v1/reports/time-in-stage?" + period + "&destination=none");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(resolving(at(r.json(), "total")).first, 0);
}

TEST_F(TimeInStage, RefusesTimeGroupingsAndBadPeriods) {
  Response r = http().get("/api/v1/reports/time-in-stage?groupBy=day");
  EXPECT_EQ(r.status, 422) << r.describe();
  EXPECT_NE(r.body.find("groupBy"), std::string::npos) << r.body;
  r = http().get("/api/v1/reports/time-in-stage?from=2026-02-01&to=2026-01-01");
  EXPECT_EQ(r.status, 422) << r.describe();
  EXPECT_NE(r.body.find("\"to\""), std::string::npos) << r.body;
  r = http().get("/api/v1/exports/time-in-stage.csv?groupBy=week");
  EXPECT_EQ(r.status, 422) << r.describe();
}

}  // namespace
}  // namespace leadproc::apitest
