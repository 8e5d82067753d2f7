// Import (`leadproc import`): which records a table already holds.
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

}  // namespace leadproc
