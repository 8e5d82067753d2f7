// Import (`leadproc import`): which records a table already holds, and a bulk load's indexes
// built after its rows.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// The tables that hold records with an ObjectId `_id` of one of the spec's collections, for
// asking which ids a table already holds (`leadproc import` skips those, so re-running an import
// writes nothing twice).
enum class RecordKind {
  kUser,
  kDestination,
  kProcessMap,
  kAvailability,
  kWebUrl,
  kLead,
  kOpportunity,
  kActivity,
  kFollowUp,
  kNote,
  kScoreConfig,
};

class ImportReads {
 public:
  // The ids among `ids` that a record of `kind` has (deleted records included), in no particular
  // order, each once. An empty `ids` gives an empty answer without a query.
  virtual Result<std::vector<Id>> existing_ids(RecordKind kind, const std::vector<Id>& ids) = 0;

 protected:
  ~ImportReads() = default;
};

class ImportWrites {
 public:
  // Before a bulk load into `kind`'s table while it is empty: drops the table's secondary indexes
  // that enforce no rule (every UNIQUE one stays, so a batch that breaks a rule still fails as
  // without this), remembering each in the same transaction. Each row is then written without
  // them, and restore_indexes() builds each in one sorted pass: on SQLite a 1M-row load writes
  // scattered pages of ~20 indexes per row otherwise (docs/benchmarks.md §36). Nothing when the
  // table holds rows, or where the store gains nothing by it (PostgreSQL). How many were dropped.
  virtual Result<int> defer_indexes(RecordKind kind) = 0;
  // Builds every index that defer_indexes() dropped, of any table, and forgets it: also those of
  // an import that was interrupted (the SQLite store calls it when it migrates, so a server never
  // serves without them). How many were built.
  virtual Result<int> restore_indexes() = 0;

 protected:
  ~ImportWrites() = default;
};

}  // namespace leadproc
