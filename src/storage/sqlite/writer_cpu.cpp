#include "storage/sqlite/writer_cpu.h"

#include <sys/types.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace leadproc::sqlite {

std::optional<CpuSplit> split_cpus(const cpu_set_t& allowed) {
  if (CPU_COUNT(&allowed) < 2) return std::nullopt;
  CpuSplit split;
  split.others = allowed;
  for (int cpu = CPU_SETSIZE - 1; cpu >= 0; --cpu) {
    if (CPU_ISSET(cpu, &allowed)) {
      split.writer = cpu;
      CPU_CLR(cpu, &split.others);
      break;
    }
  }
  return split;
}

namespace {

// Every thread of the process onto `cpus`; a thread that ended meanwhile, or refuses, is left.
void move_every_thread(const cpu_set_t& cpus) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    const long tid = std::strtol(name.c_str(), &end, 10);
    if (end == name.c_str() || *end != '\0') continue;
    (void)sched_setaffinity(static_cast<pid_t>(tid), sizeof cpus, &cpus);
  }
}

const WriterCpu* make_process_split() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return nullptr;
  auto split = split_cpus(allowed);
  if (!split) return nullptr;
  move_every_thread(split->others);
  static const WriterCpu writer_cpu(*split);
  return &writer_cpu;
}

}  // namespace

const WriterCpu* WriterCpu::claim() {
  static const WriterCpu* const process = make_process_split();
  return process;
}

WriterCpu::OnWriterCpu::OnWriterCpu(const WriterCpu* writer_cpu) {
  if (!writer_cpu) return;
  CPU_ZERO(&before_);
  if (sched_getaffinity(0, sizeof before_, &before_) != 0) return;
  cpu_set_t only;
  CPU_ZERO(&only);
  CPU_SET(writer_cpu->cpu(), &only);
  moved_ = sched_setaffinity(0, sizeof only, &only) == 0;
}

WriterCpu::OnWriterCpu::~OnWriterCpu() {
  if (moved_) (void)sched_setaffinity(0, sizeof before_, &before_);
}

}  // namespace leadproc::sqlite
