// What an admin sets on a POC beyond its pool, sources and destinations (issue 21, items 1-3):
// a cap on fresh untouched leads, a daily quota, a weight within its tier, the languages it
// speaks and whether it is on the night desk. Pure data and the filters round robin applies with
// them (domain/round_robin.h); no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc {

// Bounds the availability API enforces (codec/poc_rules_json.h).
constexpr int kMaxWeight = 100;
constexpr std::int64_t kMaxCap = 10000;
constexpr std::size_t kMaxLanguages = 20;

struct PocRules {
  // At most this many of the POC's leads in their fresh stage not yet touched (funnel step
  // "assigned": the agent has not moved it on; for sales, CRM stage fresh_lead); none: no cap.
  std::optional<std::int64_t> cap;
  // At most this many leads per business day (in the business time zone); none: no quota.
  std::optional<std::int64_t> daily_quota;
  // The POC's share within its source tier: weight / the tier's total weight. 1..kMaxWeight.
  int weight = 1;
  // Language tags the POC works in (lower case, "en", "hi", "pt-br"); empty: any language.
  std::vector<std::string> languages;
  // On the pool's night desk: gets the pool's leads only while no other POC of it is working.
  bool night_desk = false;

  bool is_default() const {
    return !cap && !daily_quota && weight == 1 && languages.empty() && !night_desk;
  }
  bool operator==(const PocRules&) const = default;
};

// The leads counted to a POC on one business day: `day` is the local date as days since
// 1970-01-01 (WorkTime::local_day); a count of another day is 0 today.
struct DayCount {
  std::int64_t day = 0;
  std::int64_t count = 0;
  std::int64_t on(std::int64_t today) const { return day == today ? count : 0; }
  bool operator==(const DayCount&) const = default;
};

// "en", "pt-br": 2 or 3 letters, then optional "-" parts of 2..8 letters or digits. Lower-cases
// and answers the tag, or nullopt when it is not one.
std::optional<std::string> normalize_language(std::string_view tag);

// True iff a POC speaking `languages` takes a lead in `language` (no language, or the POC lists
// none, or lists it).
bool speaks(const std::vector<std::string>& languages, const std::optional<std::string>& language);

// Why a working POC was skipped for a lead; the routing record and a waiting lead name it.
enum class Skip { kLanguage, kAtCapacity, kDailyQuota };
std::string_view to_string(Skip s);  // "language", "at capacity", "daily quota reached"

// The skip for a POC with `rules`, `fresh` untouched leads and `today` leads today, for a lead
// in `language`; nullopt when it can take it.
std::optional<Skip> skip_reason(const PocRules& rules, std::int64_t fresh, std::int64_t today,
                                const std::optional<std::string>& language);

}  // namespace leadproc
