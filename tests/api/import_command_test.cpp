// `leadproc import` as an admin runs it (docs/operations.md, "Importing from MongoDB"): the binary
// over the hand-written mongoexport fixtures (tests/import/fixtures/dump) into the database of a
// running server, read back through the API. The import's rules, case by case and on both
// adapters, are tests/storage/import_contract_test.cpp; this is the command: its exit codes, its
// summary, and that the server serves what it wrote.
#include <sstream>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// rawopportunities.json: line 1 is whole, lines 3 and 4 are bad (bad fields; not JSON).
constexpr const char* kOpportunity = "65a000000000000000000031";

std::string import_command(const TestServer& server, const std::string& args) {
  return std::string(LEADPROC_BINARY) + " --database-url '" + server.database_url() + "' import " +
         args + " 2>&1";
}

// The summary's "total" row: read, imported, skipped, rejected, warnings (empty if absent).
std::vector<long> totals(const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  std::vector<long> n;
  while (std::getline(lines, line)) {
    if (!line.starts_with("total ")) continue;
    std::istringstream fields(line.substr(6));
    long v = 0;
    while (fields >> v) n.push_back(v);
  }
  return n;
}

TEST(ImportCommand, ImportsADumpThatTheServerThenServesAndNeverTwice) {
  TestServer server;
  HttpClient http = server.client();
  ASSERT_EQ(http.get(std::string("/api/v1/opportunities/") + kOpportunity).status, 404);

  auto [code, out] = run_command(import_command(server, LEADPROC_IMPORT_FIXTURES));
  EXPECT_EQ(code, 3) << "two documents are rejected\n" << out;
  EXPECT_NE(out.find("rejected rawopportunities.json:3"), std::string::npos) << out;
  EXPECT_NE(out.find("status: must be one of"), std::string::npos) << out;
  EXPECT_NE(out.find("rejected rawopportunities.json:4"), std::string::npos) << out;
  const std::vector<long> first = totals(out);
  ASSERT_EQ(first.size(), 5u) << out;
  EXPECT_EQ(first[0], 20) << "read";
  EXPECT_EQ(first[1], 18) << "imported";
  EXPECT_EQ(first[3], 2) << "rejected";

  // The running server serves the imported opportunity under its MongoDB id, E.164 number,
  // with its trail.
  Response opp = http.get(std::string("/api/v1/opportunities/") + kOpportunity);
  ASSERT_EQ(opp.status, 200) << opp.describe();
  EXPECT_EQ(str(opp.json(), "name"), "Anil Mehta");
  EXPECT_EQ(str(opp.json(), "number"), "+919876543210");
  EXPECT_EQ(str(opp.json(), "destination.name"), "Goa");
  EXPECT_FALSE(activities_of(http, kOpportunity).empty());

  // Run again: everything already there is skipped, nothing is written twice.
  auto [again_code, again_out] = run_command(import_command(server, LEADPROC_IMPORT_FIXTURES));
  EXPECT_EQ(again_code, 3) << again_out;
  const std::vector<long> second = totals(again_out);
  ASSERT_EQ(second.size(), 5u) << again_out;
  EXPECT_EQ(second[1], 0) << "imported on the second run";
  EXPECT_EQ(second[2], 18) << "skipped on the second run";
}

TEST(ImportCommand, StrictWritesNothingWhenADocumentIsBad) {
  TestServer server;
  HttpClient http = server.client();
  auto [code, out] =
      run_command(import_command(server, std::string("--strict ") + LEADPROC_IMPORT_FIXTURES));
  EXPECT_EQ(code, 3) << out;
  EXPECT_EQ(http.get(std::string("/api/v1/opportunities/") + kOpportunity).status, 404)
      << "--strict wrote the good documents of a dump with bad ones\n"
      << out;
}

TEST(ImportCommand, APathWithNothingToImportIsAnError) {
  TestServer server;
  auto [code, out] = run_command(import_command(server, "/nonexistent/leadproc-dump"));
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("/nonexistent/leadproc-dump"), std::string::npos) << out;
}

}  // namespace
}  // namespace leadproc::apitest
