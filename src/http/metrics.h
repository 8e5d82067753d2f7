// Process metrics in the Prometheus text exposition format (version 0.0.4). Beast-free.
//
// Built in: the counter leadproc_http_requests_total{route,method,status} and the histogram
// leadproc_http_request_duration_seconds{route}, both fed by observe_request(). Other counters
// and gauges are created on first use by inc() and set_gauge().
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc::http {

class Metrics {
 public:
  using Labels = std::map<std::string, std::string>;

  // Content-Type to answer a scrape with.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Upper bounds (seconds) of the request duration histogram buckets; +Inf is implicit.
  static const std::vector<double>& duration_buckets();

  // Counts one HTTP request: adds 1 to leadproc_http_requests_total{route,method,status} and
  // records `seconds` in leadproc_http_request_duration_seconds{route}. Thread-safe.
  void observe_request(const std::string& route, const std::string& method, int status,
                       double seconds);

  // Adds `by` (must be >= 0) to the counter `name`{labels}, creating it with `help` if new.
  // Throws std::invalid_argument if `name` is not a valid metric name, a label name is invalid,
  // `by` is negative, or `name` is already a metric of another type. Thread-safe.
  void inc(const std::string& name, const std::string& help, Labels labels, double by = 1);

  // Sets the gauge `name`{labels} to `value`, creating it with `help` if new. Throws like inc().
  // Thread-safe.
  void set_gauge(const std::string& name, const std::string& help, Labels labels, double value);

  // Sets the counter `name`{labels} to `total`, a running total kept elsewhere (e.g. by the
  // store), creating it with `help` if new. Throws like inc(). Thread-safe.
  void set_counter(const std::string& name, const std::string& help, Labels labels, double total);

  // The whole exposition text: families sorted by name, series sorted by labels, each family
  // preceded by # HELP and # TYPE lines, ending with a newline. Thread-safe.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // per bucket (not cumulative), size = bounds + 1 (+Inf)
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    Type type = Type::counter;
    std::string help;
    std::map<std::string, double> values;         // rendered labels -> value (counter, gauge)
    std::map<std::string, Histogram> histograms;  // rendered labels -> histogram
  };

  // The family `name` of `type`, created with `help` if absent. Caller holds mu_.
  Family& family(const std::string& name, const std::string& help, Type type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace leadproc::http
