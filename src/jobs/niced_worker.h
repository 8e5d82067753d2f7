// A thread at a lower CPU priority (a higher nice value) that runs one function at a time for a
// caller that waits for it. The webhook sender signs and POSTs its deliveries on one
// (LEADPROC_WEBHOOK_NICE, docs/events.md "Delivery"), so that while intake keeps the cores busy
// the scheduler gives intake the CPU and delivery lags, while its store work (claims, records)
// stays on the caller's thread: a low-priority thread never holds the SQLite writer intake waits
// for (which would be a priority inversion: intake waiting on a thread the scheduler starves).
//
// Linux: the nice value is the thread's own (setpriority on its thread id). Raising it needs no
// privilege; it is never lowered back.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace leadproc::jobs {

class NicedWorker {
 public:
  // Starts the thread, named `name` (at most 15 characters, as /proc/PID/task/TID/comm shows
  // it), at nice value `nice` (0..19; 0: the process's own). If the nice value cannot be set,
  // the thread runs at the process's priority and error() says why.
  NicedWorker(int nice, std::string name);
  ~NicedWorker();  // waits for the function running, if any, then joins
  NicedWorker(const NicedWorker&) = delete;
  NicedWorker& operator=(const NicedWorker&) = delete;

  // Runs `fn` on the worker's thread and returns when it has returned (its exceptions are
  // rethrown here). One call at a time; concurrent callers take turns. Not once the destructor
  // has begun (the owner stops its callers first).
  void run(const std::function<void()>& fn);

  // Empty, or why the nice value could not be set (once the thread has started).
  std::string error();

 private:
  void loop(std::stop_token stop, int nice, const std::string& name);

  std::mutex call_mu_;  // one run() at a time
  std::mutex mu_;
  std::condition_variable_any cv_;
  const std::function<void()>* job_ = nullptr;  // guarded by mu_
  bool done_ = false;                           // guarded by mu_
  bool started_ = false;                        // guarded by mu_
  std::exception_ptr thrown_;                   // guarded by mu_
  std::string error_;                           // guarded by mu_
  std::jthread thread_;                         // last
};

}  // namespace leadproc::jobs
