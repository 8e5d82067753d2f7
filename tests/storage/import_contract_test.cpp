// `leadproc import` end to end over the Store port, against every adapter (SQLite always;
// PostgreSQL when LEADPROC_TEST_PG_URL is set, run by the storage_pg test): the hand-written
// mongoexport fixtures of tests/import/fixtures/dump (relaxed Extended JSON with some canonical
// values, one --jsonArray file, two bad documents), and the same documents as mongodump BSON and
// canonical Extended JSON, written here with libbson. What a migrating admin relies on: ids and
// references kept, re-runs write nothing twice, bad documents named with their place and
// fields, BSON and JSON giving the same records.
#include <bson/bson.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/import_data.h"
#include "codec/json_codec.h"
#include "contract_fixture.h"
#include "crypto/bcrypt.h"
#include "import/file_sources.h"

namespace leadproc {
namespace {

namespace fs = std::filesystem;
using storage_test::at;

const fs::path kDump = fs::path(LEADPROC_IMPORT_FIXTURES) / "dump";

// The fixtures' ids.
const Id kAdmin = "65a000000000000000000001";
const Id kSales = "65a000000000000000000002";
const Id kPsv = "65a000000000000000000003";
const Id kGoa = "65a000000000000000000011";
const Id kLead1 = "65a000000000000000000021";
const Id kOpp = "65a000000000000000000031";
const Id kDuplicate = "65a000000000000000000032";
const Id kBadOpp = "65a000000000000000000033";

struct ImportRun {
  std::map<std::string, ImportCounts> counts;  // by collection name
  std::vector<ImportProblem> rejected;
  std::vector<ImportProblem> warnings;
  std::vector<std::string> steps;  // ImportSink::step
  ImportCounts total;
};

// What `leadproc import PATH` does (src/cli/import_command.cpp), without the printing.
ImportRun import_path(AppContext& ctx, const fs::path& path, ImportOptions options = {}) {
  ImportRun run;
  std::vector<fs::path> ignored;
  auto files = import::files_to_import({path}, ignored);
  EXPECT_TRUE(files.ok());
  if (!files) return run;
  ImportSink sink;
  sink.rejected = [&](const ImportProblem& p) { run.rejected.push_back(p); };
  sink.warning = [&](const ImportProblem& p) { run.warnings.push_back(p); };
  sink.step = [&](const std::string& what) { run.steps.push_back(what); };
  for (const auto& f : *files) {
    auto source = import::open_file(f.path);
    EXPECT_TRUE(source.ok()) << f.path;
    if (!source) continue;
    auto counts = import_documents(ctx, f.collection, **source, options, sink);
    EXPECT_TRUE(counts.ok()) << (counts.ok() ? "" : counts.error().detail);
    if (!counts) continue;
    run.counts[std::string(import::info(f.collection).name)] += *counts;
    run.total += *counts;
  }
  return run;
}

// The documents of a fixture file as JSON texts (lines, or the items of a --jsonArray file).
std::vector<std::string> documents_of(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  std::vector<std::string> out;
  if (s.find_first_not_of(" \n") != std::string::npos && s[s.find_first_not_of(" \n")] == '[') {
    const boost::json::value items = boost::json::parse(s);
    for (const auto& item : items.get_array()) out.push_back(boost::json::serialize(item));
    return out;
  }
  std::istringstream lines(s);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Writes every fixture document libbson can read as `<collection>.bson` (mongodump) into
// `bson_dir` and as canonical Extended JSON lines into `canonical_dir`. Documents libbson refuses
// (the fixtures' malformed ones) are left out of both.
void write_bson_and_canonical(const fs::path& bson_dir, const fs::path& canonical_dir) {
  for (const auto& e : fs::directory_iterator(kDump)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".metadata.json") || !name.ends_with(".json")) continue;
    const std::string stem = name.substr(0, name.size() - 5);
    std::ofstream bson_out(bson_dir / (stem + ".bson"), std::ios::binary);
    std::ofstream json_out(canonical_dir / name);
    for (const auto& doc : documents_of(e.path())) {
      bson_t b;
      bson_error_t error;
      if (!bson_init_from_json(&b, doc.c_str(), static_cast<ssize_t>(doc.size()), &error)) continue;
      bson_out.write(reinterpret_cast<const char*>(bson_get_data(&b)), b.len);
      char* canonical = bson_as_canonical_extended_json(&b, nullptr);
      json_out << canonical << "\n";
      bson_free(canonical);
      bson_destroy(&b);
    }
  }
}

class ImportContract : public storage_test::ContractTest {
 protected:
  // An application context over `store` (the fixture's by default).
  std::unique_ptr<AppContext> context(Store* store = nullptr) {
    return std::make_unique<AppContext>(AppContext{store ? *store : *store_, phones_, ids_,
                                                   [] { return at(1'705'000'000'000); },
                                                   AppConfig{}});
  }

  PhoneNormalizer phones_{"IN"};
  ObjectIdGenerator ids_{0x1234567890, 1};
};

TEST_P(ImportContract, KeepsIdsAndReferences) {
  auto ctx = context();
  ImportRun run = import_path(*ctx, kDump);
  EXPECT_EQ(run.counts["users"].imported, 3);
  EXPECT_EQ(run.counts["destinations"].imported, 2);
  EXPECT_EQ(run.counts["opportunityscoreconfiguration"].imported, 1);
  EXPECT_EQ(run.counts["processdestinationmaps"].imported, 1);
  EXPECT_EQ(run.counts["availabilities"].imported, 2);
  EXPECT_EQ(run.counts["weburls"].imported, 1);
  EXPECT_EQ(run.counts["leads"].imported, 2);
  EXPECT_EQ(run.counts["rawopportunities"].read, 4);
  EXPECT_EQ(run.counts["rawopportunities"].imported, 2);
  EXPECT_EQ(run.counts["rawopportunities"].rejected, 2);
  EXPECT_EQ(run.counts["opportunityactivities"].imported, 2);
  EXPECT_EQ(run.counts["opportunitynotes"].imported, 1);
  EXPECT_EQ(run.counts["opportunityfollowups"].imported, 1);

  // The opportunity is readable by its MongoDB id, with its references as they were.
  auto opp = read([](ReadTx& tx) { return tx.get_opportunity(kOpp); });
  ASSERT_OK(opp);
  ASSERT_TRUE(opp->has_value());
  const Opportunity& o = **opp;
  EXPECT_EQ(o.lead_id, kLead1);
  EXPECT_EQ(o.number, "+919876543210");  // E.164, so that duplicate detection finds it
  EXPECT_EQ(o.raw_number, "98765 43210");
  ASSERT_TRUE(o.destination.has_value());
  EXPECT_EQ(o.destination->id, kGoa);
  EXPECT_EQ(o.opportunity_owner, kSales);
  ASSERT_TRUE(o.assigned_psv.has_value());
  EXPECT_EQ(o.assigned_psv->id, kPsv);
  EXPECT_EQ(o.status, OpportunityStatus::kOpen);
  EXPECT_EQ(o.re_inquiries, 1);  // counters as given
  EXPECT_EQ(o.opportunity_score, 12.5);
  EXPECT_EQ(o.pax, "2");
  ASSERT_TRUE(o.crm_stage_meta.has_value());
  EXPECT_EQ(o.crm_stage_meta->crm_entry_at, at(1704988800000));  // canonical $date
  EXPECT_EQ(o.created_at, at(1704985200000));
  EXPECT_EQ(o.updated_at, at(1704988800000));  // relaxed $date
  EXPECT_EQ(o.travel_month_date_format, at(1709251200000));
  EXPECT_EQ(o.attribution.at("utmSource"), "google");

  auto dup = read([](ReadTx& tx) { return tx.get_opportunity(kDuplicate); });
  ASSERT_OK(dup);
  ASSERT_TRUE(dup->has_value());
  EXPECT_EQ((*dup)->duplicate_of, kOpp);
  EXPECT_TRUE((*dup)->is_duplicate);
  EXPECT_EQ((*dup)->lead_source.platform, Platform::kInstagram);  // "INSTAGRAM" read as its key

  // Its activities, notes and follow-ups are attached to it.
  auto activities = read([](ReadTx& tx) { return tx.list_activities(kOpp, Page{}); });
  ASSERT_OK(activities);
  ASSERT_EQ(activities->size(), 2u);
  EXPECT_EQ((*activities)[0].id, "65a000000000000000000082");  // newest first
  EXPECT_EQ((*activities)[0].activity_by, kPsv);
  ASSERT_EQ((*activities)[0].changes.size(), 1u);
  EXPECT_EQ((*activities)[0].changes[0].previous_value, "\"InPSV\"");
  auto notes = read([](ReadTx& tx) { return tx.list_notes(kOpp, Page{}); });
  ASSERT_OK(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].created_by, kSales);
  auto followups = read([](ReadTx& tx) { return tx.list_followups(kOpp); });
  ASSERT_OK(followups);
  ASSERT_EQ(followups->size(), 1u);
  EXPECT_EQ((*followups)[0].sub_stage, FollowUpSubStage::kFirstContact);
  EXPECT_EQ((*followups)[0].owner, kSales);  // the opportunity's owner: in their due lists
  auto due = read([](ReadTx& tx) {
    return tx.list_due_followups(DueWindow{
        .from = std::nullopt, .to = std::nullopt, .owner = kSales, .after = std::nullopt});
  });
  ASSERT_OK(due);
  EXPECT_EQ(due->size(), 1u);

  // The lead, the configuration records and their counters.
  auto lead = read([](ReadTx& tx) { return tx.get_lead(kLead1); });
  ASSERT_OK(lead);
  ASSERT_TRUE(lead->has_value());
  EXPECT_EQ((*lead)->number, "+919876543210");
  EXPECT_EQ((*lead)->pax, 2.0);
  EXPECT_EQ((*lead)->active_leads, std::vector<Id>{kOpp});
  auto admin = read([](ReadTx& tx) { return tx.get_user(kAdmin); });
  ASSERT_OK(admin);
  ASSERT_TRUE(admin->has_value());
  EXPECT_TRUE(verify_password("Correct-Horse-9", (*admin)->credentials));  // bcrypt $2a$ kept
  auto psv = read([](ReadTx& tx) { return tx.get_user(kPsv); });
  ASSERT_OK(psv);
  EXPECT_TRUE((*psv)->credentials.empty());  // must have a password set
  auto poc = read([](ReadTx& tx) { return tx.get_availability("65a000000000000000000061"); });
  ASSERT_OK(poc);
  ASSERT_TRUE(poc->has_value());
  EXPECT_EQ((*poc)->person_id, kPsv);
  EXPECT_EQ((*poc)->person_name, "Priya Shah");  // from the user
  EXPECT_EQ((*poc)->lead_count, 4);
  EXPECT_EQ((*poc)->total_count, 40);
  EXPECT_EQ((*poc)->source, (std::vector<Platform>{Platform::kWebsite, Platform::kInstagram}));
  auto map = read([](ReadTx& tx) { return tx.find_process_map(FiltrationProcess::kPsv); });
  ASSERT_OK(map);
  ASSERT_TRUE(map->has_value());
  EXPECT_EQ((*map)->id, "65a000000000000000000051");
  ASSERT_EQ((*map)->destinations.size(), 2u);
  EXPECT_EQ((*map)->destinations[0].counter, 7);
  auto url =
      read([](ReadTx& tx) { return tx.find_weburl("https://www.example.com/blog/goa-beaches"); });
  ASSERT_OK(url);
  ASSERT_TRUE(url->has_value());
  EXPECT_EQ((*url)->hits, 12);
  EXPECT_TRUE((*url)->consumed);
  auto config = read([](ReadTx& tx) { return tx.active_score_config(); });
  ASSERT_OK(config);
  ASSERT_TRUE(config->has_value());
  EXPECT_EQ((*config)->re_enquiries, 2.5);
}

TEST_P(ImportContract, RerunImportsNothingTwice) {
  auto ctx = context();
  ImportRun first = import_path(*ctx, kDump, ImportOptions{.batch_size = 2});
  EXPECT_EQ(first.total.imported, 18);
  ImportRun second = import_path(*ctx, kDump, ImportOptions{.batch_size = 2});
  EXPECT_EQ(second.total.imported, 0);
  EXPECT_EQ(second.total.skipped, 18);
  EXPECT_EQ(second.total.rejected, 2);  // still reported, still not written
  auto activities = read([](ReadTx& tx) { return tx.list_activities(kOpp, Page{}); });
  ASSERT_OK(activities);
  EXPECT_EQ(activities->size(), 2u);
  auto opps = read([](ReadTx& tx) { return tx.list_opportunities({}, Page{}); });
  ASSERT_OK(opps);
  EXPECT_EQ(opps->size(), 2u);
}

// Opportunities into an empty store are written without their secondary indexes, which are
// built after the rows (SQLite; PostgreSQL defers none; deferred_indexes_test.cpp checks that
// every index comes back as it was).
// Into a store that holds opportunities, nothing is deferred.
TEST_P(ImportContract, OpportunitiesIntoAnEmptyStoreAreIndexedAfterTheirRows) {
  auto ctx = context();
  ImportRun first = import_path(*ctx, kDump);
  if (GetParam().name == "SQLite") {
    ASSERT_EQ(first.steps.size(), 1u);
    EXPECT_TRUE(first.steps[0].starts_with("building ")) << first.steps[0];
  } else {
    EXPECT_TRUE(first.steps.empty());
  }
  auto listed = read([](ReadTx& tx) { return tx.list_opportunities({}, Page{}); });
  ASSERT_OK(listed);
  EXPECT_EQ(listed->size(), 2u);
  ImportRun second = import_path(*ctx, kDump);
  EXPECT_TRUE(second.steps.empty());
}

TEST_P(ImportContract, BadDocumentsAreReportedWithPlaceAndFields) {
  auto ctx = context();
  ImportRun run = import_path(*ctx, kDump);
  ASSERT_EQ(run.rejected.size(), 2u);
  const auto& bad = run.rejected[0];
  EXPECT_EQ(bad.location, "rawopportunities.json:3");
  std::map<std::string, std::string> fields;
  for (const auto& f : bad.fields) fields[f.field] = f.reason;
  EXPECT_EQ(fields.size(), 3u);
  EXPECT_TRUE(fields.count("status"));
  EXPECT_TRUE(fields.count("destination._id"));
  EXPECT_TRUE(fields.count("createdAt"));
  EXPECT_EQ(run.rejected[1].location, "rawopportunities.json:4");  // not JSON at all
  auto stored = read([](ReadTx& tx) { return tx.get_opportunity(kBadOpp); });
  ASSERT_OK(stored);
  EXPECT_FALSE(stored->has_value());
}

TEST_P(ImportContract, DryRunWritesNothing) {
  auto ctx = context();
  ImportRun run = import_path(*ctx, kDump, ImportOptions{.dry_run = true});
  EXPECT_EQ(run.total.imported, 18);  // would be
  EXPECT_EQ(run.total.rejected, 2);
  auto users = read([](ReadTx& tx) {
    return tx.list_users(
        UserFilter{.department = std::nullopt, .is_active = std::nullopt, .include_deleted = true});
  });
  ASSERT_OK(users);
  EXPECT_TRUE(users->empty());
}

// A unique rule of leadproc that the MongoDB data breaks fails the batch; the batch is then
// written document by document, so that only the offender is rejected.
TEST_P(ImportContract, StoreConflictRejectsOnlyTheOffender) {
  auto ctx = context();
  std::vector<import::SourceDocument> docs;
  for (
      const char* text :
      {R"({"_id":{"$oid":"65b000000000000000000001"},"email":"a@example.com","department":"SALES"})",
       R"({"_id":{"$oid":"65b000000000000000000002"},"email":"A@example.com","department":"PSV"})",
       R"({"_id":{"$oid":"65b000000000000000000003"},"email":"c@example.com","department":"WEST"})"})
    docs.push_back({"users.json:x", boost::json::parse(text).as_object()});
  import::VectorSource source(std::move(docs));
  std::vector<ImportProblem> rejected;
  ImportSink sink;
  sink.rejected = [&](const ImportProblem& p) { rejected.push_back(p); };
  auto counts = import_documents(*ctx, import::Collection::kUsers, source, ImportOptions{}, sink);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->imported, 2);
  EXPECT_EQ(counts->rejected, 1);
  EXPECT_EQ(counts->refused, 1);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].location, "users.json:x");
  // The rule in plain words, not the driver's message; the location is not repeated in it.
  EXPECT_EQ(rejected[0].detail,
            "refused by the store: another user has the email A@example.com (emails are unique, "
            "ignoring case, among users not deleted)");
  auto c = read([](ReadTx& tx) { return tx.get_user("65b000000000000000000003"); });
  ASSERT_OK(c);
  EXPECT_TRUE(c->has_value());
}

// Users of import_documents' tests, from JSON texts.
import::VectorSource users_source(std::initializer_list<const char*> texts){
    std::vector<import::SourceDocument> docs;
int line = 0;
for (const char* text : texts)
  docs.push_back({"users.json:" + std::to_string(++line), boost::json::parse(text).as_object()});
return import::VectorSource(std::move(docs));
}  // namespace

// `leadproc import --strict`: every document in the caller's one transaction, rolled back when
// any is rejected; here the store refuses the second user (one email, case-insensitively), after
// the first was written in the same transaction. Nothing of the import may remain.
TEST_P(ImportContract, StrictImportInOneTransactionLeavesNothingWhenTheStoreRefuses) {
  auto ctx = context();
  std::vector<ImportProblem> rejected;
  ImportSink sink;
  sink.rejected = [&](const ImportProblem& p) { rejected.push_back(p); };
  auto strict = [&](import::VectorSource source, ImportCounts& counts) {
    return store_->write([&](WriteTx& tx) -> Status {
      rejected.clear();
      auto n = import_documents(tx, *ctx, import::Collection::kUsers, source,
                                ImportOptions{.batch_size = 1}, sink);
      if (!n) return n.error();
      counts = *n;
      if (n->rejected > 0) return Error::conflict("rejected (strict)");
      return ok_status();
    });
  };
  ImportCounts counts;
  Status s = strict(
      users_source(
          {R"({"_id":{"$oid":"65b000000000000000000001"},"email":"a@example.com","department":"SALES"})",
           R"({"_id":{"$oid":"65b000000000000000000002"},"email":"A@example.com","department":"PSV"})",
           R"({"_id":{"$oid":"65b000000000000000000003"},"email":"c@example.com","department":"WEST"})"}),
      counts);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(counts.imported, 1);  // the first, rolled back with the rest
  EXPECT_EQ(counts.refused, 1);
  EXPECT_EQ(counts.read, 2);  // the import stopped at the refusal
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].location, "users.json:2");
  EXPECT_NE(rejected[0].detail.find("another user has the email A@example.com"), std::string::npos);
  auto users = read([](ReadTx& tx) {
    return tx.list_users(
        UserFilter{.department = std::nullopt, .is_active = std::nullopt, .include_deleted = true});
  });
  ASSERT_OK(users);
  EXPECT_TRUE(users->empty()) << "--strict left " << users->size() << " users written";

  // Without a rejection the transaction commits everything; an id met again in the same
  // transaction (a later batch) is skipped.
  Status ok = strict(
      users_source(
          {R"({"_id":{"$oid":"65b000000000000000000001"},"email":"a@example.com","department":"SALES"})",
           R"({"_id":{"$oid":"65b000000000000000000003"},"email":"c@example.com","department":"WEST"})",
           R"({"_id":{"$oid":"65b000000000000000000001"},"email":"b@example.com","department":"PSV"})"}),
      counts);
  ASSERT_OK(ok);
  EXPECT_EQ(counts.imported, 2);
  EXPECT_EQ(counts.skipped, 1);
  users = read([](ReadTx& tx) {
    return tx.list_users(
        UserFilter{.department = std::nullopt, .is_active = std::nullopt, .include_deleted = true});
  });
  ASSERT_OK(users);
  EXPECT_EQ(users->size(), 2u);
}

// Two open originals of one number and destination: the refusal names the rule, the normalised
// number and the destination.
TEST_P(ImportContract, OpenOriginalRefusalIsSaidInPlainWords) {
  auto ctx = context();
  std::vector<import::SourceDocument> docs;
  for (
      const char* text :
      {R"({"_id":{"$oid":"65b000000000000000000031"},"name":"A","number":"9876500001","status":"Open",)"
       R"("leadSource":{"platform":"website"},"destination":{"_id":{"$oid":"65a000000000000000000011"},"name":"Goa"}})",
       R"({"_id":{"$oid":"65b000000000000000000032"},"name":"A","number":"+91 98765 00001","status":"Open",)"
       R"("leadSource":{"platform":"website"},"destination":{"_id":{"$oid":"65a000000000000000000011"},"name":"Goa"}})"})
    docs.push_back({"rawopportunities.json:x", boost::json::parse(text).as_object()});
  import::VectorSource source(std::move(docs));
  std::vector<ImportProblem> rejected;
  ImportSink sink;
  sink.rejected = [&](const ImportProblem& p) { rejected.push_back(p); };
  auto counts =
      import_documents(*ctx, import::Collection::kOpportunities, source, ImportOptions{}, sink);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->imported, 1);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].detail,
            "refused by the store: another open original opportunity has the number "
            "+919876500001 and the destination 65a000000000000000000011 (one may be open per "
            "number and destination: the others are duplicates, isDuplicate, or closed)");
}

// A dry run remembers every id it counted, so that its counts are those of a real import
// whatever the batch size.
TEST_P(ImportContract, DryRunCountsDoNotDependOnTheBatchSize) {
  auto ctx = context();
  for (int batch_size : {1, 2, 500}) {
    auto source = users_source(
        {R"({"_id":{"$oid":"65b000000000000000000001"},"email":"a@example.com","department":"SALES"})",
         R"({"_id":{"$oid":"65b000000000000000000002"},"email":"b@example.com","department":"PSV"})",
         R"({"_id":{"$oid":"65b000000000000000000001"},"email":"c@example.com","department":"WEST"})"});
    auto counts = import_documents(*ctx, import::Collection::kUsers, source,
                                   ImportOptions{.dry_run = true, .batch_size = batch_size}, {});
    ASSERT_OK(counts);
    EXPECT_EQ(counts->imported, 2) << "batch size " << batch_size;
    EXPECT_EQ(counts->skipped, 1) << "batch size " << batch_size;
  }
}

// Every record of a store, as the codec writes it, by id.
std::map<Id, std::string> everything(Store& store) {
  std::map<Id, std::string> out;
  auto put = [&](const Id& id, const boost::json::object& o) {
    out[id] = boost::json::serialize(o);
  };
  Status s = store.read([&](ReadTx& tx) -> Status {
    // Each list is held in a variable: a range-for over *tx.list_...() would outlive the Result.
    auto users = tx.list_users(
        UserFilter{.department = std::nullopt, .is_active = std::nullopt, .include_deleted = true});
    for (const auto& u : *users) {
      auto o = codec::to_json(u);
      o["credentials"] = u.credentials;
      put(u.id, o);
    }
    auto destinations = tx.list_destinations(true);
    for (const auto& d : *destinations) put(d.id, codec::to_json(d));
    auto maps = tx.list_process_maps(true);
    for (const auto& m : *maps) put(m.id, codec::to_json(m));
    auto pocs = tx.list_availabilities(AvailabilityFilter{
        .process = std::nullopt, .person_id = std::nullopt, .include_deleted = true});
    for (const auto& a : *pocs) put(a.id, codec::to_json(a));
    auto urls = tx.list_weburls(WebUrlFilter{});
    for (const auto& w : *urls) put(w.id, codec::to_json(w));
    auto configs = tx.list_score_configs();
    for (const auto& c : *configs)
      out[c.id] = std::to_string(c.hot_lead) + " " + std::to_string(c.is_active);
    for (const auto& id : {kLead1, Id("65a000000000000000000022")}) {
      auto l = tx.get_lead(id);
      if (*l) put(id, codec::to_json(**l));
    }
    auto opps = tx.list_opportunities({}, Page{});
    for (const auto& o : *opps) {
      put(o.id, codec::to_json(o));
      auto activities = tx.list_activities(o.id, Page{});
      for (const auto& a : *activities) put(a.id, codec::to_json(a));
      auto notes = tx.list_notes(o.id, Page{});
      for (const auto& n : *notes) put(n.id, codec::to_json(n));
      auto followups = tx.list_followups(o.id);
      for (const auto& f : *followups) put(f.id, codec::to_json(f));
    }
    return ok_status();
  });
  EXPECT_TRUE(s.ok());
  return out;
}

TEST_P(ImportContract, BsonAndJsonGiveTheSameRecords) {
  storage_test::TempDir tmp("import-bson");
  const fs::path bson_dir = tmp.path() / "mongodump";
  const fs::path canonical_dir = tmp.path() / "canonical";
  fs::create_directories(bson_dir);
  fs::create_directories(canonical_dir);
  write_bson_and_canonical(bson_dir, canonical_dir);

  auto ctx = context();
  ImportRun json_run = import_path(*ctx, kDump);
  auto bson_db = GetParam().fresh_database();
  auto bson_store = bson_db();
  ASSERT_OK(bson_store->migrate());
  auto bson_ctx = context(bson_store.get());
  ImportRun bson_run = import_path(*bson_ctx, bson_dir);
  auto canonical_db = GetParam().fresh_database();
  auto canonical_store = canonical_db();
  ASSERT_OK(canonical_store->migrate());
  auto canonical_ctx = context(canonical_store.get());
  ImportRun canonical_run = import_path(*canonical_ctx, canonical_dir);

  EXPECT_EQ(bson_run.total.imported, 18);
  EXPECT_EQ(bson_run.total.rejected, 0);  // libbson refused the malformed ones when writing
  EXPECT_EQ(canonical_run.total.imported, 18);
  auto from_json = everything(*store_);
  EXPECT_EQ(from_json.size(), 18u);
  EXPECT_EQ(everything(*bson_store), from_json);
  EXPECT_EQ(everything(*canonical_store), from_json);
}

TEST_P(ImportContract, ExistingIdsNamesTheStoredOnes) {
  auto ctx = context();
  import_path(*ctx, kDump);
  auto ids = read([](ReadTx& tx) {
    return tx.existing_ids(RecordKind::kOpportunity, {kOpp, kBadOpp, kDuplicate, kOpp});
  });
  ASSERT_OK(ids);
  std::sort(ids->begin(), ids->end());
  EXPECT_EQ(*ids, (std::vector<Id>{kOpp, kDuplicate}));
  auto none = read([](ReadTx& tx) { return tx.existing_ids(RecordKind::kNote, {}); });
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  auto users = read([](ReadTx& tx) { return tx.existing_ids(RecordKind::kUser, {kOpp, kPsv}); });
  ASSERT_OK(users);
  EXPECT_EQ(*users, std::vector<Id>{kPsv});
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportContract,
                         ::testing::ValuesIn(storage_test::contract_backends("import")),
                         [](const auto& info) { return info.param.name; });

}  // namespace leadproc
}  // namespace leadproc
