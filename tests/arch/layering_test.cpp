// The layering of src/ (src/layers.txt) checked against every #include line under src/, so a
// layer that reaches where it must not fails here instead of in review.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSrc = LEADPROC_SOURCE_DIR "/src";

// path under src/ (a folder or a file) -> what its files may include.
using Rules = std::map<std::string, std::vector<std::string>>;

Rules read_rules() {
  Rules rules;
  std::ifstream in(kSrc / "layers.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string path, allowed;
    words >> path;
    if (path.empty()) continue;
    auto& list = rules[path];
    while (words >> allowed) list.push_back(allowed);
  }
  return rules;
}

bool is_std_header(const std::string& name) {
  static const std::set<std::string> kCHeaders = {
      "assert.h", "ctype.h", "errno.h",  "limits.h", "math.h", "signal.h", "stddef.h",
      "stdint.h", "stdio.h", "stdlib.h", "string.h", "time.h", "stdarg.h", "float.h"};
  if (name.find('/') == std::string::npos && name.find('.') == std::string::npos) return true;
  return kCHeaders.count(name) > 0;
}

bool is_posix_header(const std::string& name) {
  static const std::set<std::string> kFiles = {"unistd.h",  "fcntl.h",  "termios.h",
                                               "poll.h",    "malloc.h", "dlfcn.h",
                                               "pthread.h", "netdb.h",  "sched.h"};
  static const std::vector<std::string> kFolders = {"sys/", "arpa/", "netinet/"};
  if (kFiles.count(name)) return true;
  return std::any_of(kFolders.begin(), kFolders.end(),
                     [&](const std::string& f) { return name.rfind(f, 0) == 0; });
}

bool admits(const std::string& allowed, const std::string& name) {
  if (allowed == "std") return is_std_header(name);
  if (allowed == "posix") return is_posix_header(name);
  return name.rfind(allowed, 0) == 0;
}

// The rules that apply to `file` (a path under src/): every rule whose path is the file or a
// folder above it.
std::vector<std::string> rules_for(const Rules& rules, const std::string& file) {
  std::vector<std::string> out;
  for (const auto& [path, allowed] : rules) {
    if (file == path || file.rfind(path + "/", 0) == 0)
      out.insert(out.end(), allowed.begin(), allowed.end());
  }
  return out;
}

std::vector<fs::path> source_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kSrc)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".cpp" || ext == ".h")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Layering, TheRulesFileIsReadAndCoversEveryFolder) {
  const Rules rules = read_rules();
  ASSERT_FALSE(rules.empty()) << "src/layers.txt not found or empty";
  for (const auto& file : source_files()) {
    const std::string rel = fs::relative(file, kSrc).generic_string();
    EXPECT_FALSE(rules_for(rules, rel).empty()) << rel << " has no rule in src/layers.txt";
  }
}

TEST(Layering, EveryIncludeIsAdmittedByItsLayer) {
  const Rules rules = read_rules();
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::size_t checked = 0;
  for (const auto& file : source_files()) {
    const std::string rel = fs::relative(file, kSrc).generic_string();
    const auto allowed = rules_for(rules, rel);
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (!std::regex_search(line, m, kInclude)) continue;
      const std::string name = m[1];
      ++checked;
      const bool ok = std::any_of(allowed.begin(), allowed.end(),
                                  [&](const std::string& a) { return admits(a, name); });
      EXPECT_TRUE(ok) << "src/" << rel << ":" << n << " includes <" << name
                      << ">, which its layer does not admit (src/layers.txt)";
    }
  }
  EXPECT_GT(checked, 500u);  // the walk really read the tree
}

// The checker itself: a rule admits by prefix, `std` takes standard headers only.
TEST(Layering, TheCheckerRefusesWhatARuleDoesNotName) {
  EXPECT_TRUE(admits("std", "vector"));
  EXPECT_TRUE(admits("std", "cstdint"));
  EXPECT_FALSE(admits("std", "boost/json/value.hpp"));
  EXPECT_FALSE(admits("std", "sqlite3.h"));
  EXPECT_TRUE(admits("posix", "sys/random.h"));
  EXPECT_FALSE(admits("posix", "boost/asio/post.hpp"));
  EXPECT_TRUE(admits("domain/", "domain/model.h"));
  EXPECT_FALSE(admits("domain/", "app/store.h"));
  const Rules rules = {{"http", {"http/"}}, {"http/server.cpp", {"boost/beast/"}}};
  EXPECT_EQ(rules_for(rules, "http/server.cpp").size(), 2u);
  EXPECT_EQ(rules_for(rules, "http/router.cpp").size(), 1u);
  EXPECT_TRUE(rules_for(rules, "httpd/x.cpp").empty());
}

}  // namespace
