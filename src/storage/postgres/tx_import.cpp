// PgTx: what `leadproc import` asks of the store beyond the entities' inserts.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "storage/postgres/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

Result<std::vector<Id>> PgTx::existing_ids(RecordKind kind, const std::vector<Id>& ids) {
  if (ids.empty()) return std::vector<Id>{};
  // One statement for the whole batch: the ids travel as one JSON array, so the statement text
  // does not depend on how many there are; the primary key serves each lookup.
  boost::json::array list;
  for (const auto& id : ids) list.emplace_back(id);
  auto rows = run(cat("SELECT DISTINCT id FROM ", table_of(kind),
                      " WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))"),
                  Params().text(boost::json::serialize(list)));
  if (!rows) return rows.error();
  return collect<Id>(*rows, [](const Row& r) -> Result<Id> { return r.text_at(0); });
}

}  // namespace leadproc::postgres
