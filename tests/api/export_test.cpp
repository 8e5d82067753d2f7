// The CSV exports (docs/api.md "Exports"), black-box on both stores: the opportunities and the
// follow-ups due hold the same rows as their lists with the same filter, in the same order, over
// several streamed chunks; RFC 4180 quoting and formula-injection escaping; an agent's export
// holds only their own; the SLA report's export has its rows and total.
#include <algorithm>
#include <set>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

using namespace std::chrono_literals;

// RFC 4180 rows (CRLF line ends, quoted fields with doubled quotes), as a spreadsheet reads them.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();  // after the last CRLF
  return rows;
}

class Export : public TwoPsvAgentsTest<Export> {
 protected:
  std::string lead(std::string_view name, const std::string& destination,
                   std::string_view platform = "website") {
    json::object body = lead_body(name, next_mobile(), platform);
    body["destination"] = destination;
    return str(ingest(admin(), body), "opportunity._id");
  }
  // The export's rows (header first) as `as` (the admin when empty), expecting 200.
  std::vector<std::vector<std::string>> exported(const std::string& query, const Headers& as = {},
                                                 const std::string& what = "opportunities") {
    HttpClient anonymous(server_->base_url());
    Response r =
        (as.empty() ? admin() : anonymous).get("/api/v1/exports/" + what + ".csv" + query, as);
    EXPECT_EQ(r.status, 200) << r.describe();
    EXPECT_TRUE(r.header("content-type").starts_with("text/csv")) << r.header("content-type");
    EXPECT_TRUE(r.header("content-disposition").starts_with("attachment")) << r.describe();
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");  // streamed, not held whole
    return parse_csv(r.body);
  }
  // Every id of the list with `query`, page after page, as `as`.
  std::vector<std::string> listed(const std::string& query, const Headers& as = {}) {
    HttpClient anonymous(server_->base_url());
    HttpClient& http = as.empty() ? admin() : anonymous;
    std::vector<std::string> ids;
    std::string cursor;
    for (;;) {
      Response r = http.get("/api/v1/opportunities?limit=500" + query + cursor, as);
      EXPECT_EQ(r.status, 200) << r.describe();
      if (r.status != 200) return ids;
      const json::value page = r.json();
      for (const auto& o : at(page, "items").as_array()) ids.push_back(str(o, "_id"));
      if (at(page, "nextCursor").is_null()) return ids;
      cursor = "&cursor=" + str(page, "nextCursor");
    }
  }
  static std::vector<std::string> ids_of(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::string> ids;
    for (std::size_t i = 1; i < rows.size(); ++i) ids.push_back(rows[i].at(0));
    return ids;
  }
};

TEST_F(Export, HoldsExactlyTheRowsOfTheSameListOverSeveralChunks) {
  // More than one chunk (500 rows each) of paid_ads leads, and others the filter leaves out.
  for (int i = 0; i < 1100; ++i)
    lead("Paid Lead " + std::to_string(i), i % 2 ? goa_ : bali_, "paid_ads");
  for (int i = 0; i < 5; ++i) lead("Organic Lead " + std::to_string(i), goa_);

  const auto rows = exported("?platform=paid_ads");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].front(), "id");
  const std::size_t columns = rows[0].size();
  for (const auto& row : rows) ASSERT_EQ(row.size(), columns);
  const auto ids = ids_of(rows);
  EXPECT_EQ(ids.size(), 1100u);
  EXPECT_EQ(ids, listed("&platform=paid_ads"));  // the same rows, the same order
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][8], "paid_ads");

  // A bad or unknown parameter is refused before anything is sent.
  expect_problem(admin().get("/api/v1/exports/opportunities.csv?platform=fax"), 422);
  Response unknown = admin().get("/api/v1/exports/opportunities.csv?limit=10");
  expect_problem(unknown, 422);
  EXPECT_TRUE(contains(problem_fields(unknown), "limit")) << unknown.describe();
}

TEST_F(Export, QuotesAndEscapesFormulasAsASpreadsheetNeeds) {
  const std::string formula = lead("=HYPERLINK(\"http://evil.test\",\"Click\")", goa_, "referral");
  const std::string plain = lead("Rao, \"Asha\" Kumari", goa_, "referral");
  const std::string at_sign = lead("@SUM(A1:A9)", goa_, "referral");
  const auto rows = exported("?platform=referral");
  std::map<std::string, std::vector<std::string>> by_id;
  for (std::size_t i = 1; i < rows.size(); ++i) by_id[rows[i][0]] = rows[i];
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id[formula][2], "'=HYPERLINK(\"http://evil.test\",\"Click\")");
  EXPECT_EQ(by_id[plain][2], "Rao, \"Asha\" Kumari");  // kept whole through the quoting
  EXPECT_EQ(by_id[at_sign][2], "'@SUM(A1:A9)");
  // The number is text a spreadsheet must not compute: +91... gets the same guard.
  EXPECT_TRUE(by_id[plain][3].starts_with("'+91")) << by_id[plain][3];
}

TEST_F(Export, AnAgentExportsOnlyTheirOwnLeads) {
  const std::string mine = lead("Asha Export", goa_, "dc");     // Asha's pool: Goa
  const std::string theirs = lead("Bela Export", bali_, "dc");  // Bela's: Bali
  const auto as_asha = ids_of(exported("?platform=dc", bearer(asha_.token)));
  EXPECT_EQ(as_asha, std::vector<std::string>{mine});
  EXPECT_EQ(as_asha, listed("&platform=dc", bearer(asha_.token)));
  const auto as_admin = ids_of(exported("?platform=dc"));
  EXPECT_EQ(as_admin, (std::vector<std::string>{theirs, mine}));
  // Somebody else's leads by assignee: the header alone, as the list answers none.
  const auto other = exported("?assignee=" + bela_.id, bearer(asha_.token));
  EXPECT_EQ(other.size(), 1u);
}

// The follow-ups due list as CSV: the entries of GET /followups with the same parameters, in its
// order, across chunks (ties on the time broken as the list breaks them), the caller's own.
TEST_F(Export, FollowupsHoldExactlyTheEntriesOfTheDueList) {
  std::vector<std::string> goa, bali;
  for (int i = 0; i < 505; ++i) goa.push_back(lead("Due " + std::to_string(i), goa_, "crm_direct"));
  for (int i = 0; i < 3; ++i)
    bali.push_back(lead("Due Bali " + std::to_string(i), bali_, "crm_direct"));
  const std::string cmd = lead("=cmd|' /C calc'!A0", goa_, "crm_direct");
  goa.push_back(cmd);
  const std::int64_t now = ms_of(advance_clock(admin(), 1s));
  int n = 0;
  for (const auto& group : {goa, bali}) {
    for (const auto& id : group) {
      // Three times after tomorrow, shared by many: ties everywhere, across the chunks too.
      const std::string when = iso(now + 3 * 86'400'000LL + (n++ % 3) * 3'600'000LL);
      Response r = admin().post("/api/v1/opportunities/" + id + "/transitions",
                                json::object{{"to", "PSVFollowUp1"}, {"nextFollowUpDate", when}});
      ASSERT_EQ(r.status, 200) << r.describe();
    }
  }
  auto due = [&](const std::string& query, const Headers& as) {
    HttpClient anonymous(server_->base_url());
    Response r = (as.empty() ? admin() : anonymous).get("/api/v1/followups?limit=1000" + query, as);
    EXPECT_EQ(r.status, 200) << r.describe();
    const json::value list = r.json();
    std::vector<std::string> ids;
    for (const auto& item : at(list, "items").as_array()) ids.push_back(str(item, "oppId"));
    return ids;
  };
  auto exported_ids = [&](const std::string& query, const Headers& as) {
    const auto rows = exported("?" + query, as, "followups");
    EXPECT_FALSE(rows.empty());
    std::vector<std::string> ids;
    for (std::size_t i = 1; i < rows.size(); ++i) ids.push_back(rows[i].at(4));
    return ids;
  };
  const auto everyone = exported_ids("due=upcoming", {});
  EXPECT_EQ(everyone.size(), goa.size() + bali.size());
  EXPECT_EQ(everyone, due("&due=upcoming", {}));
  // Asha's own only, also when she does not name herself; another person's is refused.
  const auto ashas = exported_ids("due=upcoming", bearer(asha_.token));
  EXPECT_EQ(ashas, due("&due=upcoming", bearer(asha_.token)));
  EXPECT_EQ(std::set<std::string>(ashas.begin(), ashas.end()),
            std::set<std::string>(goa.begin(), goa.end()));
  EXPECT_EQ(exported_ids("due=upcoming&owner=" + bela_.id, {}),
            due("&due=upcoming&owner=" + bela_.id, {}));
  expect_problem(anonymous().get("/api/v1/exports/followups.csv?due=upcoming&owner=" + bela_.id,
                                 bearer(asha_.token)),
                 403);
  // The name someone typed into a form is never run as a formula.
  const auto rows = exported("?due=upcoming", bearer(asha_.token), "followups");
  const auto cmd_row =
      std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.at(4) == cmd; });
  ASSERT_NE(cmd_row, rows.end());
  EXPECT_EQ(cmd_row->at(5), "'=cmd|' /C calc'!A0");
  expect_problem(admin().get("/api/v1/exports/followups.csv"), 422);  // `due` is required
  expect_problem(admin().get("/api/v1/exports/followups.csv?due=soon&limit=3"), 422);
}

TEST_F(Export, TheSlaReportAsRowsAndATotal) {
  const auto rows = exported("?from=2026-01-01&to=2026-02-01", {}, "sla");
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows.front().front(), "sales person");
  EXPECT_EQ(rows.back().front(), "total");
  Response report = admin().get("/api/v1/reports/sla?from=2026-01-01&to=2026-02-01");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(rows.size(), at(report.json(), "rows").as_array().size() + 2);
  EXPECT_EQ(rows.back().at(1), std::to_string(num(report.json(), "total.entered").value_or(-1)));
  expect_problem(anonymous().get("/api/v1/exports/sla.csv", bearer(asha_.token)), 403);
  expect_problem(admin().get("/api/v1/exports/sla.csv?from=someday"), 422);
}

}  // namespace
}  // namespace leadproc::apitest
