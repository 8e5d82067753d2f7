// `leadproc import` as an admin runs it (docs/operations.md, "Importing from MongoDB"): the binary
// over the hand-written mongoexport fixtures (tests/import/fixtures/dump) into the database of a
// running server, read back through the API. The import's rules, case by case and on both
// adapters, are tests/storage/import_contract_test.cpp; this is the command: its exit codes, its
// summary, and that the server serves what it wrote.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

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
  // Not a terminal here: each file ends with its plain progress line (docs/operations.md).
  EXPECT_NE(out.find("import rawopportunities.json  4 documents in "), std::string::npos) << out;

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

// kill -9 in the middle of an import (after the batch that wrote the 7th document: a test-only
// setting, so no timing), then the same command again: it goes on where the first stopped and
// the database ends as after one clean import, nothing doubled.
TEST(ImportCommand, AKilledImportRunAgainEndsAsOneCleanImport) {
  TestServer clean;
  HttpClient clean_http = clean.client();
  auto [clean_code, clean_out] =
      run_command(import_command(clean, "--batch-size 2 " + std::string(LEADPROC_IMPORT_FIXTURES)));
  ASSERT_EQ(clean_code, 3) << clean_out;

  TestServer server;
  HttpClient http = server.client();
  auto [killed_code, killed_out] = run_command(
      "LEADPROC_TEST_IMPORT_KILL_AFTER=7 " +
      import_command(server, "--batch-size 2 " + std::string(LEADPROC_IMPORT_FIXTURES)));
  EXPECT_EQ(killed_code, 128 + SIGKILL) << "killed by SIGKILL (as the shell reports it)\n"
                                        << killed_out;
  EXPECT_TRUE(totals(killed_out).empty()) << "no summary after kill -9\n" << killed_out;

  auto [code, out] = run_command(
      import_command(server, "--batch-size 2 " + std::string(LEADPROC_IMPORT_FIXTURES)));
  EXPECT_EQ(code, 3) << out;
  const std::vector<long> resumed = totals(out);
  ASSERT_EQ(resumed.size(), 5u) << out;
  EXPECT_GE(resumed[2], 7) << "what the killed run wrote is kept and skipped\n" << out;
  EXPECT_GT(resumed[1], 0) << "the rest is written by the second run\n" << out;
  EXPECT_EQ(resumed[1] + resumed[2], 18) << "together one clean import\n" << out;
  EXPECT_EQ(resumed[3], 2) << "rejected";

  // The records are the clean import's: the opportunity with its trail, once.
  Response opp = http.get(std::string("/api/v1/opportunities/") + kOpportunity);
  ASSERT_EQ(opp.status, 200) << opp.describe();
  Response clean_opp = clean_http.get(std::string("/api/v1/opportunities/") + kOpportunity);
  EXPECT_EQ(opp.json(), clean_opp.json());
  EXPECT_EQ(activities_of(http, kOpportunity).size(),
            activities_of(clean_http, kOpportunity).size());

  auto [again_code, again_out] = run_command(import_command(server, LEADPROC_IMPORT_FIXTURES));
  const std::vector<long> again = totals(again_out);
  ASSERT_EQ(again.size(), 5u) << again_out;
  EXPECT_EQ(again[1], 0) << "a third run writes nothing\n" << again_out;
  EXPECT_EQ(again[2], 18) << again_out;
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

// A directory of mongoexport files written by a test, removed with it.
class DumpDir {
 public:
  DumpDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("leadproc-import-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++));
    std::filesystem::create_directories(path_);
  }
  ~DumpDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  DumpDir(const DumpDir&) = delete;
  DumpDir& operator=(const DumpDir&) = delete;
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
  inline static int next_ = 0;
};

// The second user's email is the first's in other case: a unique rule of leadproc that only the
// store sees. --strict must leave none of the documents written, not the ones before it.
TEST(ImportCommand, StrictWritesNothingWhenTheStoreRefusesADocument) {
  TestServer server;
  DumpDir dump;
  dump.write(
      "users.json",
      R"({"_id":{"$oid":"64a000000000000000000001"},"email":"a@import.test","department":"ADMIN"})"
      "\n"
      R"({"_id":{"$oid":"64a000000000000000000002"},"email":"A@import.test","department":"ADMIN"})"
      "\n"
      R"({"_id":{"$oid":"64a000000000000000000003"},"email":"c@import.test","department":"ADMIN"})"
      "\n");
  auto [code, out] = run_command(import_command(server, "--strict " + dump.path()));
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("rejected users.json:2: refused by the store: another user has the email "
                     "A@import.test"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("UNIQUE"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing written (--strict)"), std::string::npos) << out;
  // A dry run afterwards finds none of the three stored.
  auto [dry_code, dry_out] = run_command(import_command(server, "--dry-run " + dump.path()));
  const std::vector<long> dry = totals(dry_out);
  ASSERT_EQ(dry.size(), 5u) << dry_out;
  EXPECT_EQ(dry[1], 3) << "to import after a failed --strict run\n" << out << dry_out;
  EXPECT_EQ(dry[2], 0) << "skipped (stored) after a failed --strict run\n" << out << dry_out;
}

// --strict prints the warnings of what it writes (once each), as an import without it does.
TEST(ImportCommand, StrictShowsTheWarningsOnce) {
  TestServer server;
  DumpDir dump;
  dump.write(
      "users.json",
      R"({"_id":{"$oid":"64a000000000000000000011"},"email":"w@import.test","department":"SALES"})"
      "\n");
  auto [code, out] = run_command(import_command(server, "--strict " + dump.path()));
  EXPECT_EQ(code, 0) << out;
  const std::string warning = "warning users.json:1: no password hash";
  const auto first = out.find(warning);
  EXPECT_NE(first, std::string::npos) << out;
  EXPECT_EQ(out.find(warning, first + 1), std::string::npos) << "shown twice\n" << out;
  const std::vector<long> n = totals(out);
  ASSERT_EQ(n.size(), 5u) << out;
  EXPECT_EQ(n[1], 1) << "imported";
  EXPECT_EQ(n[4], 1) << "warnings";
}

// `mongoexport --pretty` writes each document over several lines: read whole, located by their
// first line; a bad one is one rejection, not one per line.
TEST(ImportCommand, ReadsPrettyPrintedExports) {
  TestServer server;
  DumpDir dump;
  dump.write(
      "destinations.json",
      "{\n  \"_id\": {\"$oid\": \"64b000000000000000000901\"},\n  \"name\": \"Pretty\"\n}\n"
      "{\n  \"_id\": {\"$oid\": \"64b000000000000000000902\"},\n  \"name\": 7\n}\n"
      "{\n  \"_id\": {\"$oid\": \"64b000000000000000000903\"},\n  \"name\": \"Bad JSON\",,\n}\n"
      "{\n  \"_id\": {\"$oid\": \"64b000000000000000000904\"},\n  \"name\": \"Also\"\n}\n");
  auto [code, out] = run_command(import_command(server, dump.path()));
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("rejected destinations.json:5:"), std::string::npos) << out;
  EXPECT_NE(out.find("rejected destinations.json:9:"), std::string::npos) << out;
  const std::vector<long> n = totals(out);
  ASSERT_EQ(n.size(), 5u) << out;
  EXPECT_EQ(n[0], 4) << "read\n" << out;
  EXPECT_EQ(n[1], 2) << "imported\n" << out;
  EXPECT_EQ(n[3], 2) << "rejected\n" << out;
}

// A document over a size limit (docs/api.md "Field limits", the same as the API's) or holding a
// NUL character is rejected with the field and the reason, like any bad field, on both stores;
// the others are imported.
TEST(ImportCommand, ADocumentOverASizeLimitIsRejectedWithTheFieldAndTheReason) {
  TestServer server;
  HttpClient http = server.client();
  DumpDir dump;
  const std::string head =
      R"({"leadSource":{"platform":"website"},"_id":{"$oid":"65b0000000000000000000)";
  dump.write("leads.json", head + R"(21"},"name":"Fine","number":"9876500021"})" + "\n" + head +
                               R"(22"},"name":"Long","number":"9876500022","email":")" +
                               std::string(300, 'e') + R"(@example.com"})" + "\n" + head +
                               R"(23"},"name":"N\u0000ul","number":"9876500023"})" + "\n");
  auto [code, out] = run_command(import_command(server, dump.path()));
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("rejected leads.json:2: document not imported\n"
                     "    email: must be at most 254 characters"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("rejected leads.json:3: document not imported\n"
                     "    name: must not contain a NUL character"),
            std::string::npos)
      << out;
  const std::vector<long> n = totals(out);
  ASSERT_EQ(n.size(), 5u) << out;
  EXPECT_EQ(n[1], 1) << "imported\n" << out;
  EXPECT_EQ(n[3], 2) << "rejected\n" << out;
  EXPECT_EQ(http.get("/api/v1/leads/65b000000000000000000021").status, 200);
  EXPECT_EQ(http.get("/api/v1/leads/65b000000000000000000022").status, 404);
  EXPECT_EQ(http.get("/api/v1/leads/65b000000000000000000023").status, 404);
}

TEST(ImportCommand, APathWithNothingToImportIsAnError) {
  TestServer server;
  auto [code, out] = run_command(import_command(server, "/nonexistent/leadproc-dump"));
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("/nonexistent/leadproc-dump"), std::string::npos) << out;
}

}  // namespace
}  // namespace leadproc::apitest
