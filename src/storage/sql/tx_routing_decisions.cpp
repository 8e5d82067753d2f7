// SqlTx: routing records (app/routing_decision.h; migration 20): one narrow row per round-robin
// decision, the record a compact JSON text, read back by opportunity in the order written.
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

Result<std::vector<std::string>> SqlTx::list_routing_decisions(const Id& opp_id) {
  auto q = prepare("SELECT doc FROM routing_decisions WHERE opp_id = ?1 ORDER BY id");
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  return collect<std::string>(*q, [](const Row& r) -> Result<std::string> { return r.text_at(0); });
}

Status SqlTx::insert_routing_decision(const Id& opp_id, Timestamp at, const std::string& doc) {
  auto q = prepare("INSERT INTO routing_decisions (opp_id, created_at, doc) VALUES (?1, ?2, ?3)");
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  q->bind_int(2, to_ms(at));
  q->bind_text(3, doc);
  return q->run();
}

}  // namespace leadproc::sql
