#include "app/common_passwords.h"

#include <string>
#include <unordered_set>

#include "domain/text.h"

namespace leadproc {
namespace {

// Built once, on first use (thread-safe static initialisation).
const std::unordered_set<std::string>& common_set() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> out;
    std::string_view text = common_passwords_text();
    while (!text.empty()) {
      auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && line.front() != '#') out.insert(lower_ascii(line));
    }
    return out;
  }();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  return common_set().contains(lower_ascii(password));
}

}  // namespace leadproc
