// `leadproc import PATH...`: brings the spec's collections over from the existing MongoDB
// deployment (docs/operations.md "Importing from MongoDB"). PATH is a directory written by
// mongodump (`<collection>.bson`) or by mongoexport (`<collection>.json`), or such files.
// Collections are imported in reference order (users and destinations first, opportunities
// before their activities, notes and follow-ups), whatever order the paths come in.
//
// Output: each rejected document on stderr with its location and bad fields, warnings (the first
// ones of each collection), and a summary table per collection on stdout.
// Exit code: 0 when every document was imported or skipped, 3 when some were rejected (with
// --strict: nothing was written, the import being one transaction), 1 when the import could not
// run (database, unreadable path).
#pragma once

#include <string>
#include <vector>

#include "cli/settings.h"

namespace leadproc::cli {

struct ImportCommand {
  std::vector<std::string> paths;
  bool dry_run = false;   // read and check everything, write nothing
  bool strict = false;    // one transaction: write nothing if any document is rejected
  int batch_size = 500;   // documents per transaction
  int max_warnings = 20;  // warnings printed per collection (all are counted)
};

int import_command(const Settings& settings, const ImportCommand& cmd);

}  // namespace leadproc::cli
