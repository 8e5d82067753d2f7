// SqlTx: leads. The record is stored whole as `doc` (codec::to_json); the other columns are
// copies for lookups.
#include <boost/json/serialize.hpp>

#include "codec/json_codec.h"
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

Result<std::optional<Lead>> SqlTx::get_lead(const Id& id) {
  auto q = prepare("SELECT doc FROM leads WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Lead>(*q, [](const Row& row) -> Result<Lead> {
    auto doc = parse_object(row.view_at(0), "leads.doc");
    if (!doc) return doc.error();
    return codec::lead_from_json(*doc);
  });
}

Status SqlTx::insert_lead(const Lead& lead) {
  auto q = prepare(
      "INSERT INTO leads (id, trace_id, number, platform, created_at, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q) return q.error();
  q->bind_text(1, lead.id);
  q->bind_opt_text(2, lead.trace_id);
  q->bind_text(3, lead.number);
  q->bind_text(4, to_string(lead.lead_source.platform));
  q->bind_int(5, to_ms(lead.created_at));
  q->bind_text(6, boost::json::serialize(codec::to_json(lead)));
  return q->run();
}

}  // namespace leadproc::sql
