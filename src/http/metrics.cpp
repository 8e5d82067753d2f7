#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace leadproc::http {
namespace {

constexpr const char* kRequestsTotal = "leadproc_http_requests_total";
constexpr const char* kDuration = "leadproc_http_request_duration_seconds";

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names exclude ':'.
bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Escapes a label value or HELP text: backslash, newline and (for label values) double quote.
void append_escaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `a="x",b="y"` (no braces), label names sorted (std::map order).
std::string render_labels(const Metrics::Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!valid_name(k, false)) throw std::invalid_argument("invalid metric label name: " + k);
    if (!out.empty()) out += ',';
    out += k;
    out += "=\"";
    append_escaped(out, v, true);
    out += '"';
  }
  return out;
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Whole numbers (counts) print as integers; others in the shortest round-trip form, fixed
    // notation for moderate exponents (0.0005, not 5e-04).
    char buf[64];
    constexpr double kMaxExact = 9007199254740992.0;  // 2^53
    const auto [end, ec] =
        std::trunc(v) == v && std::fabs(v) < kMaxExact
            ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v))
            : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    out.append(buf, end);
  }
}

// name{labels[,extra]} value\n
void append_sample(std::string& out, std::string_view name, const std::string& labels,
                   std::string_view extra, double value) {
  out += name;
  if (!labels.empty() || !extra.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra.empty()) out += ',';
    out += extra;
    out += '}';
  }
  out += ' ';
  append_number(out, value);
  out += '\n';
}

}  // namespace

const std::vector<double>& Metrics::duration_buckets() {
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5};
  return buckets;
}

Metrics::Family& Metrics::family(const std::string& name, const std::string& help, Type type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    if (!valid_name(name, true)) {
      families_.erase(it);
      throw std::invalid_argument("invalid metric name: " + name);
    }
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::invalid_argument("metric registered with another type: " + name);
  }
  return it->second;
}

void Metrics::observe_request(const std::string& route, const std::string& method, int status,
                              double seconds) {
  const std::string counter_labels =
      render_labels({{"route", route}, {"method", method}, {"status", std::to_string(status)}});
  const std::string histogram_labels = render_labels({{"route", route}});
  const auto& bounds = duration_buckets();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin());

  std::lock_guard lock(mu_);
  family(kRequestsTotal, "HTTP requests answered, by route, method and status.", Type::counter)
      .values[counter_labels] += 1;
  Histogram& h = family(kDuration, "HTTP request duration in seconds, by route.", Type::histogram)
                     .histograms[histogram_labels];
  if (h.buckets.empty()) h.buckets.assign(bounds.size() + 1, 0);
  ++h.buckets[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::inc(const std::string& name, const std::string& help, Labels labels, double by) {
  if (!(by >= 0)) throw std::invalid_argument("counter increment must be >= 0: " + name);
  const std::string key = render_labels(labels);
  std::lock_guard lock(mu_);
  family(name, help, Type::counter).values[key] += by;
}

void Metrics::set_gauge(const std::string& name, const std::string& help, Labels labels,
                        double value) {
  const std::string key = render_labels(labels);
  std::lock_guard lock(mu_);
  family(name, help, Type::gauge).values[key] = value;
}

void Metrics::set_counter(const std::string& name, const std::string& help, Labels labels,
                          double total) {
  if (total < 0) throw std::invalid_argument("a counter total cannot be negative");
  const std::string key = render_labels(labels);
  std::lock_guard lock(mu_);
  family(name, help, Type::counter).values[key] = total;
}

std::string Metrics::render() const {
  static constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};
  const auto& bounds = duration_buckets();
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, fam] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, fam.help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += kTypeNames[static_cast<int>(fam.type)];
    out += '\n';
    for (const auto& [labels, value] : fam.values) append_sample(out, name, labels, {}, value);
    for (const auto& [labels, h] : fam.histograms) {
      const std::string bucket_name = name + "_bucket";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += h.buckets[i];
        std::string le = "le=\"";
        if (i < bounds.size()) {
          append_number(le, bounds[i]);
        } else {
          le += "+Inf";
        }
        le += '"';
        append_sample(out, bucket_name, labels, le, static_cast<double>(cumulative));
      }
      append_sample(out, name + "_sum", labels, {}, h.sum);
      append_sample(out, name + "_count", labels, {}, static_cast<double>(h.count));
    }
  }
  return out;
}

}  // namespace leadproc::http
