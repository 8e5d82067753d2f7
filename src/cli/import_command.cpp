#include "cli/import_command.h"

#include <iomanip>
#include <iostream>
#include <map>

#include "app/import_data.h"
#include "cli/app_runtime.h"
#include "import/file_sources.h"

namespace leadproc::cli {
namespace fs = std::filesystem;
namespace {

struct Row {
  std::string collection;
  std::string files;
  ImportCounts counts;
};

void print_problem(std::string_view what, const ImportProblem& p) {
  std::cerr << what << " " << p.location << ": " << p.detail << "\n";
  for (const auto& f : p.fields) std::cerr << "    " << f.field << ": " << f.reason << "\n";
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

// One pass over every file; false when the import could not go on (a store failure).
bool run(AppContext& ctx, const std::vector<import::ImportFile>& files, const ImportOptions& o,
         int max_warnings, std::vector<Row>& rows) {
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
      print_problem("rejected",
                    ImportProblem{f.path.string(), source.error().detail, source.error().fields});
      continue;
    }
    ImportSink sink;
    sink.rejected = [](const ImportProblem& p) { print_problem("rejected", p); };
    int& shown = warned[f.collection];
    sink.warning = [&](const ImportProblem& p) {
      if (shown++ < max_warnings) print_problem("warning", p);
    };
    auto counts = import_documents(ctx, f.collection, **source, o, sink);
    if (!counts) {
      std::cerr << "leadproc: import: " << f.path.string() << ": " << counts.error().detail << "\n";
      return false;
    }
    row.counts += *counts;
  }
  for (const auto& [c, n] : warned)
    if (n > max_warnings)
      std::cerr << "warning: " << (n - max_warnings) << " more warnings of " << import::info(c).name
                << " not shown\n";
  return true;
}

std::int64_t rejected(const std::vector<Row>& rows) {
  std::int64_t n = 0;
  for (const auto& r : rows) n += r.counts.rejected;
  return n;
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
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: import: " << runtime.error().detail << "\n";
    return 1;
  }
  ImportOptions options;
  options.batch_size = cmd.batch_size;
  if (cmd.strict && !cmd.dry_run) {
    options.dry_run = true;
    std::vector<Row> check;
    if (!run((*runtime)->context(), *files, options, cmd.max_warnings, check)) return 1;
    if (rejected(check) > 0) {
      print_summary(check, true);
      std::cout << "nothing written (--strict): " << rejected(check)
                << " documents are rejected; fix them or import without --strict\n";
      return 3;
    }
    options.dry_run = false;
  }
  options.dry_run = cmd.dry_run;
  std::vector<Row> rows;
  if (!run((*runtime)->context(), *files, options, cmd.strict ? 0 : cmd.max_warnings, rows))
    return 1;
  print_summary(rows, cmd.dry_run);
  if (cmd.dry_run) std::cout << "dry run: nothing written\n";
  return rejected(rows) > 0 ? 3 : 0;
}

}  // namespace leadproc::cli
