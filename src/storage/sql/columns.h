// Conversions between domain values and column values, the same in both stores: timestamps as
// integer milliseconds since the epoch (UTC; INTEGER in SQLite, BIGINT in PostgreSQL), enums as
// their wire strings, small lists as JSON text. A stored value that does not convert back is a
// corrupt row: kInternal.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc::sql {

inline std::int64_t to_ms(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp from_ms(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}
inline std::optional<std::int64_t> to_ms(const std::optional<Timestamp>& t) {
  return t ? std::optional<std::int64_t>(to_ms(*t)) : std::nullopt;
}
inline std::optional<Timestamp> from_ms(const std::optional<std::int64_t>& ms) {
  return ms ? std::optional<Timestamp>(from_ms(*ms)) : std::nullopt;
}

// The error for a stored value that does not parse.
Error corrupt(std::string_view what, std::string_view value);

// `parsed` (the result of a parse_*() of enums.h) or a corrupt-row error naming `what`.
template <typename E>
Result<E> require(std::optional<E> parsed, std::string_view what, std::string_view text) {
  if (!parsed) return corrupt(what, text);
  return *parsed;
}

std::string strings_to_json(const std::vector<std::string>& v);
Result<std::vector<std::string>> strings_from_json(std::string_view text, std::string_view what);

std::string platforms_to_json(const std::vector<Platform>& v);
Result<std::vector<Platform>> platforms_from_json(std::string_view text);

std::string refs_to_json(const std::vector<NamedRef>& v);  // [{"_id","name"}]
Result<std::vector<NamedRef>> refs_from_json(std::string_view text);

// An availability's work schedule as the `schedule` column: NULL when empty (always working), else
// codec/work_schedule_json.h's JSON.
std::optional<std::string> schedule_to_column(const WorkSchedule& s);
Result<WorkSchedule> schedule_from_column(const std::optional<std::string>& text);

// An availability's routing rules as the `rules` column (migration 27): NULL when all are the
// defaults (no cap, no quota, weight 1, any language, not the night desk), else
// codec/poc_rules_json.h's JSON.
std::optional<std::string> rules_to_column(const PocRules& r);
Result<PocRules> rules_from_column(const std::optional<std::string>& text);

// [{"field","previousValue","newValue"}]; the values are kept as the JSON texts they are.
std::string changes_to_json(const std::vector<FieldChange>& v);
Result<std::vector<FieldChange>> changes_from_json(std::string_view text);

// Parses a stored document (the `doc` column).
Result<boost::json::object> parse_object(std::string_view text, std::string_view what);

// The funnel's projected columns of an opportunity (domain/funnel.h; migration 15): written on
// every insert and update, and by each adapter's backfill of migration 15.
struct FunnelColumns {
  std::string campaign;                // campaign_of(); '' when none
  int step = 0;                        // FunnelStep as its number (0 captured .. 4 won)
  std::optional<std::string> outcome;  // "lost", "disqualified"; NULL when neither
};
FunnelColumns funnel_columns(const Opportunity& o);

// The table that holds the records of `kind` (the same name in both adapters' schemas).
std::string_view table_of(RecordKind kind);

}  // namespace leadproc::sql
