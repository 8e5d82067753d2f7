// Routing scenarios as data (tests/api/routing_scenarios/*.txt), run black-box against the real
// server on each store (api_sqlite and api_postgresql run this file). A new case is one block
// of text; the format is described in routing_scenarios/README.txt.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace leadproc::apitest {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarioDir = fs::path(LEADPROC_TESTS_DIR) / "api" / "routing_scenarios";

// One line of a scenario: its words, and where it came from (for failure messages).
struct Step {
  std::string where;  // "file.txt:12"
  std::vector<std::string> words;
};

struct Scenario {
  std::string name;
  std::string where;
  std::vector<Step> steps;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Every scenario of every file, in file order. A block starts at "scenario: <name>"; '#' starts
// a comment; blank lines are ignored.
std::vector<Scenario> load_scenarios() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kScenarioDir))
    if (e.path().extension() == ".txt" && e.path().filename() != "README.txt")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Scenario> out;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      std::istringstream words(line);
      std::vector<std::string> w;
      for (std::string word; words >> word;) w.push_back(word);
      if (w.empty()) continue;
      const std::string where = file.filename().string() + ":" + std::to_string(n);
      if (w[0] == "scenario:") {
        std::string name;
        for (std::size_t i = 1; i < w.size(); ++i) name += (i > 1 ? " " : "") + w[i];
        out.push_back({name, where, {}});
        continue;
      }
      if (out.empty()) throw std::runtime_error(where + ": a step before any 'scenario:' line");
      out.back().steps.push_back({where, std::move(w)});
    }
  }
  return out;
}

// key=value options after the positional words of a step.
std::map<std::string, std::string> options_of(const Step& step, std::size_t first) {
  std::map<std::string, std::string> out;
  for (std::size_t i = first; i < step.words.size(); ++i) {
    const auto eq = step.words[i].find('=');
    if (eq == std::string::npos)
      throw FixtureError(step.where + ": expected key=value, got " + step.words[i]);
    out[step.words[i].substr(0, eq)] = step.words[i].substr(eq + 1);
  }
  return out;
}

std::string department_of(const std::string& process) {
  if (process == "Sales") return "SALES";
  if (process == "PSV") return "PSV";
  if (process == "West") return "WEST";
  throw FixtureError("unknown POC process " + process + " (Sales, PSV, West)");
}

// Runs one scenario on a fresh server; every failed expectation names its line.
class ScenarioRun {
 public:
  explicit ScenarioRun(HttpClient& http) : http_(http) {}

  void run(const Scenario& s) {
    for (const auto& step : s.steps) {
      SCOPED_TRACE(step.where);
      const std::string& verb = step.words[0];
      if (verb == "destination") {
        destination(step);
      } else if (verb == "map") {
        map(step);
      } else if (verb == "poc") {
        poc(step);
      } else if (verb == "set") {
        set(step);
      } else if (verb == "lead") {
        lead(step);
      } else if (verb == "count") {
        count(step);
      } else {
        FAIL() << step.where << ": unknown step '" << verb << "'";
      }
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  // destination NAME [preference=P]
  void destination(const Step& step) {
    ASSERT_GE(step.words.size(), 2u);
    const auto opt = options_of(step, 2);
    const double preference = opt.count("preference") ? std::stod(opt.at("preference")) : 1.0;
    destinations_[step.words[1]] =
        create_destination(http_, unique_name(step.words[1]), {}, preference);
  }

  // map PROCESS DEST[:share] ...
  void map(const Step& step) {
    ASSERT_GE(step.words.size(), 3u);
    std::vector<MapEntry> entries;
    for (std::size_t i = 2; i < step.words.size(); ++i) {
      const auto parts = split(step.words[i], ':');
      ASSERT_FALSE(parts.empty());
      entries.emplace_back(destination_id(step, parts[0]),
                           parts.size() > 1 ? std::stoi(parts[1]) : 100);
    }
    create_map(http_, step.words[1], entries);
  }

  // poc NAME PROCESS DEST[,DEST] [source=p,q] [seq=N] [available=no]
  void poc(const Step& step) {
    ASSERT_GE(step.words.size(), 4u);
    const auto opt = options_of(step, 4);
    const std::string& name = step.words[1];
    const std::string& process = step.words[2];
    Poc p;
    p.person_id = create_user(http_, department_of(process), name);
    p.process = process;
    for (const auto& d : split(step.words[3], ','))
      p.destinations.push_back(destination_id(step, d));
    if (opt.count("source")) p.source = split(opt.at("source"), ',');
    if (opt.count("seq")) p.seq = std::stoi(opt.at("seq"));
    if (opt.count("available")) p.is_available = opt.at("available") != "no";
    const json::object created = create_availability(http_, p);
    people_[name] = p.person_id;
    names_[p.person_id] = name;
    availabilities_[name] = str(created, "_id");
  }

  // set NAME available=yes|no: the availability is enabled or disabled (PATCH)
  void set(const Step& step) {
    ASSERT_GE(step.words.size(), 3u);
    const auto opt = options_of(step, 2);
    ASSERT_TRUE(availabilities_.count(step.words[1])) << "no POC " << step.words[1];
    json::object body;
    if (opt.count("available")) body["isAvailable"] = opt.at("available") != "no";
    const Response r =
        http_.patch("/api/v1/availabilities/" + availabilities_[step.words[1]], body);
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // lead DEST|- PLATFORM -> NAME|unassigned [status=S]
  void lead(const Step& step) {
    ASSERT_GE(step.words.size(), 5u);
    ASSERT_EQ(step.words[3], "->");
    const auto opt = options_of(step, 5);
    json::object body = lead_body("Scenario Lead", next_mobile(), step.words[2]);
    if (step.words[1] != "-") body["destination"] = destination_id(step, step.words[1]);
    const json::object answer = ingest(http_, body);
    const json::value& opp = at(answer, "opportunity");
    std::string assignee = "unassigned";
    for (const char* field : {"assignedPsv._id", "assignedWest._id", "opportunityOwner"}) {
      const json::value& v = at(opp, field);
      if (v.is_string()) {
        const std::string id(v.get_string());
        assignee = names_.count(id) ? names_.at(id) : "<unknown " + id + ">";
      }
    }
    EXPECT_EQ(assignee, step.words[4]) << "the lead of " << step.where;
    if (opt.count("status")) {
      EXPECT_EQ(str(opp, "status"), opt.at("status")) << step.where;
    }
  }

  // count NAME PROCESS leadCount=N totalCount=M
  void count(const Step& step) {
    ASSERT_GE(step.words.size(), 3u);
    const auto opt = options_of(step, 3);
    const auto all = availabilities_by_id(http_, step.words[2]);
    ASSERT_TRUE(all.count(availabilities_[step.words[1]])) << "no POC " << step.words[1];
    const json::object& a = all.at(availabilities_[step.words[1]]);
    for (const auto& [key, value] : opt)
      EXPECT_EQ(num(a, key), std::stoll(value)) << step.words[1] << " " << key;
  }

  std::string destination_id(const Step& step, const std::string& name) {
    if (!destinations_.count(name))
      throw FixtureError(step.where + ": no destination " + name + " declared before");
    return destinations_.at(name);
  }

  HttpClient& http_;
  std::map<std::string, std::string> destinations_;    // scenario name -> _id
  std::map<std::string, std::string> people_;          // POC name -> user _id
  std::map<std::string, std::string> names_;           // user _id -> POC name
  std::map<std::string, std::string> availabilities_;  // POC name -> availability _id
};

struct Case {
  Scenario scenario;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.scenario.where << " " << c.scenario.name;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (auto& s : load_scenarios()) out.push_back({std::move(s)});
  return out;
}

class RoutingScenario : public FreshServerTest, public ::testing::WithParamInterface<Case> {};

TEST_P(RoutingScenario, AssignsAsWritten) {
  ASSERT_FALSE(GetParam().scenario.steps.empty()) << "an empty scenario";
  ScenarioRun(http()).run(GetParam().scenario);
}

INSTANTIATE_TEST_SUITE_P(Files, RoutingScenario, ::testing::ValuesIn(cases()),
                         [](const auto& info) {
                           std::string name;
                           for (char c : info.param.scenario.name)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(RoutingScenarioFiles, AreFoundAndParsed) {
  EXPECT_GE(cases().size(), 5u) << "scenario files in " << kScenarioDir;
}

}  // namespace
}  // namespace leadproc::apitest
