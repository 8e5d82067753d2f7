// The people report's open opportunities per person, status and stage (`open.byStatus`,
// `open.byStage`) come from a rollup kept in the transaction of every write to an opportunity
// (storage/sql/open_counts.h, migrations 34, 38 and 41), not from counting the rows. After each
// step of a scenario that changes opportunities in every way the product does (ingest and
// round-robin assignment, a re-inquiry, stage moves, qualification into the CRM phase, CRM stage
// and journey moves, closing as lost and disqualified, dormancy and reactivation, bulk reassignment
// and moves, a handover on deactivation, `leadproc import`), the report's counts equal those
// computed here from the rows the opportunities list returns: each open opportunity once for each
// distinct person among its PSV agent, WEST agent and owner, under its status and stage (the CRM
// stage of an Open or Dormant one, an Open one without one at followup; the PSV/WEST stage of an
// InPSV or InWEST one; none for other statuses). Both stores (LEADPROC_TEST_DATABASE).
#include <chrono>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// The statuses of a closed opportunity (domain/lifecycle.cpp, is_closed): held by nobody.
const std::set<std::string> kClosed{"Won",
                                    "Lost",
                                    "Disqualified",
                                    "UnknownClientNotResponded",
                                    "UnknownClientNotInterested",
                                    "UnknownAlreadyAssigned",
                                    "UpcomingDisqualifiedJunk",
                                    "UpcomingDisqualifiedNotInterested",
                                    "UpcomingDisqualifiedNotResponded",
                                    "UpcomingDisqualifiedAlreadyAssigned"};

// (person, status, stage) -> open opportunities; stage "" where the status has none.
using Held = std::map<std::tuple<std::string, std::string, std::string>, std::int64_t>;

// The stage an open opportunity of the list is counted under.
std::string stage_of(const json::value& o, const std::string& status) {
  if (status == "InPSV" || status == "InWEST")
    return at(o, "filtrationStatus.stage").is_string() ? str(o, "filtrationStatus.stage") : "";
  if (status != "Open" && status != "Dormant") return "";
  if (at(o, "crmStageMeta.stage").is_string()) return str(o, "crmStageMeta.stage");
  return status == "Open" ? "followup" : "";
}

// (status, stage) from a key of open.byStage: "Open/fresh_lead", or "InPSV" (no stage).
std::pair<std::string, std::string> split_key(std::string_view key) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) return {std::string(key), ""};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

class OpenCounts : public OwnServerTest {
 protected:
  HttpClient& http() { return admin(); }

  // From the rows: every opportunity the list returns.
  Held from_rows() {
    Held out;
    for (const auto& o : list_opportunities(http(), "", 200)) {
      const std::string status = str(o, "status");
      if (kClosed.count(status)) continue;
      const std::string stage = stage_of(o, status);
      std::set<std::string> people;
      for (const char* path : {"assignedPsv._id", "assignedWest._id", "opportunityOwner"})
        if (at(o, path).is_string()) people.insert(str(o, path));
      for (const auto& p : people) out[{p, status, stage}] += 1;
    }
    return out;
  }

  // The non-zero counts of an `open` object of the people report: by status (open.byStatus)
  // and by (status, stage) (open.byStage).
  struct OpenFigures {
    std::map<std::string, std::int64_t> by_status;
    std::map<std::pair<std::string, std::string>, std::int64_t> by_stage;
  };
  static OpenFigures figures_of(const json::value& open) {
    OpenFigures out;
    if (at(open, "byStatus").is_object())
      for (const auto& [status, n] : at(open, "byStatus").as_object())
        if (n.to_number<std::int64_t>() != 0)
          out.by_status[std::string(status)] = n.to_number<std::int64_t>();
    if (at(open, "byStage").is_object())
      for (const auto& [key, n] : at(open, "byStage").as_object())
        if (n.to_number<std::int64_t>() != 0)
          out.by_stage[split_key(std::string(key))] = n.to_number<std::int64_t>();
    return out;
  }

  // The people report (its open counts do not depend on the period).
  json::value report() {
    Response r = http().get("/api/v1/reports/people?from=2024-01-01&to=2024-02-01");
    EXPECT_EQ(r.status, 200) << r.describe();
    return r.json();
  }

  // One person's open.byStage ({} when they hold nothing).
  std::map<std::pair<std::string, std::string>, std::int64_t> held_by(const std::string& person) {
    const json::value v = report();
    if (at(v, "rows").is_array())
      for (const auto& row : at(v, "rows").as_array())
        if (at(row, "person._id").is_string() && str(row, "person._id") == person)
          return figures_of(at(row, "open")).by_stage;
    return {};
  }

  // From the people report, by person, status and stage; `total` gets the total row's open.
  Held from_report(OpenFigures& total) {
    const json::value v = report();
    Held out;
    if (!at(v, "rows").is_array()) return out;
    for (const auto& row : at(v, "rows").as_array()) {
      const OpenFigures mine = figures_of(at(row, "open"));
      std::map<std::string, std::int64_t> summed;
      for (const auto& [key, n] : mine.by_stage) {
        out[{str(row, "person._id"), key.first, key.second}] = n;
        summed[key.first] += n;
      }
      EXPECT_EQ(mine.by_status, summed)
          << "byStatus is byStage summed per status, " << str(row, "person._id");
    }
    total = figures_of(at(v, "total.open"));
    return out;
  }

  void expect_counts_equal_the_rows(const std::string& after) {
    SCOPED_TRACE("after " + after);
    const Held rows = from_rows();
    OpenFigures total;
    EXPECT_EQ(from_report(total), rows);
    OpenFigures total_of_rows;
    for (const auto& [key, n] : rows) {
      total_of_rows.by_status[std::get<1>(key)] += n;
      total_of_rows.by_stage[{std::get<1>(key), std::get<2>(key)}] += n;
    }
    EXPECT_EQ(total.by_status, total_of_rows.by_status);
    EXPECT_EQ(total.by_stage, total_of_rows.by_stage);
  }

  void move(const std::string& id, std::string_view to, json::object extra = {}) {
    extra["to"] = to;
    Response r = http().post("/api/v1/opportunities/" + id + "/transitions", extra);
    EXPECT_EQ(r.status, 200) << "move to " << to << ": " << r.describe();
  }

  static json::array ids(const std::vector<std::string>& v) {
    json::array out;
    for (const auto& id : v) out.emplace_back(id);
    return out;
  }

  void bulk(const json::object& body) {
    Response r = http().post("/api/v1/opportunities/bulk", body);
    EXPECT_EQ(r.status, 200) << r.describe();
  }
};

TEST_F(OpenCounts, EqualTheRowsAfterEveryKindOfChange) {
  const std::string goa = create_destination(http(), unique_name("Goa"));
  const std::string maldives = create_destination(http(), unique_name("Maldives"));
  create_map(http(), "PSV", {goa});
  create_map(http(), "NO-FILTER", {maldives});
  const std::string pia = create_user(http(), "PSV", "Pia");
  const std::string pooja = create_user(http(), "PSV", "Pooja");
  const std::string sam = create_user(http(), "SALES", "Sam");
  const std::string sara = create_user(http(), "SALES", "Sara");
  create_availability(http(), {pia, "PSV", {goa}, {}, 1, true});
  create_availability(http(), {pooja, "PSV", {goa}, {}, 2, true});
  create_availability(http(), {sam, "Sales", {goa, maldives}, {}, 1, true});
  create_availability(http(), {sara, "Sales", {goa, maldives}, {}, 2, true});
  expect_counts_equal_the_rows("setup");

  // Ingest: round robin over the PSV pool; NO-FILTER leads go straight to a sales owner.
  auto ingest_for = [&](const std::string& destination,
                        std::optional<std::string> number = std::nullopt) {
    json::object body = lead_body("Held Lead", number.value_or(next_mobile()));
    body["destination"] = destination;
    return str(ingest(http(), body), "opportunity._id");
  };
  const std::string repeat = next_mobile();
  std::vector<std::string> psv;
  for (int i = 0; i < 6; ++i)
    psv.push_back(ingest_for(goa, i == 0 ? std::optional(repeat) : std::nullopt));
  const std::string crm1 = ingest_for(maldives);
  const std::string crm2 = ingest_for(maldives);
  const std::string crm3 = ingest_for(maldives);
  expect_counts_equal_the_rows("ingest");
  ingest_for(goa, repeat);  // a re-inquiry of psv[0]
  expect_counts_equal_the_rows("a re-inquiry");

  // Stage moves, qualification (a sales owner joins), closing.
  move(psv[0], "PSVFollowUp1");
  move(psv[1], "PSVQualified");
  move(psv[2], "PSVDisqualified", json::object{{"reasons", json::array{"junk"}}});
  expect_counts_equal_the_rows("moves, a qualification and a disqualification");
  // A PSV agent's leads by their PSV stage (migration 41).
  {
    const std::string agent = str(get_opportunity(http(), psv[0]), "assignedPsv._id");
    const auto mine = held_by(agent);
    EXPECT_GT((mine.count({"InPSV", "PSVFollowUp1"})), 0u) << "the lead moved to PSVFollowUp1";
    EXPECT_EQ((mine.count({"InPSV", ""})), 0u) << "every InPSV lead has its PSV stage";
  }
  move(crm1, "lost", json::object{{"lostReason", "plan_dropped"}});
  move(crm2, "Dormant");
  expect_counts_equal_the_rows("a loss and dormancy");
  move(crm2, "Open");
  expect_counts_equal_the_rows("reactivation");

  // CRM stage moves: the owner's count moves from one stage to the next; a journey checkpoint
  // (a sub-stage) leaves it where it is.
  const std::string owner = str(get_opportunity(http(), crm3), "opportunityOwner");
  auto expected = held_by(owner);
  ASSERT_GT((expected[{"Open", "fresh_lead"}]), 0)
      << "a lead straight to sales enters at fresh_lead";
  move(crm3, "followup");
  --expected[{"Open", "fresh_lead"}];
  ++expected[{"Open", "followup"}];
  std::erase_if(expected, [](const auto& kv) { return kv.second == 0; });
  EXPECT_EQ(held_by(owner), expected) << "fresh_lead -> followup";
  move(crm3, "HOT_LEAD");
  EXPECT_EQ(held_by(owner), expected) << "a journey checkpoint is no stage";
  const auto in_a_month = std::chrono::system_clock::now() + std::chrono::hours(24 * 30);
  move(crm3, "closed_for_future_followup",
       json::object{{"nextFollowUpDate", iso(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 in_a_month.time_since_epoch())
                                                 .count())}});
  --expected[{"Open", "followup"}];
  ++expected[{"Open", "closed_for_future_followup"}];
  std::erase_if(expected, [](const auto& kv) { return kv.second == 0; });
  EXPECT_EQ(held_by(owner), expected) << "followup -> closed_for_future_followup";
  // The CSV holds the same in one cell: "Open/closed_for_future_followup=1; Open/followup=2".
  std::string cell;
  for (const auto& [key, n] : expected)
    cell += (cell.empty() ? "" : "; ") + key.first + (key.second.empty() ? "" : "/") + key.second +
            "=" + std::to_string(n);
  Response csv = http().get("/api/v1/exports/people.csv?from=2024-01-01&to=2024-02-01");
  ASSERT_EQ(csv.status, 200) << csv.describe();
  EXPECT_NE(csv.body.find("," + cell + ","), std::string::npos) << cell << "\n" << csv.body;
  expect_counts_equal_the_rows("CRM stage moves");

  // Bulk: reassignment and a move.
  bulk({{"action", "reassign"}, {"ids", ids({psv[3], psv[4]})}, {"to", pooja}});
  bulk({{"action", "move"}, {"ids", ids({psv[5]})}, {"to", "PSVFollowUp1"}});
  expect_counts_equal_the_rows("bulk reassignment and move");

  // A handover: every open lead of Pia's goes to Pooja as Pia is deactivated.
  Response handover = http().post("/api/v1/users/" + pia + "/deactivate",
                                  json::object{{"handover", {{"to", pooja}}}});
  EXPECT_EQ(handover.status, 200) << handover.describe();
  expect_counts_equal_the_rows("a handover");

  // `leadproc import` into the running server's database (its opportunities are held by the
  // dump's own people).
  auto [code, out] =
      run_command(std::string(LEADPROC_BINARY) + " --database-url '" + server().database_url() +
                  "' import " + LEADPROC_IMPORT_FIXTURES + " 2>&1");
  EXPECT_EQ(code, 3) << "two documents of the dump are rejected\n" << out;
  expect_counts_equal_the_rows("an import");
  ASSERT_FALSE(from_rows().empty());
}

}  // namespace
}  // namespace leadproc::apitest
