// The `leadproc` command line as an operator meets it: a mistyped command is named, with the
// commands that exist, and exits 2; `--version` (and `version`) says which build is running.
#include <regex>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// Runs leadproc with `args` (no database needed) and returns its exit code and all it printed.
std::pair<int, std::string> leadproc(const std::string& args) {
  return run_command(std::string(LEADPROC_BINARY) + " " + args + " 2>&1");
}

// Every top-level command, each listed once per line.
void expect_command_list(const std::string& out) {
  for (const char* command :
       {"serve", "migrate", "import", "demo-data", "user", "routes", "jobs", "version"})
    EXPECT_TRUE(std::regex_search(out, std::regex(std::string("\n  ") + command + " ")))
        << "'" << command << "' is not listed:\n"
        << out;
}

TEST(Cli, AnUnknownCommandIsNamedWithTheCommandsThatExist) {
  auto [code, out] = leadproc("bogus");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("unknown command 'bogus'"), std::string::npos) << out;
  expect_command_list(out);

  // Global options first change nothing.
  std::tie(code, out) = leadproc("--database-url sqlite:/nonexistent/x.db bogus");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("unknown command 'bogus'"), std::string::npos) << out;

  // A command of a command, too.
  std::tie(code, out) = leadproc("user bogus");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("unknown command 'bogus'"), std::string::npos) << out;
  EXPECT_NE(out.find("\n  create "), std::string::npos) << out;
  EXPECT_NE(out.find("\n  set-password "), std::string::npos) << out;
}

TEST(Cli, NoCommandListsTheCommands) {
  auto [code, out] = leadproc("");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("a command is required"), std::string::npos) << out;
  expect_command_list(out);
}

TEST(Cli, VersionPrintsTheProjectVersionAndTheCommit) {
  // "leadproc 0.1.0" and, when built from a git checkout, " (commit 1a2b3c4d5e6f[-dirty])".
  const std::regex shape(std::string("leadproc ") +
                         std::regex_replace(LEADPROC_PROJECT_VERSION, std::regex("\\."), "\\.") +
                         "( \\(commit [0-9a-f]{7,40}(-dirty)?\\))?\n");
  auto [code, out] = leadproc("--version");
  EXPECT_EQ(code, 0) << out;
  EXPECT_TRUE(std::regex_match(out, shape)) << out;
  auto [sub_code, sub_out] = leadproc("version");
  EXPECT_EQ(sub_code, 0) << sub_out;
  EXPECT_EQ(sub_out, out);
}

}  // namespace
}  // namespace leadproc::apitest
