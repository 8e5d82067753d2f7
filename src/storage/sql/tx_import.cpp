// SqlTx: what `leadproc import` asks of the store beyond the entities' inserts.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

std::string_view table_of(RecordKind kind) {
  switch (kind) {
    case RecordKind::kUser:
      return "users";
    case RecordKind::kDestination:
      return "destinations";
    case RecordKind::kProcessMap:
      return "process_maps";
    case RecordKind::kAvailability:
      return "availabilities";
    case RecordKind::kWebUrl:
      return "weburls";
    case RecordKind::kLead:
      return "leads";
    case RecordKind::kOpportunity:
      return "opportunities";
    case RecordKind::kActivity:
      return "activities";
    case RecordKind::kFollowUp:
      return "followups";
    case RecordKind::kNote:
      return "notes";
    case RecordKind::kScoreConfig:
      return "score_configurations";
  }
  return "users";  // unreachable: every kind is listed above
}

Result<std::vector<Id>> SqlTx::existing_ids(RecordKind kind, const std::vector<Id>& ids) {
  if (ids.empty()) return std::vector<Id>{};
  // One statement for the whole batch: the ids travel as one JSON array (json_elements()), so
  // the statement text does not depend on how many there are; the primary key serves each lookup.
  boost::json::array list;
  for (const auto& id : ids) list.emplace_back(id);
  auto q = prepare(
      cat("SELECT DISTINCT id FROM ", table_of(kind), " WHERE id IN (", json_elements(), ")"));
  if (!q) return q.error();
  q->bind_text(1, boost::json::serialize(list));
  return collect<Id>(*q, [](const Row& row) -> Result<Id> { return row.text_at(0); });
}

}  // namespace leadproc::sql
