// A benchmark prototype of group commit, as a Store decorator: concurrent write() calls that
// arrive while a transaction is committing are run together in the next transaction, one after
// another, and each caller returns only after that shared transaction committed. One fsync then
// covers many leads instead of one. Used by leadproc-store-limit and leadproc-bench-server to
// measure the gain before proposing the change to the SQLite adapter (docs/benchmarks.md).
//
// Semantics kept: a write() returns ok only once its changes are durably committed; a function
// that fails leaves no trace (the shared transaction is rolled back and re-run without it: the
// use cases are written to be re-run, as ingest_lead's conflict retry already does); functions
// see the writes of those before them in the batch, exactly as if they had run serially.
// Not kept: a failed COMMIT fails the whole batch (each caller gets the error).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "app/store.h"

namespace leadproc::bench {

class GroupCommitStore final : public Store {
 public:
  // `max_batch` functions at most per transaction.
  GroupCommitStore(Store& inner, std::size_t max_batch) : inner_(inner), max_batch_(max_batch) {}

  Status write(const std::function<Status(WriteTx&)>& fn) override {
    Pending self{&fn};
    std::unique_lock lock(mu_);
    queue_.push_back(&self);
    while (!self.done) {
      if (leader_) {
        cv_.wait(lock);
        continue;
      }
      // Become the leader: take what is queued (ourselves included) and commit it.
      leader_ = true;
      std::vector<Pending*> batch;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      run(batch);  // sets each one's status
      lock.lock();
      for (Pending* p : batch) p->done = true;  // under the lock: the callers read it there
      leader_ = false;
      ++batches_;
      batched_ += batch.size();
      cv_.notify_all();
    }
    return self.status;
  }
  Status read(const std::function<Status(ReadTx&)>& fn) override { return inner_.read(fn); }
  Result<int> migrate() override { return inner_.migrate(); }
  bool ready() override { return inner_.ready(); }

  // Average functions per committed transaction so far.
  double average_batch() {
    std::lock_guard lock(mu_);
    return batches_ ? static_cast<double>(batched_) / static_cast<double>(batches_) : 0;
  }

 private:
  struct Pending {
    const std::function<Status(WriteTx&)>* fn;
    Status status = ok_status();
    bool done = false;  // guarded by mu_
  };

  void run(std::vector<Pending*> batch) {
    while (!batch.empty()) {
      Pending* failed = nullptr;
      Status failed_status = ok_status();
      Status s = inner_.write([&](WriteTx& tx) -> Status {
        for (Pending* p : batch) {
          Status r = (*p->fn)(tx);
          if (!r) {
            failed = p;
            failed_status = r;
            return r;  // rolls back the batch; the others run again without it
          }
        }
        return ok_status();
      });
      if (s) return;
      if (!failed) {  // the commit itself failed: every caller gets the error
        for (Pending* p : batch) p->status = s;
        return;
      }
      failed->status = failed_status;
      std::erase(batch, failed);
    }
  }

  Store& inner_;
  std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;
  bool leader_ = false;
  std::size_t batches_ = 0;
  std::size_t batched_ = 0;
};

}  // namespace leadproc::bench
