#include "domain/object_id.h"

#include <cctype>
#include <chrono>

namespace leadproc {
namespace {
constexpr char kHex[] = "0123456789abcdef";

void put_hex(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    auto byte = static_cast<unsigned>((value >> (8 * i)) & 0xff);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
}
}  // namespace

ObjectIdGenerator::ObjectIdGenerator(std::uint64_t random5, std::uint32_t counter_start)
    : random5_(random5 & 0xffffffffffULL), counter_(counter_start & 0xffffff) {}

Id ObjectIdGenerator::next(Timestamp now) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::uint32_t count = counter_.fetch_add(1, std::memory_order_relaxed) & 0xffffff;
  std::string out;
  out.reserve(24);
  put_hex(out, static_cast<std::uint64_t>(seconds) & 0xffffffffULL, 4);
  put_hex(out, random5_, 5);
  put_hex(out, count, 3);
  return out;
}

bool is_object_id(std::string_view s) {
  if (s.size() != 24) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

Timestamp object_id_time(std::string_view id) {
  std::uint64_t seconds = 0;
  for (std::size_t i = 0; i < 8 && i < id.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(id[i])));
    seconds = seconds * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return Timestamp{std::chrono::seconds{seconds}};
}

std::optional<Id> object_id_lower_bound(Timestamp t) {
  // Times are whole seconds, so the first second at or after t.
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(t.time_since_epoch()).count();
  if (seconds > 0xffffffffLL) return std::nullopt;
  std::string out;
  out.reserve(24);
  put_hex(out, seconds > 0 ? static_cast<std::uint64_t>(seconds) : 0, 4);
  out.append(16, '0');
  return out;
}

}  // namespace leadproc
