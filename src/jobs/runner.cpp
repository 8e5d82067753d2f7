#include "jobs/runner.h"

#include <mutex>

namespace leadproc::jobs {

JobRunner::JobRunner(AppContext& ctx, std::vector<Job> jobs,
                     std::function<void(const std::string&)> log, std::chrono::milliseconds tick)
    : ctx_(ctx),
      jobs_(std::move(jobs)),
      log_(std::move(log)),
      instance_(instance_name()),
      thread_([this, tick](std::stop_token stop) {
        std::mutex mu;
        std::unique_lock lock(mu);
        while (!stop.stop_requested()) {
          run_due();
          wake_.wait_for(lock, stop, tick, [] { return false; });
        }
      }) {}

JobRunner::~JobRunner() {
  thread_.request_stop();
  thread_.join();
}

void JobRunner::run_due() {
  for (const auto& job : jobs_) {
    if (job.schedule.kind == Schedule::Kind::kOnDemand) continue;
    auto slot = current_slot(job.schedule, ctx_.now(), ctx_.config.timezone);
    if (!slot) {
      if (log_) log_("job " + job.name + ": no slot: " + slot.error().detail);
      continue;
    }
    auto last = last_slot_.find(job.name);
    if (last != last_slot_.end() && last->second == *slot) continue;
    auto run = run_job(ctx_, job, *slot, instance_);
    if (!run) {  // the store failed: try this slot again on the next tick
      if (log_) log_("job " + job.name + ": cannot record its run: " + run.error().detail);
      continue;
    }
    last_slot_[job.name] = *slot;
    if (*run && (*run)->outcome != "ok" && log_)
      log_("job " + job.name + " failed: " + (*run)->error.value_or(""));
  }
}

}  // namespace leadproc::jobs
