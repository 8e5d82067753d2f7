// The import use case (`leadproc import`, docs/operations.md "Importing from MongoDB"): the
// documents of one collection of the existing MongoDB deployment stored with their ids and
// references as they are.
//
// Contracts:
// - A document that cannot be read or decoded (import/documents.h) is rejected: reported with
//   its location and every bad field, counted, and the import goes on with the next one.
// - A document whose `_id` is already stored is skipped (counted, not written), so re-running an
//   import writes nothing twice; a second document with the same `_id` in the input likewise.
// - Documents are written in transactions of `batch_size`. If a batch fails to commit (a unique
//   rule of leadproc that the MongoDB data breaks: two users with one email, two open originals
//   of one number and destination, two active score configurations...), its documents are
//   written one per transaction, so that only the offending ones are rejected, with the reason
//   in the words of the rule (not the driver's message, which names an index).
// - Or every document is written in one transaction the caller owns (the second overload of
//   import_documents, `leadproc import --strict`), which it commits or rolls back as a whole.
// - Counters (POC leadCount, web URL hits, reInquiries, routing counters) are stored as given.
// - Phone numbers of leads and opportunities are stored as E.164 when libphonenumber can read
//   them (the text received stays in rawNumber), so that duplicate detection finds them.
// - Warnings do not stop a document: a dropped password hash, a normalised URL, a reference to a
//   record that is not stored, an id whose time is far from createdAt (created-window lists rely
//   on them being close: store.h kCreatedIdSkew).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "import/document_source.h"
#include "import/documents.h"

namespace leadproc {

struct ImportOptions {
  bool dry_run = false;  // read and check everything, write nothing
  int batch_size = 500;  // documents per write transaction
};

// One rejected document, or one warning about an imported one.
struct ImportProblem {
  std::string location;  // "leads.json:12"
  std::string detail;
  std::vector<FieldError> fields;  // the bad fields of a rejected document
};

struct ImportCounts {
  std::int64_t read = 0;      // documents in the source, readable or not
  std::int64_t imported = 0;  // written (with dry_run: would be written)
  std::int64_t skipped = 0;   // their _id was already stored, or came earlier in the input
  std::int64_t rejected = 0;  // not written: malformed, a bad field, or refused by the store
  std::int64_t refused = 0;   // of `rejected`: refused by the store (a unique rule of leadproc)
  std::int64_t warnings = 0;

  ImportCounts& operator+=(const ImportCounts& o);
};

struct ImportSink {
  std::function<void(const ImportProblem&)> rejected = [](const ImportProblem&) {};
  std::function<void(const ImportProblem&)> warning = [](const ImportProblem&) {};
  // After each batch: the counts so far and how much of the source is read (0..1, nullopt when
  // the source cannot tell), for a progress display.
  std::function<void(const ImportCounts&, std::optional<double>)> progress =
      [](const ImportCounts&, std::optional<double>) {};
  // A step that takes a while and counts no documents ("building 24 indexes"), before it runs.
  std::function<void(const std::string&)> step = [](const std::string&) {};
};

// Imports every document of `source` as records of `collection`. Fails only when the store
// fails (kUnavailable, kInternal); bad documents are counted and reported through `sink`.
// Opportunities into an empty table are written without their secondary indexes, which are
// built after the last batch (app/ports/import.h ImportWrites), also when the import fails; a
// process killed before that leaves them to the store's next migration.
// With options.dry_run, ids already stored or met earlier in `source` (in any batch) are counted
// as skipped, as a real import would.
Result<ImportCounts> import_documents(AppContext& ctx, import::Collection collection,
                                      import::DocumentSource& source, const ImportOptions& options,
                                      const ImportSink& sink);

// The same, with every write in `tx`, a write transaction the caller owns: it commits all of
// them or rolls all of them back (`leadproc import --strict`: nothing is written if any document
// of any file is rejected). Records written earlier in `tx` count as stored (re-reading a file
// skips its documents). The first document the store refuses ends the import: it is reported
// and counted (`rejected` and `refused`), and `tx` must then be rolled back (PostgreSQL has
// aborted it). Keeps no state between calls, so the caller may run it again when the adapter
// runs `tx` again (a retried serialization failure). options.dry_run is ignored.
Result<ImportCounts> import_documents(WriteTx& tx, AppContext& ctx, import::Collection collection,
                                      import::DocumentSource& source, const ImportOptions& options,
                                      const ImportSink& sink);

}  // namespace leadproc
