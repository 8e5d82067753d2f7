#include "cli/import_command.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "app/import_data.h"
#include "cli/app_runtime.h"
#include "cli/progress.h"
#include "import/file_sources.h"

namespace leadproc::cli {
namespace fs = std::filesystem;
namespace {

constexpr int kImportMmapMib = 64;

struct Row {
  std::string collection;
  std::string files;
  ImportCounts counts;
};

void print_problem(std::ostream& err, std::string_view what, const ImportProblem& p) {
  err << what << " " << p.location << ": " << p.detail << "\n";
  for (const auto& f : p.fields) err << "    " << f.field << ": " << f.reason << "\n";
}

void print_summary(const std::vector<Row>& rows, bool dry_run) {
  ImportCounts total;
  auto line = [](const std::string& c, const std::string& files, const ImportCounts& n) {
    std::cout << std::left << std::setw(31) << c << std::right << std::setw(10) << n.read
              << std::setw(10) << n.imported << std::setw(10) << n.skipped << std::setw(10)
              << n.rejected << std::setw(10) << n.warnings << "  " << files << "\n";
  };
  std::cout << std::left << std::setw(31) << "collection" << std::right << std::setw(10) << "read"
            << std::setw(10) << (dry_run ? "to import" : "imported") << std::setw(10) << "skipped"
            << std::setw(10) << "rejected" << std::setw(10) << "warnings"
            << "  files\n";
  for (const auto& r : rows) {
    line(r.collection, r.files, r.counts);
    total += r.counts;
  }
  line("total", "", total);
}

std::int64_t imported(const std::vector<Row>& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.counts.imported;
  return n;
}

// For tests only: LEADPROC_TEST_IMPORT_KILL_AFTER=N ends the process with SIGKILL (kill -9: no
// clean-up runs) once at least N documents are written, after the commit of the batch that
// wrote them, so that a test interrupts an import at a known point without timing
// (tests/api/import_command_test.cpp, resuming).
void kill_if_asked(std::int64_t written) {
  static const std::int64_t after = [] {
    const char* v = std::getenv("LEADPROC_TEST_IMPORT_KILL_AFTER");
    return v ? std::atoll(v) : 0;
  }();
  if (after > 0 && written >= after) std::raise(SIGKILL);
}

// One pass over every file, its reports written to `err`; false when the import could not go on
// (a store failure). With `tx`, every write is in it (--strict), and the pass ends at the first
// document the store refuses (the transaction can then only be rolled back).
bool run(AppContext& ctx, const std::vector<import::ImportFile>& files, const ImportOptions& o,
         int max_warnings, std::vector<Row>& rows, std::ostream& err, WriteTx* tx = nullptr) {
  std::map<import::Collection, std::size_t> row_of;
  std::map<import::Collection, int> warned;
  for (const auto& f : files) {
    const auto& name = import::info(f.collection).name;
    auto [it, added] = row_of.emplace(f.collection, rows.size());
    if (added) rows.push_back(Row{std::string(name), "", {}});
    Row& row = rows[it->second];
    row.files += (row.files.empty() ? "" : ", ") + f.path.filename().string();
    auto source = import::open_file(f.path);
    if (!source) {
      ++row.counts.rejected;
      print_problem(err, "rejected",
                    ImportProblem{f.path.string(), source.error().detail, source.error().fields});
      continue;
    }
    ImportSink sink;
    sink.rejected = [&](const ImportProblem& p) { print_problem(err, "rejected", p); };
    int& shown = warned[f.collection];
    sink.warning = [&](const ImportProblem& p) {
      if (shown++ < max_warnings) print_problem(err, "warning", p);
    };
    // Straight to stderr, never into the held reports of --strict: progress is for now.
    Progress progress(std::cerr, Progress::is_terminal(STDERR_FILENO),
                      "import " + f.path.filename().string(), "documents");
    const std::int64_t imported_before = imported(rows);
    sink.progress = [&](const ImportCounts& n, std::optional<double> fraction) {
      progress.update(n.read, fraction);
      kill_if_asked(imported_before + n.imported);
    };
    sink.step = [&](const std::string& what) { progress.note(what); };
    auto counts = tx ? import_documents(*tx, ctx, f.collection, **source, o, sink)
                     : import_documents(ctx, f.collection, **source, o, sink);
    if (counts) progress.finish(counts->read);
    if (!counts) {
      err << "leadproc: import: " << f.path.string() << ": " << counts.error().detail << "\n";
      return false;
    }
    row.counts += *counts;
    if (counts->refused > 0 && tx) break;
  }
  for (const auto& [c, n] : warned)
    if (n > max_warnings)
      err << "warning: " << (n - max_warnings) << " more warnings of " << import::info(c).name
          << " not shown\n";
  return true;
}

std::int64_t refused(const std::vector<Row>& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.counts.refused;
  return n;
}

std::int64_t rejected(const std::vector<Row>& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.counts.rejected;
  return n;
}

// --strict: every file in one write transaction, committed only if no document is rejected,
// whether by the decoder or by the store (a unique rule), so that a failed import leaves the
// database as it was. The reports are held until the transaction ends: an adapter may run it
// again (a retried serialization failure), and only the last run's reports are true.
int import_strict(AppContext& ctx, const std::vector<import::ImportFile>& files,
                  const ImportOptions& options, const ImportCommand& cmd) {
  std::vector<Row> rows;
  std::ostringstream reports;
  bool stopped = false;  // a store failure, already reported
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    rows.clear();
    reports.str("");
    stopped = false;
    if (!run(ctx, files, options, cmd.max_warnings, rows, reports, &tx)) {
      stopped = true;
      return Error::unavailable("the import could not go on", 0);
    }
    if (rejected(rows) > 0) return Error::conflict("rejected documents (--strict)");
    return ok_status();
  });
  std::cerr << reports.str();
  if (stopped) return 1;
  if (s) {
    print_summary(rows, false);
    return 0;
  }
  if (rejected(rows) == 0) {  // the commit failed
    std::cerr << "leadproc: import: " << s.error().detail << "\n";
    return 1;
  }
  print_summary(rows, true);
  std::cout << "nothing written (--strict): " << rejected(rows)
            << " documents are rejected; fix them or import without --strict\n";
  if (refused(rows) > 0)
    std::cout << "the import stopped at the document the store refused: the documents after it "
                 "were not checked\n";
  return 3;
}

}  // namespace

int import_command(const Settings& settings, const ImportCommand& cmd) {
  std::vector<fs::path> paths(cmd.paths.begin(), cmd.paths.end());
  std::vector<fs::path> ignored;
  auto files = import::files_to_import(paths, ignored);
  if (!files) {
    std::cerr << "leadproc: import: " << files.error().detail << "\n";
    for (const auto& f : files.error().fields)
      std::cerr << "  " << f.field << ": " << f.reason << "\n";
    return 1;
  }
  for (const auto& p : ignored)  // mongodump writes <collection>.metadata.json beside each file
    if (!p.filename().string().ends_with(".metadata.json"))
      std::cerr << "ignored " << p.string() << " (not a collection leadproc imports)\n";
  if (files->empty()) {
    std::cerr << "leadproc: import: no <collection>.bson or <collection>.json files found "
                 "(mongodump writes them in DIR/<database>/)\n";
    return 1;
  }
  // The import's reads are its own batch's id checks: a memory map of the whole database (the
  // server's 1 GiB default) would only count its pages in the import's resident memory.
  Settings import_settings = settings;
  import_settings.sqlite_mmap_mib = std::min(settings.sqlite_mmap_mib, kImportMmapMib);
  auto runtime = AppRuntime::open(import_settings);
  if (!runtime) {
    std::cerr << "leadproc: import: " << runtime.error().detail << "\n";
    return 1;
  }
  ImportOptions options;
  options.batch_size = cmd.batch_size;
  if (cmd.strict && !cmd.dry_run) return import_strict((*runtime)->context(), *files, options, cmd);
  options.dry_run = cmd.dry_run;
  std::vector<Row> rows;
  if (!run((*runtime)->context(), *files, options, cmd.max_warnings, rows, std::cerr)) return 1;
  print_summary(rows, cmd.dry_run);
  if (cmd.dry_run) std::cout << "dry run: nothing written\n";
  return rejected(rows) > 0 ? 3 : 0;
}

}  // namespace leadproc::cli
