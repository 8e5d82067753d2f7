// A CPU of its own for the single SQLite writer (docs/benchmarks.md §37).
//
// Why: ingest on SQLite is bounded by its one writer (sqlite_store.h, "Group commit"): on the
// 2-core VM of the benchmarks it ran a transaction 85-87 % of the time, and the HTTP threads,
// woken by every batch's answers, preempted it about once per lead for ~1 ms each, while every
// other write waited behind it. Kept off the writer's CPU, they run on the others; the writer
// runs on one whose caches stay warm for it. Measured: +14 % leads/s, and ~9 % less of the
// writer's CPU per write.
//
// How: the process's allowed CPUs (sched_getaffinity of the caller at the first claim()) are
// split once per process: the highest-numbered is the writer's, the rest are everyone else's.
// claim() moves every thread of the process onto the rest (threads started later inherit their
// creator's set); the leader of each group-commit batch moves onto the writer's CPU for the
// transaction (enter()) and back to its own set after. Best effort: a failing affinity call
// changes nothing and fails nothing. With one CPU allowed there is nothing to split, and
// claim() answers nullptr.
#pragma once

#include <sched.h>

#include <optional>

namespace leadproc::sqlite {

// The writer's CPU and everyone else's, from a set of allowed CPUs; nullopt when fewer than two.
struct CpuSplit {
  int writer = 0;
  cpu_set_t others{};
};
std::optional<CpuSplit> split_cpus(const cpu_set_t& allowed);

class WriterCpu {
 public:
  // The process's split, made (and every thread moved off the writer's CPU) on the first call;
  // nullptr when the process may run on only one CPU. Later calls answer the same object.
  static const WriterCpu* claim();

  int cpu() const { return split_.writer; }

  // While it lives, the calling thread runs on the writer's CPU only; then on the CPUs it was
  // allowed before.
  class OnWriterCpu {
   public:
    explicit OnWriterCpu(const WriterCpu* writer_cpu);
    ~OnWriterCpu();
    OnWriterCpu(const OnWriterCpu&) = delete;
    OnWriterCpu& operator=(const OnWriterCpu&) = delete;

   private:
    bool moved_ = false;
    cpu_set_t before_{};
  };

  explicit WriterCpu(CpuSplit split) : split_(split) {}

 private:
  CpuSplit split_;
};

}  // namespace leadproc::sqlite
