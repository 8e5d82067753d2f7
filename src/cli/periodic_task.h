// A small stoppable background loop: runs `fn` every `period` on its own thread until destroyed.
// Stands in for the scheduled-jobs runner (src/jobs/) until that exists; serve uses it to purge
// expired sessions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

namespace leadproc::cli {

class PeriodicTask {
 public:
  // Starts the thread; the first run is one period from now. `fn` must not throw.
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> fn)
      : thread_([this, period, fn = std::move(fn)](std::stop_token stop) {
          std::mutex mu;
          std::unique_lock lock(mu);
          while (!wake_.wait_for(lock, stop, period, [] { return false; }) &&
                 !stop.stop_requested())
            fn();
        }) {}
  // Stops the loop (interrupting the wait) and joins the thread; a run in progress finishes.
  ~PeriodicTask() {
    thread_.request_stop();
    thread_.join();
  }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: starts after wake_ exists, stops before it goes
};

}  // namespace leadproc::cli
