// The background thread that runs due jobs (src/jobs/jobs.h) in `leadproc serve`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "jobs/jobs.h"

namespace leadproc::jobs {

class JobRunner {
 public:
  // Starts the thread: it checks at once and then every `tick` whether a job's current slot is
  // new, and if so claims and runs it (run_job). Runs are logged through `log` (may be empty).
  JobRunner(AppContext& ctx, std::vector<Job> jobs,
            std::function<void(const std::string& line)> log = {},
            std::chrono::milliseconds tick = std::chrono::seconds(30));
  // Stops the loop (a run in progress finishes) and joins the thread.
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

 private:
  void run_due();

  AppContext& ctx_;
  std::vector<Job> jobs_;
  std::function<void(const std::string&)> log_;
  std::string instance_;
  std::map<std::string, Timestamp> last_slot_;  // per job: the slot last attempted here
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: starts after the members it uses exist, stops before they go
};

}  // namespace leadproc::jobs
