// Small helpers shared by the benchmark programs (header-only; the standard library, /proc and
// sysconf): latency percentiles, a Zipf sampler, the resident set size and CPU time of a process,
// and number formatting.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>  // sysconf

namespace leadproc::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Latencies in microseconds; percentiles by sorting (the runs are at most a few million samples).
class Latencies {
 public:
  void add(double micros) { samples_.push_back(static_cast<float>(micros)); }
  void merge(const Latencies& other) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  }
  std::size_t count() const { return samples_.size(); }
  // p in [0, 100]; 0 when empty. Sorts lazily.
  double percentile(double p) {
    if (samples_.empty()) return 0;
    if (!sorted_) {
      std::sort(samples_.begin(), samples_.end());
      sorted_ = true;
    }
    const double rank = p / 100.0 * static_cast<double>(samples_.size() - 1);
    return samples_[static_cast<std::size_t>(std::llround(rank))];
  }
  double max() { return percentile(100); }
  double mean() const {
    double sum = 0;
    for (float s : samples_) sum += s;
    return samples_.empty() ? 0 : sum / static_cast<double>(samples_.size());
  }
  void clear() {
    samples_.clear();
    sorted_ = false;
  }

 private:
  std::vector<float> samples_;
  bool sorted_ = false;
};

// "p50 0.41 ms  p99 1.20 ms  p99.9 3.10 ms  max 9.00 ms".
inline std::string latency_summary(Latencies& l, bool with_p999 = true) {
  char buf[200];
  if (with_p999) {
    // The mean and p90/p95 show a tail's weight: a closed loop's rate is its connections over the
    // mean latency, so a few slow answers cost as much as many fast ones.
    std::snprintf(
        buf, sizeof buf,
        "mean %.2f ms  p50 %.2f ms  p90 %.2f ms  p95 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  "
        "max %.2f ms",
        l.mean() / 1000, l.percentile(50) / 1000, l.percentile(90) / 1000, l.percentile(95) / 1000,
        l.percentile(99) / 1000, l.percentile(99.9) / 1000, l.max() / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "p50 %.3f ms  p99 %.3f ms  max %.3f ms", l.percentile(50) / 1000,
                  l.percentile(99) / 1000, l.max() / 1000);
  }
  return buf;
}

// Samples 0..n-1 with probability proportional to 1/(k+1)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += 1.0 / std::pow(static_cast<double>(k + 1), s);
      cdf_[k] = sum;
    }
    for (auto& c : cdf_) c /= sum;
  }
  template <typename Rng>
  std::size_t operator()(Rng& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
    return std::min<std::size_t>(static_cast<std::size_t>(it - cdf_.begin()), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

// Picks an index by weight.
template <typename Rng>
std::size_t pick_weighted(Rng& rng, const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = std::uniform_real_distribution<double>(0, total)(rng);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.size() - 1;
}

// VmRSS and VmHWM (peak) of a process in KiB, from /proc/<pid>/status; nullopt if it is gone.
struct Rss {
  long rss_kib = 0;
  long hwm_kib = 0;
};
inline std::optional<Rss> read_rss(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return std::nullopt;
  Rss r;
  std::string line;
  bool any = false;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      r.rss_kib = std::stol(line.substr(6));
      any = true;
    } else if (line.rfind("VmHWM:", 0) == 0) {
      r.hwm_kib = std::stol(line.substr(6));
    }
  }
  if (!any) return std::nullopt;
  return r;
}

// The CPU time (user + system, every thread) a process has used so far, in seconds, from
// /proc/<pid>/stat ("self" for this process); nullopt if it is gone. The counts are in clock
// ticks (1/100 s on Linux): over a few seconds of load the error is under 1 %.
inline std::optional<double> read_cpu_seconds(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // Field 2 (the command) is in parentheses and may hold spaces: count fields after its ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long long utime = -1, stime = -1;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  if (utime < 0 || stime < 0) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU used by a process over a measured window: cores busy on average and microseconds per unit
// of work done in the window.
struct CpuUse {
  double cores = 0;
  double micros_per_unit = 0;
};
inline CpuUse cpu_use(double cpu_seconds, double wall_seconds, double units) {
  CpuUse u;
  if (wall_seconds > 0) u.cores = cpu_seconds / wall_seconds;
  if (units > 0) u.micros_per_unit = cpu_seconds * 1e6 / units;
  return u;
}

// The 1-minute load average, or -1.
inline double load_average() {
  std::ifstream in("/proc/loadavg");
  double l = -1;
  in >> l;
  return l;
}

}  // namespace leadproc::bench
