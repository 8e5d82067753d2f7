// Progress of a long command (`leadproc import`, `leadproc-gen`) on stderr, so that a run of
// minutes is never silent. On a terminal one line is redrawn in place (at most ten times a
// second); otherwise (a log file, CI) a plain line is written every `plain_interval` (5 s), so a
// log shows the rate without filling up. Each line says what is done, how much of the whole
// (when the caller knows), the rate and, from the fraction, the time left.
//
//   import leads.bson  120,000 of 1,000,000 documents  12 %  38,200/s  about 23 s left
//   import leads.bson  120,000 of ~1,000,000 documents  12 %  ...   (a total estimated from the
//                                                                    fraction of the bytes read)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace leadproc::cli {

class Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `label` names the work ("import leads"), `unit` what is counted ("documents"). `terminal`:
  // redraw one line in place (pass is_terminal(stderr)). `clock` is injectable for tests.
  Progress(
      std::ostream& out, bool terminal, std::string label, std::string unit,
      Clock clock = [] { return std::chrono::steady_clock::now(); },
      std::chrono::seconds plain_interval = std::chrono::seconds(5));

  // The number of units of the whole, when the caller knows it: lines say "done of total", and
  // the fraction is done/total unless update() is given one.
  void set_total(std::int64_t total) { total_ = total; }

  // `done` so far and, when known, the fraction of the whole (0..1). Writes when a line is due.
  // Without a total, a fraction above 1 % gives an estimated total ("of ~N").
  void update(std::int64_t done, std::optional<double> fraction = std::nullopt);
  // A step that shows no count ("building 24 indexes"), as a line of its own after the label;
  // on a terminal the line drawn in place gives way to it.
  void note(std::string_view what);
  // The last line: `done` in the time taken, and the average rate. Call once, at the end.
  void finish(std::int64_t done);

  // True when `fd` is a terminal (isatty).
  static bool is_terminal(int fd);

 private:
  std::string line(std::int64_t done, std::optional<double> fraction, bool last) const;

  std::ostream& out_;
  bool terminal_;
  std::string label_;
  std::string unit_;
  Clock clock_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_written_;
  std::optional<std::int64_t> total_;
  bool drawn_ = false;  // a terminal line is on screen, to be redrawn or ended
};

// 1234567 -> "1,234,567".
std::string with_thousands(std::int64_t n);

}  // namespace leadproc::cli
