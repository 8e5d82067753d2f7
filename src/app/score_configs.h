// Score configurations (the spec's opportunityscoreconfiguration; PRODUCT.md "Scoring";
// docs/scoring.md) and keeping every opportunity's opportunityScore current.
//
// The active configuration is cached per process (ScoreCache, one per AppContext): a write path
// reads it from memory, re-checking the database's cheap stamp (max(updated_at) of the
// configurations) at most once per `recheck` interval and reloading when it differs, so a change
// made by another instance is seen within that interval; a change made through this process
// invalidates the cache at once.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "app/store.h"
#include "domain/scoring.h"

namespace leadproc {

struct AppContext;

class ScoreCache {
 public:
  explicit ScoreCache(std::chrono::milliseconds recheck = std::chrono::seconds(1))
      : recheck_(recheck) {}

  // The active configuration (nullopt: none is active), read through `tx` when the cache is
  // empty, invalidated, or older than `recheck` with a changed stamp. Thread-safe.
  Result<std::optional<ScoreConfig>> active(ReadTx& tx);
  // Forgets the cached configuration: the next active() reads the database.
  void invalidate();

 private:
  std::mutex mu_;
  bool loaded_ = false;
  std::int64_t stamp_ = 0;
  std::optional<ScoreConfig> config_;
  std::chrono::steady_clock::time_point checked_{};
  std::chrono::milliseconds recheck_;
};

// Sets opp.opportunity_score from the active configuration (0 when none is active). Every write
// path of an opportunity calls it just before writing (save_change, ingestion, assignment from
// the waiting queue, URL marking, the travel-month refresh).
Status refresh_score(AppContext& ctx, ReadTx& tx, Opportunity& opp);

// Use cases (docs/api-scoring-jobs.md)
// A configuration to create (the HTTP body is decoded by http/decode_score_configs.h): the twelve
// weights, each required, from 0 to 1e9, and whether it becomes the active one (default false).
struct ScoreConfigInput {
  std::array<std::optional<double>, kScoreWeightCount> weights;  // in kScoreWeights' order
  std::optional<bool> is_active;
  std::vector<FieldError> decode_errors;  // what the decoder found
};

// Creating an active one deactivates the others in the same transaction. 422 naming each bad
// field.
Result<ScoreConfig> create_score_config(AppContext& ctx, const ScoreConfigInput& in,
                                        const std::optional<Id>& actor);
// Newest first.
Result<std::vector<ScoreConfig>> list_score_configs(AppContext& ctx);
// 404 for an unknown or malformed id.
Result<ScoreConfig> get_score_config(AppContext& ctx, const Id& id);
// Makes `id` the only active configuration (in one transaction); 404 when unknown.
Result<ScoreConfig> activate_score_config(AppContext& ctx, const Id& id,
                                          const std::optional<Id>& actor);

// The daily travel-month refresh (docs/scoring.md "Travel-month rule"): every open,
// non-duplicate opportunity whose travelMonthDateFormat is in [now - 31 days, now + 60 days)
// and whose scoreUpdatedForTraveMonthAt is before the start of today (business time zone) gets
// its score recomputed and scoreUpdatedForTraveMonthAt = now; an activity is written when the
// score changed. Batches of 200, one transaction each. Returns {examined, changed}.
struct TravelRefreshCounts {
  int examined = 0;
  int changed = 0;
};
Result<TravelRefreshCounts> refresh_travel_month_scores(AppContext& ctx);

}  // namespace leadproc
