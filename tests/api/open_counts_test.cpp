// The people report's open opportunities per person and status (`open.byStatus`) come from a
// rollup kept in the transaction of every write to an opportunity (storage/sql/open_counts.h,
// migration 34), not from counting the rows. After each step of a scenario that changes
// opportunities in every way the product does (ingest and round-robin assignment, a re-inquiry,
// stage moves, qualification into the CRM phase, closing as lost and disqualified, dormancy and
// reactivation, bulk reassignment and moves, a handover on deactivation, `leadproc import`), the
// report's counts equal those computed here from the rows the opportunities list returns: each
// open opportunity once for each distinct person among its PSV agent, WEST agent and owner, under
// its status. Both stores (LEADPROC_TEST_DATABASE).
#include <map>
#include <set>
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

// (person, status) -> open opportunities.
using Held = std::map<std::pair<std::string, std::string>, std::int64_t>;

class OpenCounts : public OwnServerTest {
 protected:
  HttpClient& http() { return admin(); }

  // From the rows: every opportunity the list returns.
  Held from_rows() {
    Held out;
    for (const auto& o : list_opportunities(http(), "", 200)) {
      const std::string status = str(o, "status");
      if (kClosed.count(status)) continue;
      std::set<std::string> people;
      for (const char* path : {"assignedPsv._id", "assignedWest._id", "opportunityOwner"})
        if (at(o, path).is_string()) people.insert(str(o, path));
      for (const auto& p : people) out[{p, status}] += 1;
    }
    return out;
  }

  // From the people report (its open counts do not depend on the period); `total` gets the
  // total row's counts.
  Held from_report(std::map<std::string, std::int64_t>& total) {
    Response r = http().get("/api/v1/reports/people?from=2024-01-01&to=2024-02-01");
    EXPECT_EQ(r.status, 200) << r.describe();
    const json::value v = r.json();
    Held out;
    if (!at(v, "rows").is_array()) return out;
    for (const auto& row : at(v, "rows").as_array()) {
      if (!at(row, "open.byStatus").is_object()) continue;
      for (const auto& [status, n] : at(row, "open.byStatus").as_object())
        if (n.to_number<std::int64_t>() != 0)
          out[{str(row, "person._id"), std::string(status)}] = n.to_number<std::int64_t>();
    }
    if (at(v, "total.open.byStatus").is_object())
      for (const auto& [status, n] : at(v, "total.open.byStatus").as_object())
        if (n.to_number<std::int64_t>() != 0)
          total[std::string(status)] = n.to_number<std::int64_t>();
    return out;
  }

  void expect_counts_equal_the_rows(const std::string& after) {
    SCOPED_TRACE("after " + after);
    const Held rows = from_rows();
    std::map<std::string, std::int64_t> total;
    EXPECT_EQ(from_report(total), rows);
    std::map<std::string, std::int64_t> total_of_rows;
    for (const auto& [key, n] : rows) total_of_rows[key.second] += n;
    EXPECT_EQ(total, total_of_rows);
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
  expect_counts_equal_the_rows("ingest");
  ingest_for(goa, repeat);  // a re-inquiry of psv[0]
  expect_counts_equal_the_rows("a re-inquiry");

  // Stage moves, qualification (a sales owner joins), closing.
  move(psv[0], "PSVFollowUp1");
  move(psv[1], "PSVQualified");
  move(psv[2], "PSVDisqualified", json::object{{"reasons", json::array{"junk"}}});
  expect_counts_equal_the_rows("moves, a qualification and a disqualification");
  move(crm1, "lost", json::object{{"lostReason", "plan_dropped"}});
  move(crm2, "Dormant");
  expect_counts_equal_the_rows("a loss and dormancy");
  move(crm2, "Open");
  expect_counts_equal_the_rows("reactivation");

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
