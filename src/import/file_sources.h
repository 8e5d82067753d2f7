// Reading the files of mongodump and mongoexport (docs/operations.md "Importing from MongoDB"):
// - `<collection>.bson` (mongodump): concatenated BSON documents, read with libbson and rendered
//   as relaxed Extended JSON, so that BSON and JSON files share one decoding path;
// - `<collection>.json` (mongoexport): one Extended JSON document per line (canonical or relaxed
//   mode), or one JSON array of documents (`--jsonArray`), told apart by the first character;
//   documents over several lines (`--pretty`) when the first one is.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "import/document_source.h"
#include "import/documents.h"

namespace leadproc::import {

// The documents of one file (.bson or .json); an error when it cannot be opened, or is a
// compressed dump (`mongodump --gzip`: gunzip it first).
Result<std::unique_ptr<DocumentSource>> open_file(const std::filesystem::path& file);

// A file to import and the collection it holds.
struct ImportFile {
  std::filesystem::path path;
  Collection collection;
};

// The files to import from `paths` (directories and files), in import order (collections()
// order; within a collection, by path). A directory contributes its files whose names name a
// collection (`leads.bson`, `rawopportunities.json`, ...), ignoring everything else
// (`*.metadata.json`, `sessions.bson`); a file named explicitly must name a collection.
// `ignored` receives the files of directories that were left out.
Result<std::vector<ImportFile>> files_to_import(const std::vector<std::filesystem::path>& paths,
                                                std::vector<std::filesystem::path>& ignored);

}  // namespace leadproc::import
