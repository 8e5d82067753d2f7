// PgTx: leads. The record is stored whole as `doc` (codec::to_json); the other columns are
// copies for lookups. Leads are written once and never updated, so reads take no lock.
#include <boost/json/serialize.hpp>

#include "codec/json_codec.h"
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

Result<std::optional<Lead>> PgTx::get_lead(const Id& id) {
  auto rows = run("SELECT doc FROM leads WHERE id = $1", Params().text(id));
  if (!rows) return rows.error();
  return first<Lead>(*rows, [](const Row& row) -> Result<Lead> {
    auto doc = parse_object(row.view_at(0), "leads.doc");
    if (!doc) return doc.error();
    return codec::lead_from_json(*doc);
  });
}

Status PgTx::insert_lead(const Lead& lead) {
  auto rows =
      run("INSERT INTO leads (id, trace_id, number, platform, created_at, doc) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          Params()
              .text(lead.id)
              .opt_text(lead.trace_id)
              .text(lead.number)
              .text(to_string(lead.lead_source.platform))
              .integer(to_ms(lead.created_at))
              .text(boost::json::serialize(codec::to_json(lead))));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
