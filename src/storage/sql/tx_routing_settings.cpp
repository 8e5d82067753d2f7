// SqlTx: the admin's routing settings (one row, id 1; migration 28) and the sticky owner's
// look-up of a number's latest closed opportunity (app/sticky_owner.h).
#include "storage/sql/columns.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

Result<std::optional<RoutingSettings>> SqlTx::get_routing_settings() {
  auto q = prepare("SELECT sticky_owner_days FROM routing_settings WHERE id = 1");
  if (!q) return q.error();
  return first<RoutingSettings>(*q, [](const Row& r) -> Result<RoutingSettings> {
    return RoutingSettings{static_cast<int>(r.int_at(0))};
  });
}

Status SqlTx::put_routing_settings(const RoutingSettings& s, Timestamp at) {
  auto q = prepare(
      "INSERT INTO routing_settings (id, sticky_owner_days, updated_at) VALUES (1, ?1, ?2) "
      "ON CONFLICT (id) DO UPDATE SET sticky_owner_days = excluded.sticky_owner_days, "
      "updated_at = excluded.updated_at");
  if (!q) return q.error();
  q->bind_int(1, s.sticky_owner_days);
  q->bind_int(2, to_ms(at));
  return q->run();
}

Result<std::optional<ClosedOriginal>> SqlTx::latest_closed_original(
    const std::string& e164, const std::optional<Id>& destination_id, Timestamp since) {
  // Served by opportunities_closed_by_number (number, destination_key, closed_at).
  auto q = prepare(cat("SELECT version, doc, closed_at FROM opportunities WHERE number = ?1 AND ",
                       "destination_key = ?2 AND closed_at >= ?3 AND is_duplicate = ", sql_false(),
                       " ORDER BY closed_at DESC, id DESC LIMIT 1"));
  if (!q) return q.error();
  q->bind_text(1, e164);
  q->bind_text(2, destination_id.value_or(""));
  q->bind_int(3, to_ms(since));
  return first<ClosedOriginal>(*q, [](const Row& r) -> Result<ClosedOriginal> {
    auto opp = read_opportunity(r);
    if (!opp) return opp.error();
    return ClosedOriginal{std::move(*opp), from_ms(r.int_at(2))};
  });
}

}  // namespace leadproc::sql
