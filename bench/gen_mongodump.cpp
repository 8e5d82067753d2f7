// leadproc-gen-dump: writes a mongodump directory of the old MongoDB system at the spec's upper
// sizes (1,000,000 leads and rawopportunities, 5,000,000 activities, 500,000 notes and 500,000
// follow-ups, plus 500 users, 200 destinations, the process maps, availabilities and 10,000 web
// URLs), so that anyone can measure `leadproc import` (docs/benchmarks.md "Import").
//
// The files are what mongodump writes: `<out>/<db>/<collection>.bson` (concatenated BSON
// documents) and `<collection>.metadata.json` beside each. The documents have the shapes of the
// import tests' fixtures (tests/import/fixtures/dump): canonical Extended JSON built from a
// template per collection and turned into BSON by libbson, so that the types are MongoDB's own
// ($oid, $date, int32/int64, double). Every reference names a document of the dump, ids carry
// the time of their createdAt, one opportunity in ten is a duplicate of the one before it (same
// number and destination, counted in the original's reInquiries), and every open original has
// its own number, so that a clean import rejects nothing.
//
//   leadproc-gen-dump --out bench-data/dump [--scale 0.1] [--db crm]
//   leadproc --database-url sqlite:bench-data/import.db import bench-data/dump/crm
#include <bson/bson.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <unistd.h>

#include "cli/progress.h"

namespace fs = std::filesystem;
using leadproc::cli::Progress;

namespace {

constexpr std::int64_t kBaseSeconds = 1672531200;  // 2023-01-01T00:00:00Z

// Ids whose first four bytes are the creation time (ObjectId), then a kind byte and a counter.
std::string oid(std::int64_t seconds, int kind, std::int64_t n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08llx%02x%014llx",
                static_cast<unsigned long long>(seconds) & 0xffffffffULL, kind & 0xff,
                static_cast<unsigned long long>(n) & 0xffffffffffffffULL);
  return buf;
}
std::string oid_json(const std::string& id) {
  return "{\"$oid\":\"" + id + "\"}";
}
std::string date_json(std::int64_t seconds) {
  return "{\"$date\":{\"$numberLong\":\"" + std::to_string(seconds * 1000) + "\"}}";
}
std::string str(const std::string& s) {
  return "\"" + s + "\"";
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// One collection's .bson file and its .metadata.json.
class BsonFile {
 public:
  BsonFile(const fs::path& dir, const std::string& collection) {
    file_.reset(std::fopen((dir / (collection + ".bson")).c_str(), "wb"));
    if (!file_) throw std::runtime_error("cannot write " + (dir / collection).string() + ".bson");
    std::setvbuf(file_.get(), nullptr, _IOFBF, 1 << 20);
    std::unique_ptr<std::FILE, FileCloser> meta(
        std::fopen((dir / (collection + ".metadata.json")).c_str(), "wb"));
    if (!meta) throw std::runtime_error("cannot write " + collection + ".metadata.json");
    std::fprintf(meta.get(),
                 "{\"indexes\":[{\"v\":{\"$numberInt\":\"2\"},\"key\":{\"_id\":{\"$numberInt\":"
                 "\"1\"}},\"name\":\"_id_\"}],\"uuid\":\"%032x\",\"collectionName\":\"%s\","
                 "\"type\":\"collection\"}",
                 static_cast<unsigned>(collection.size()), collection.c_str());
  }

  void write(const std::string& json) {
    bson_t doc;
    bson_error_t error;
    if (!bson_init_from_json(&doc, json.data(), static_cast<ssize_t>(json.size()), &error))
      throw std::runtime_error(std::string("bad template: ") + error.message + ": " + json);
    std::fwrite(bson_get_data(&doc), 1, doc.len, file_.get());
    bson_destroy(&doc);
  }

 private:
  std::unique_ptr<std::FILE, FileCloser> file_;
};

struct Sizes {
  std::int64_t users, destinations, weburls, leads, activities_per_opp, notes_every,
      followups_every;
};

const char* const kFirst[] = {"Anil", "Priya", "Ravi", "Meera", "Arjun", "Kavya", "Rohan", "Isha"};
const char* const kLast[] = {"Mehta", "Shah", "Kumar", "Iyer", "Rao", "Nair", "Gupta", "Das"};
const char* const kPlatforms[] = {"website", "instagram", "whatsapp_bot", "paid_ads", "dc"};

std::string person_name(std::int64_t i) {
  return std::string(kFirst[i % 8]) + " " + kLast[(i / 8) % 8];
}

// Users: an admin, then PSV and Sales people in turn (the POCs of the availabilities).
void users(const fs::path& dir, const Sizes& s) {
  BsonFile f(dir, "users");
  const char* const departments[] = {"PSV", "SALES"};
  for (std::int64_t i = 0; i < s.users; ++i) {
    const std::string dept = i == 0 ? "ADMIN" : departments[i % 2];
    f.write(
        "{\"_id\":" + oid_json(oid(kBaseSeconds - 86400, 1, i)) + ",\"email\":\"user" +
        std::to_string(i) + "@example.com\",\"firstName\":" + str(kFirst[i % 8]) +
        ",\"lastName\":" + str(kLast[i % 8]) +
        ",\"credentials\":\"$2a$04$/AvDaTHLZiXAnabSYE79JOZArZi.GiVyPkL6Dx2Vq6.f7F7yh7T3.\","
        "\"phone\":{\"countryCode\":\"+91\",\"number\":\"98" +
        std::to_string(10000000 + i) + "\"},\"department\":" + str(dept) +
        ",\"isActive\":true,\"deleted\":false,\"createdAt\":" + date_json(kBaseSeconds - 86400) +
        ",\"updatedAt\":" + date_json(kBaseSeconds - 86400) + ",\"__v\":{\"$numberInt\":\"0\"}}");
  }
}

std::string destination_id(std::int64_t d) {
  return oid(kBaseSeconds - 86400, 2, d);
}
std::string destination_name(std::int64_t d) {
  return "Destination " + std::to_string(d);
}

void destinations(const fs::path& dir, const Sizes& s) {
  BsonFile f(dir, "destinations");
  for (std::int64_t d = 0; d < s.destinations; ++d)
    f.write("{\"_id\":" + oid_json(destination_id(d)) + ",\"name\":" + str(destination_name(d)) +
            ",\"slugs\":[\"destination-" + std::to_string(d) +
            "\"],\"preference\":{\"$numberDouble\":\"0.5\"},\"deleted\":false,\"createdAt\":" +
            date_json(kBaseSeconds - 86400) + ",\"updatedAt\":" + date_json(kBaseSeconds - 86400) +
            "}");
}

// One map per process over every destination, and one availability per PSV or Sales user.
void routing(const fs::path& dir, const Sizes& s) {
  BsonFile maps(dir, "processdestinationmaps");
  const char* const processes[] = {"PSV", "WEST"};  // processdestinationmaps.process
  for (int p = 0; p < 2; ++p) {
    std::string list;
    for (std::int64_t d = 0; d < s.destinations; ++d)
      list += std::string(d ? "," : "") + "{\"_id\":" + str(destination_id(d)) +
              ",\"name\":" + str(destination_name(d)) +
              ",\"isActive\":true,\"loadShare\":{\"$numberInt\":\"1\"},\"counter\":{\"$numberInt\":"
              "\"0\"}}";
    maps.write("{\"_id\":" + oid_json(oid(kBaseSeconds - 86400, 3, p)) +
               ",\"process\":" + str(processes[p]) + ",\"destinations\":[" + list +
               "],\"deleted\":false,\"createdAt\":" + date_json(kBaseSeconds - 86400) +
               ",\"updatedAt\":" + date_json(kBaseSeconds - 86400) + "}");
  }
  BsonFile avail(dir, "availabilities");
  for (std::int64_t i = 1; i < s.users; ++i)
    avail.write("{\"_id\":" + oid_json(oid(kBaseSeconds - 86400, 4, i)) +
                ",\"personId\":" + oid_json(oid(kBaseSeconds - 86400, 1, i)) +
                ",\"isAvailable\":true,\"process\":" + str(i % 2 ? "PSV" : "Sales") +
                ",\"source\":[\"WEBSITE\",\"instagram\"],\"destinations\":[{\"_id\":" +
                oid_json(destination_id(i % s.destinations)) +
                ",\"name\":" + str(destination_name(i % s.destinations)) +
                "}],\"seq\":{\"$numberInt\":\"" + std::to_string(i) +
                "\"},\"leadCount\":{\"$numberInt\":\"0\"},\"totalCount\":{\"$numberInt\":\"0\"},"
                "\"deleted\":false,\"createdAt\":" +
                date_json(kBaseSeconds - 86400) +
                ",\"updatedAt\":" + date_json(kBaseSeconds - 86400) + "}");
}

std::string page(std::int64_t w) {
  return "https://www.example.com/blog/post-" + std::to_string(w);
}

void weburls(const fs::path& dir, const Sizes& s) {
  BsonFile f(dir, "weburls");
  for (std::int64_t w = 0; w < s.weburls; ++w)
    f.write(
        "{\"_id\":" + oid_json(oid(kBaseSeconds - 86400, 5, w)) + ",\"url\":" + str(page(w)) +
        ",\"consumed\":true,\"destination\":{\"_id\":" + str(destination_id(w % s.destinations)) +
        ",\"name\":" + str(destination_name(w % s.destinations)) + "},\"hits\":{\"$numberInt\":\"" +
        std::to_string(s.leads / std::max<std::int64_t>(1, s.weburls)) +
        "\"},\"createdAt\":" + date_json(kBaseSeconds - 86400) +
        ",\"updatedAt\":" + date_json(kBaseSeconds - 86400) + "}");
}

// Lead i arrives 30 s after lead i-1; its opportunity a second later. One in ten is a
// re-inquiry: the same person (number) and destination as the lead before it.
struct LeadShape {
  std::int64_t at;  // seconds
  std::int64_t person;
  std::int64_t destination;
  bool duplicate;
};
LeadShape lead_shape(const Sizes& s, std::int64_t i) {
  const bool dup = i % 10 == 9;
  const std::int64_t person = dup ? i - 1 : i;
  return {kBaseSeconds + i * 30, person, (person * 7) % s.destinations, dup};
}
std::string number(std::int64_t person) {
  return "+919" + std::to_string(100000000 + person);
}
std::string lead_id(const LeadShape& l, std::int64_t i) {
  return oid(l.at, 6, i);
}
std::string opp_id(const Sizes& s, std::int64_t i) {
  return oid(lead_shape(s, i).at + 1, 7, i);
}
std::string user_id(const Sizes& s, std::int64_t i) {
  return oid(kBaseSeconds - 86400, 1, 1 + i % std::max<std::int64_t>(1, s.users - 1));
}

void leads_and_opportunities(const fs::path& dir, const Sizes& s, Progress& progress,
                             std::int64_t& done) {
  BsonFile leads(dir, "leads");
  BsonFile opps(dir, "rawopportunities");
  for (std::int64_t i = 0; i < s.leads; ++i) {
    const LeadShape l = lead_shape(s, i);
    const std::string name = person_name(l.person);
    const std::string platform = kPlatforms[i % 5];
    const std::string url = page(i % s.weburls);
    const std::string dest = destination_id(l.destination);
    leads.write(
        "{\"_id\":" + oid_json(lead_id(l, i)) + ",\"traceID\":\"tr-" + std::to_string(i) +
        "\",\"name\":" + str(name) + ",\"number\":" + str(number(l.person)) +
        ",\"email\":\"person" + std::to_string(l.person) +
        "@example.com\",\"pax\":{\"$numberInt\":\"" + std::to_string(1 + i % 4) +
        "\"},\"leadSource\":{\"platform\":" + str(platform) +
        ",\"primarySource\":\"blog\"},\"sourceMeta\":{\"formName\":\"goa-form\"},\"page\":" +
        str(url) + ",\"utmSource\":\"google\",\"isPushed\":true,\"activeLeads\":[" +
        str(opp_id(s, i)) + "],\"createdAt\":" + date_json(l.at) +
        ",\"modifiedAt\":" + date_json(l.at) + "}");
    const bool has_dup = i + 1 < s.leads && lead_shape(s, i + 1).duplicate;
    const std::string owner = user_id(s, i);
    std::string doc =
        "{\"_id\":" + oid_json(opp_id(s, i)) + ",\"leadId\":" + oid_json(lead_id(l, i)) +
        ",\"traceID\":\"tr-" + std::to_string(i) + "\",\"name\":" + str(name) +
        ",\"number\":" + str(number(l.person)) + ",\"email\":\"person" + std::to_string(l.person) +
        "@example.com\",\"pax\":\"2\",\"destination\":{\"_id\":" + oid_json(dest) +
        ",\"name\":" + str(destination_name(l.destination)) +
        "},\"travelDate\":\"March 2024\",\"travelMonthDateFormat\":" +
        date_json(l.at + 60 * 86400) + ",\"leadSource\":{\"platform\":" + str(platform) +
        ",\"primarySource\":\"blog\"},\"page\":" + str(url) +
        ",\"utmSource\":\"google\",\"filterationProcess\":\"PSV\",";
    if (l.duplicate) {
      doc += "\"duplicateOf\":" + oid_json(opp_id(s, i - 1)) +
             ",\"isDuplicate\":true,\"isPushed\":false,\"status\":\"Dormant\",\"reInquiries\":{"
             "\"$numberInt\":\"0\"},\"opportunityScore\":{\"$numberInt\":\"0\"},";
    } else {
      doc +=
          "\"isDuplicate\":false,\"isPushed\":true,\"isQualified\":true,\"assignedPsv\":{"
          "\"_id\":" +
          oid_json(owner) + ",\"name\":" + str(person_name(1 + i % (s.users - 1))) +
          "},\"opportunityOwner\":" + oid_json(owner) +
          ",\"status\":\"Open\",\"filtrationStatus\":{\"stage\":\"PSVQualified\",\"filter\":"
          "\"PSV\",\"disqualificationReason\":[]},\"crmStageMeta\":{\"stage\":\"fresh_lead\","
          "\"subStage\":\"FRESH_LEAD\",\"followupCount\":{\"$numberInt\":\"0\"},\"crmEntryAt\":" +
          date_json(l.at + 3600) + "},\"reInquiries\":{\"$numberInt\":\"" + (has_dup ? "1" : "0") +
          "\"},\"opportunityScore\":{\"$numberDouble\":\"12.5\"},\"tags\":[\"visa\"],";
    }
    doc += "\"createdAt\":" + date_json(l.at + 1) + ",\"updatedAt\":" + date_json(l.at + 3600) +
           ",\"__v\":{\"$numberInt\":\"0\"}}";
    opps.write(doc);
    done += 2;
    progress.update(done);
  }
}

void activities_notes_followups(const fs::path& dir, const Sizes& s, Progress& progress,
                                std::int64_t& done) {
  BsonFile acts(dir, "opportunityactivities");
  BsonFile notes(dir, "opportunitynotes");
  BsonFile fups(dir, "opportunityfollowups");
  std::int64_t a = 0;
  for (std::int64_t i = 0; i < s.leads; ++i) {
    const std::int64_t at = lead_shape(s, i).at;
    const std::string opp = oid_json(opp_id(s, i));
    const std::string owner = user_id(s, i);
    for (std::int64_t k = 0; k < s.activities_per_opp; ++k, ++a) {
      const std::int64_t when = at + 2 + k * 600;
      std::string doc = "{\"_id\":" + oid_json(oid(when, 8, a)) + ",\"oppId\":" + opp;
      if (k == 0)
        doc += ",\"activityPhase\":\"PSV\",\"description\":\"assigned to " +
               person_name(1 + i % (s.users - 1)) +
               "\",\"changes\":[{\"field\":\"assignedPsv\",\"previousValue\":null,\"newValue\":{"
               "\"_id\":" +
               str(owner) + ",\"name\":" + str(person_name(1 + i % (s.users - 1))) + "}}]";
      else
        doc += ",\"activityBy\":" + oid_json(owner) +
               ",\"activityPhase\":\"CRM\",\"description\":\"called the customer\",\"changes\":[{"
               "\"field\":\"status\",\"previousValue\":\"InPSV\",\"newValue\":\"Open\"}]";
      doc += ",\"createdAt\":" + date_json(when) + ",\"updatedAt\":" + date_json(when) + "}";
      acts.write(doc);
    }
    done += s.activities_per_opp;
    if (i % s.notes_every == 0) {
      notes.write(
          "{\"_id\":" + oid_json(oid(at + 3, 9, i)) + ",\"oppId\":" + opp +
          ",\"note\":\"Wants a beach villa; call after 6 pm.\",\"createdBy\":" + oid_json(owner) +
          ",\"createdAt\":" + date_json(at + 3) + ",\"updatedAt\":" + date_json(at + 3) + "}");
      ++done;
    }
    if (i % s.followups_every == 0) {
      fups.write("{\"_id\":" + oid_json(oid(at + 4, 10, i)) + ",\"oppId\":" + opp +
                 ",\"stage\":\"fresh_lead\",\"subStage\":\"first_contact\",\"count\":{"
                 "\"$numberInt\":\"1\"},\"reminderDate\":" +
                 date_json(at + 86400) + ",\"status\":\"active\",\"createdAt\":" +
                 date_json(at + 4) + ",\"updatedAt\":" + date_json(at + 4) + "}");
      ++done;
    }
    progress.update(done);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadproc-gen-dump: a mongodump of the old system at the spec's upper sizes"};
  std::string out;
  std::string db = "crm";
  double scale = 1.0;
  app.add_option("--out", out, "directory to write (the files go into <out>/<db>/)")->required();
  app.add_option("--db", db, "the database name of the dump")->capture_default_str();
  app.add_option("--scale", scale, "fraction of the upper sizes (1 = 8 million documents)")
      ->capture_default_str()
      ->check(CLI::Range(0.00001, 10.0));
  CLI11_PARSE(app, argc, argv);

  try {
    Sizes s{};
    s.leads = std::max<std::int64_t>(10, static_cast<std::int64_t>(1'000'000 * scale));
    s.users = std::max<std::int64_t>(3, static_cast<std::int64_t>(500 * std::min(1.0, scale * 10)));
    s.destinations =
        std::max<std::int64_t>(2, static_cast<std::int64_t>(200 * std::min(1.0, scale * 10)));
    s.weburls =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(10'000 * std::min(1.0, scale * 10)));
    s.activities_per_opp = 5;
    s.notes_every = 2;
    s.followups_every = 2;
    const fs::path dir = fs::path(out) / db;
    fs::create_directories(dir);
    users(dir, s);
    destinations(dir, s);
    routing(dir, s);
    weburls(dir, s);
    const std::int64_t total = s.leads * (2 + s.activities_per_opp) + (s.leads + 1) / 2 * 2;
    Progress progress(std::cerr, Progress::is_terminal(STDERR_FILENO), "generate dump",
                      "documents");
    progress.set_total(total);
    std::int64_t done = 0;
    leads_and_opportunities(dir, s, progress, done);
    activities_notes_followups(dir, s, progress, done);
    progress.finish(done);
    std::cout << "wrote " << done << " documents (" << s.leads << " leads and opportunities, "
              << s.leads * s.activities_per_opp << " activities, " << (s.leads + 1) / 2
              << " notes and follow-ups) to " << dir.string() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "leadproc-gen-dump: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
