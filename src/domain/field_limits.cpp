#include "domain/field_limits.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "domain/attribution.h"

namespace leadproc {
namespace {

constexpr bool has_limit(std::string_view field) {
  return std::any_of(std::begin(kFieldLimits), std::end(kFieldLimits),
                     [&](const FieldLimit& l) { return l.field == field; });
}
// Intake checks the attribution fields by name (ingest_lead.cpp): each must have a limit.
static_assert(std::all_of(kAttributionFields.begin(), kAttributionFields.end(), has_limit),
              "every attribution field needs a row in kFieldLimits");

}  // namespace

const FieldLimit* find_field_limit(std::string_view field) {
  for (const auto& limit : kFieldLimits)
    if (limit.field == field) return &limit;
  return nullptr;
}

std::string too_long_reason(const FieldLimit& limit) {
  return "must be at most " + std::to_string(limit.max_length) + " characters";
}

std::string too_many_reason(const FieldLimit& limit) {
  return "must have at most " + std::to_string(limit.max_entries) + " entries";
}

bool within_limit(const FieldLimit& limit, std::string_view text, std::vector<FieldError>& errors,
                  std::string_view path) {
  // Bytes bound code points from above: most texts are settled without counting.
  if (text.size() <= limit.max_length || text_length(text) <= limit.max_length) return true;
  errors.push_back({std::string(path.empty() ? limit.field : path), too_long_reason(limit)});
  return false;
}

bool within_limit(const FieldLimit& limit, std::span<const std::string> entries,
                  std::vector<FieldError>& errors, std::string_view path) {
  const std::string name(path.empty() ? limit.field : path);
  if (entries.size() > limit.max_entries) {
    errors.push_back({name, too_many_reason(limit)});
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < entries.size(); ++i)
    ok = within_limit(limit, entries[i], errors, name + "[" + std::to_string(i) + "]") && ok;
  return ok;
}

std::optional<int> pax_from_text(std::string_view text) {
  // Digits only: from_chars alone would take "2-3" as 2 and a leading '-'.
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != text.npos)
    return std::nullopt;
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value > kMaxPax) return std::nullopt;
  return value;
}

std::optional<int> pax_from_number(double value) {
  // The range first: NaN fails every comparison, and a cast of an out-of-range double is UB.
  if (!(value >= 0 && value <= kMaxPax) || std::trunc(value) != value) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace leadproc
