// Scoring configurations and the travel-month rescoring (docs/api-scoring-jobs.md).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "domain/scoring.h"

namespace leadproc {

class ScoringReads {
 public:
  // Newest first.
  virtual Result<std::vector<ScoreConfig>> list_score_configs() = 0;
  virtual Result<std::optional<ScoreConfig>> get_score_config(const Id& id) = 0;
  virtual Result<std::optional<ScoreConfig>> active_score_config() = 0;
  // max(updated_at) over score configurations in ms (0 when none): every change bumps
  // updated_at, so a differing stamp means the cached active configuration may be stale.
  virtual Result<std::int64_t> score_configs_stamp() = 0;
  // Open opportunities (not closed, not duplicate) whose travelMonthDateFormat is in [from, to)
  // and whose scoreUpdatedForTraveMonthAt is absent or before `stamped_before`, by id, at most
  // `limit`.
  virtual Result<std::vector<Opportunity>> travel_month_due(Timestamp from, Timestamp to,
                                                            Timestamp stamped_before,
                                                            int limit) = 0;

 protected:
  ~ScoringReads() = default;
};

class ScoringWrites {
 public:
  virtual Status insert_score_config(const ScoreConfig& c) = 0;
  // Makes `id` the only active configuration (is_active=false, updated_at=now on every other
  // active one; is_active=true, updated_at=now on `id`); kNotFound when no configuration has it.
  virtual Status activate_score_config(const Id& id, Timestamp now) = 0;

 protected:
  ~ScoringWrites() = default;
};

}  // namespace leadproc
