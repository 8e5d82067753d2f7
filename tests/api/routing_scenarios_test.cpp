// Routing scenarios as data (tests/api/routing_scenarios/*.txt), run black-box against the real
// server on each store (api_sqlite and api_postgresql run this file). A new case is one block
// of text; the format is described in routing_scenarios/README.txt.
#include <gtest/gtest.h>

#include <algorithm>
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

// The routing rules and leave of a `poc` or `set` step's options, as availability fields: cap=N
// and quota=N (or none), weight=N, languages=a,b (or none), nightdesk=yes|no, leave=yes (on leave
// from 2000 to 2100) | no, shifts=all (every day, all day) | none.
void put_rules(const std::map<std::string, std::string>& opt, json::object& body) {
  auto limit = [&](const char* key, const char* field) {
    if (!opt.count(key)) return;
    if (opt.at(key) == "none")
      body[field] = nullptr;
    else
      body[field] = std::stoll(opt.at(key));
  };
  limit("cap", "cap");
  limit("quota", "dailyQuota");
  if (opt.count("weight")) body["weight"] = std::stoi(opt.at("weight"));
  if (opt.count("languages")) {
    json::array tags;
    if (opt.at("languages") != "none")
      for (const auto& t : split(opt.at("languages"), ',')) tags.emplace_back(t);
    body["languages"] = std::move(tags);
  }
  if (opt.count("nightdesk")) body["nightDesk"] = opt.at("nightdesk") == "yes";
  if (opt.count("leave")) {
    json::array leave;
    if (opt.at("leave") == "yes")
      leave.emplace_back(
          json::object{{"from", "2000-01-01T00:00:00Z"}, {"to", "2100-01-01T00:00:00Z"}});
    body["leave"] = std::move(leave);
  }
  if (opt.count("shifts")) {  // all: every day 00:00-24:00 (a rota that always covers now)
    json::array shifts;
    if (opt.at("shifts") == "all")
      for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
        shifts.emplace_back(json::object{{"day", day}, {"start", "00:00"}, {"end", "24:00"}});
    body["shifts"] = std::move(shifts);
  }
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
      } else if (verb == "touch") {
        touch(step);
      } else if (verb == "holds") {
        holds(step);
      } else if (verb == "job") {
        job(step);
      } else if (verb == "close") {
        close(step);
      } else if (verb == "sticky-days") {
        sticky_days(step);
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
    json::object rules;
    put_rules(opt, rules);
    if (!rules.empty()) {
      const Response r = http_.patch("/api/v1/availabilities/" + availabilities_[name], rules);
      ASSERT_EQ(r.status, 200) << r.describe();
    }
  }

  // set NAME available=yes|no: the availability is enabled or disabled (PATCH)
  void set(const Step& step) {
    ASSERT_GE(step.words.size(), 3u);
    const auto opt = options_of(step, 2);
    ASSERT_TRUE(availabilities_.count(step.words[1])) << "no POC " << step.words[1];
    json::object body;
    if (opt.count("available")) body["isAvailable"] = opt.at("available") != "no";
    put_rules(opt, body);
    const Response r =
        http_.patch("/api/v1/availabilities/" + availabilities_[step.words[1]], body);
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // The POC name holding `opp`, or "unassigned".
  std::string assignee_of(const json::value& opp) const {
    std::string assignee = "unassigned";
    for (const char* field : {"assignedPsv._id", "assignedWest._id", "opportunityOwner"}) {
      const json::value& v = at(opp, field);
      if (v.is_string()) {
        const std::string id(v.get_string());
        assignee = names_.count(id) ? names_.at(id) : "<unknown " + id + ">";
      }
    }
    return assignee;
  }

  // lead DEST|- PLATFORM -> NAME|unassigned [status=S] [language=L] [waiting=words_of_reason]
  // [nightdesk=yes] [number=N] [sticky=words_of_the_record's_sticky|none]
  void lead(const Step& step) {
    ASSERT_GE(step.words.size(), 5u);
    ASSERT_EQ(step.words[3], "->");
    const auto opt = options_of(step, 5);
    std::string number = next_mobile();
    if (opt.count("number")) {  // the number of the scenario's N-th lead
      const std::size_t n = std::stoul(opt.at("number"));
      ASSERT_TRUE(n >= 1 && n <= numbers_.size()) << step.where << ": no lead " << n;
      number = numbers_[n - 1];
    }
    numbers_.push_back(number);
    json::object body = lead_body("Scenario Lead", number, step.words[2]);
    if (step.words[1] != "-") body["destination"] = destination_id(step, step.words[1]);
    if (opt.count("language")) body["language"] = opt.at("language");
    const json::object answer = ingest(http_, body);
    const json::value& opp = at(answer, "opportunity");
    leads_.push_back(str(opp, "_id"));
    EXPECT_EQ(assignee_of(opp), step.words[4]) << "the lead of " << step.where;
    if (opt.count("status")) {
      EXPECT_EQ(str(opp, "status"), opt.at("status")) << step.where;
    }
    if (opt.count("waiting")) {
      std::string words = opt.at("waiting");
      std::replace(words.begin(), words.end(), '_', ' ');
      const json::value& reason = at(opp, "awaitingReason");
      ASSERT_TRUE(reason.is_string()) << step.where << ": no awaitingReason";
      EXPECT_NE(std::string(reason.get_string()).find(words), std::string::npos)
          << step.where << ": awaitingReason " << reason.get_string();
    }
    if (opt.count("sticky")) {
      const json::object rec = last_record();
      std::string words = opt.at("sticky");
      std::replace(words.begin(), words.end(), '_', ' ');
      const json::value* sticky = rec.if_contains("sticky");
      if (words == "none")
        EXPECT_EQ(sticky, nullptr) << step.where << ": " << json::serialize(rec);
      else
        EXPECT_TRUE(sticky && std::string(sticky->as_string()).find(words) != std::string::npos)
            << step.where << ": " << json::serialize(rec);
    }
    if (opt.count("nightdesk")) {
      const Response r = http_.get("/api/v1/opportunities/" + leads_.back() + "/routing");
      ASSERT_EQ(r.status, 200) << r.describe();
      const json::value answer = r.json();
      const json::value& records = at(answer, "items");
      ASSERT_TRUE(records.is_array() && !records.get_array().empty()) << r.describe();
      const json::value* desk = records.get_array().back().get_object().if_contains("nightDesk");
      EXPECT_EQ(desk != nullptr && desk->as_bool(), opt.at("nightdesk") == "yes")
          << step.where << ": " << r.describe();
    }
  }

  // touch N -> NAME|unassigned: the scenario's N-th lead (1 = its first) is moved on from its
  // fresh stage by its agent (PSV: to PSVFollowUp1), freeing a place under their cap; it must be
  // held by NAME first.
  void touch(const Step& step) {
    holds(step);
    if (::testing::Test::HasFatalFailure()) return;
    const Response r = http_.post(
        "/api/v1/opportunities/" + leads_[std::stoul(step.words[1]) - 1] + "/transitions",
        json::object{{"to", "PSVFollowUp1"}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // The latest routing record of the scenario's latest lead.
  json::object last_record() {
    const Response r = http_.get("/api/v1/opportunities/" + leads_.back() + "/routing");
    EXPECT_EQ(r.status, 200) << r.describe();
    const json::value answer = r.json();
    const json::value& records = at(answer, "items");
    if (!records.is_array() || records.get_array().empty()) return {};
    return records.get_array().back().get_object();
  }

  // close N: the scenario's N-th lead is closed (PSV disqualifies it).
  void close(const Step& step) {
    ASSERT_GE(step.words.size(), 2u);
    const std::size_t n = std::stoul(step.words[1]);
    ASSERT_TRUE(n >= 1 && n <= leads_.size()) << step.where << ": no lead " << n;
    const Response r =
        http_.post("/api/v1/opportunities/" + leads_[n - 1] + "/transitions",
                   json::object{{"to", "PSVDisqualified"}, {"reasons", json::array{"junk"}}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // sticky-days D: the admin's stickyOwnerDays (PUT /api/v1/routing/settings).
  void sticky_days(const Step& step) {
    ASSERT_GE(step.words.size(), 2u);
    const Response r = http_.put("/api/v1/routing/settings",
                                 json::object{{"stickyOwnerDays", std::stoi(step.words[1])}});
    ASSERT_EQ(r.status, 200) << r.describe();
  }

  // job NAME: runs the scheduled job now (POST /api/v1/jobs/NAME/run)
  void job(const Step& step) {
    ASSERT_GE(step.words.size(), 2u);
    const Response r = http_.post("/api/v1/jobs/" + step.words[1] + "/run", json::object{});
    ASSERT_EQ(r.status / 100, 2) << r.describe();
  }

  // holds N -> NAME|unassigned: who holds the scenario's N-th lead now.
  void holds(const Step& step) {
    ASSERT_GE(step.words.size(), 4u);
    ASSERT_EQ(step.words[2], "->");
    const std::size_t n = std::stoul(step.words[1]);
    ASSERT_TRUE(n >= 1 && n <= leads_.size()) << step.where << ": no lead " << n;
    const Response now = http_.get("/api/v1/opportunities/" + leads_[n - 1]);
    ASSERT_EQ(now.status, 200) << now.describe();
    EXPECT_EQ(assignee_of(now.json()), step.words[3]) << step.where;
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
  std::vector<std::string> leads_;                     // the scenario's leads, in order
  std::vector<std::string> numbers_;                   // their phone numbers, in order
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
