#include "jobs/niced_worker.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace leadproc::jobs {

NicedWorker::NicedWorker(int nice, std::string name)
    : thread_([this, nice, name = std::move(name)](std::stop_token stop) {
        loop(std::move(stop), nice, name);
      }) {}

NicedWorker::~NicedWorker() {
  thread_.request_stop();  // the jthread's join follows; a running function finishes first
}

void NicedWorker::loop(std::stop_token stop, int nice, const std::string& name) {
  (void)pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  std::string why;
  if (nice != 0) {
    // PRIO_PROCESS with a thread id sets that thread's nice value alone (Linux).
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (::setpriority(PRIO_PROCESS, tid, nice) != 0)
      why = "cannot set the nice value " + std::to_string(nice) + ": " + std::strerror(errno);
  }
  std::unique_lock lock(mu_);
  error_ = std::move(why);
  started_ = true;
  cv_.notify_all();
  while (cv_.wait(lock, stop, [this] { return job_ != nullptr; })) {
    const std::function<void()>* job = job_;
    job_ = nullptr;
    lock.unlock();
    std::exception_ptr thrown;
    try {
      (*job)();
    } catch (...) {
      thrown = std::current_exception();
    }
    lock.lock();
    thrown_ = thrown;
    done_ = true;
    cv_.notify_all();
  }
}

void NicedWorker::run(const std::function<void()>& fn) {
  std::lock_guard call(call_mu_);
  std::unique_lock lock(mu_);
  job_ = &fn;
  done_ = false;
  cv_.notify_all();
  cv_.wait(lock, [this] { return done_; });
  if (std::exception_ptr thrown = std::exchange(thrown_, nullptr)) std::rethrow_exception(thrown);
}

std::string NicedWorker::error() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return started_; });
  return error_;
}

}  // namespace leadproc::jobs
