// The runs of the periodic jobs (src/jobs): one instance runs each slot.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// One run of a periodic job (src/jobs). (job, slot) is unique: the instance whose claim inserts
// the row runs the job; every other instance sees kConflict-free `false` and skips it.
struct JobRun {
  std::string job;
  Timestamp slot{};  // the scheduled instant (a manual run: the instant it was asked for)
  std::string instance;
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
  std::string outcome = "running";  // running | ok | failed
  std::string counts_json = "{}";   // the job's counts, a JSON object
  std::optional<std::string> error;
};

class JobReads {
 public:
  // The latest runs of `job`, newest slot first.
  virtual Result<std::vector<JobRun>> list_job_runs(const std::string& job, int limit) = 0;

 protected:
  ~JobReads() = default;
};

class JobWrites {
 public:
  // Inserts the run unless (run.job, run.slot) exists: true iff inserted (this caller owns it).
  virtual Result<bool> claim_job_run(const JobRun& run) = 0;
  // Writes finished_at, outcome, counts_json and error of (run.job, run.slot).
  virtual Status finish_job_run(const JobRun& run) = 0;
  // Deletes the runs of `job` whose slot is before `before`; returns how many.
  virtual Result<int> purge_job_runs(const std::string& job, Timestamp before) = 0;

 protected:
  ~JobWrites() = default;
};

}  // namespace leadproc
