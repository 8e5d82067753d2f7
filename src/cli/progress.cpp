#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace leadproc::cli {

namespace {

using Seconds = std::chrono::duration<double>;

// "0.4 s", "45 s", "3 min 20 s", "1 h 05 min".
std::string duration_text(double seconds) {
  const auto s = static_cast<std::int64_t>(std::llround(seconds));
  char buf[32];
  if (seconds < 9.95)
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else if (s < 60)
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(s));
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  return buf;
}

}  // namespace

std::string with_thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

Progress::Progress(std::ostream& out, bool terminal, std::string label, std::string unit,
                   Clock clock, std::chrono::seconds plain_interval)
    : out_(out),
      terminal_(terminal),
      label_(std::move(label)),
      unit_(std::move(unit)),
      clock_(std::move(clock)),
      interval_(terminal ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::milliseconds(100))
                         : std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               plain_interval)),
      start_(clock_()),
      last_written_(start_) {}

bool Progress::is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

std::string Progress::line(std::int64_t done, std::optional<double> fraction, bool last) const {
  const double elapsed = std::chrono::duration_cast<Seconds>(clock_() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  if (!fraction && total_ && *total_ > 0)
    fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_));
  std::string of;
  if (!last && total_)
    of = " of " + with_thousands(*total_);
  else if (!last && fraction && *fraction > 0.01 && *fraction < 1)
    of = " of ~" + with_thousands(std::llround(static_cast<double>(done) / *fraction));
  std::string text = label_ + "  " + with_thousands(done) + of + " " + unit_;
  if (last) {
    text += " in " + duration_text(elapsed);
    if (elapsed > 0) text += " (" + with_thousands(std::llround(rate)) + "/s)";
    return text;
  }
  if (fraction) text += "  " + std::to_string(std::lround(*fraction * 100)) + " %";
  if (elapsed > 0) text += "  " + with_thousands(std::llround(rate)) + "/s";
  if (fraction && *fraction > 0.01 && *fraction < 1)
    text += "  about " + duration_text(elapsed * (1 - *fraction) / *fraction) + " left";
  return text;
}

void Progress::update(std::int64_t done, std::optional<double> fraction) {
  const auto now = clock_();
  if (now - last_written_ < interval_) return;
  last_written_ = now;
  if (terminal_) {
    out_ << "\r\033[K" << line(done, fraction, false) << std::flush;
    drawn_ = true;
  } else {
    out_ << line(done, fraction, false) << "\n" << std::flush;
  }
}

void Progress::note(std::string_view what) {
  if (terminal_ && drawn_) out_ << "\r\033[K";
  drawn_ = false;
  out_ << label_ << "  " << what << "\n" << std::flush;
}

void Progress::finish(std::int64_t done) {
  if (terminal_ && drawn_) out_ << "\r\033[K";
  out_ << line(done, std::nullopt, true) << "\n" << std::flush;
}

}  // namespace leadproc::cli
