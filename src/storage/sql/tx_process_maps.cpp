// SqlTx: process_maps and their process_map_entries (routing of destinations to processes).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kMapColumns = "id, process, deleted, created_at, updated_at";
constexpr std::string_view kEntryColumns =
    "e.destination_id, e.name, e.is_active, e.load_share, e.counter, e.sheet_name, e.waba_number";

// A map without its entries (with_entries() / map_entries() load them).
Result<ProcessDestinationMap> read_map(const Row& q) {
  ProcessDestinationMap m;
  m.id = q.text_at(0);
  auto p = require(parse_filtration_process(q.text_at(1)), "process_maps.process", q.text_at(1));
  if (!p) return p.error();
  m.process = *p;
  m.deleted = q.bool_at(2);
  m.created_at = from_ms(q.int_at(3));
  m.updated_at = from_ms(q.int_at(4));
  return m;
}

// An entry from kEntryColumns starting at column `at`.
ProcessMapEntry read_entry(const Row& q, int at) {
  ProcessMapEntry e;
  e.destination_id = q.text_at(at);
  e.name = q.text_at(at + 1);
  e.is_active = q.bool_at(at + 2);
  e.load_share = static_cast<int>(q.int_at(at + 3));
  e.counter = q.int_at(at + 4);
  e.sheet_name = q.opt_text_at(at + 5);
  e.waba_number = q.opt_text_at(at + 6);
  return e;
}

void bind_map(Stmt& q, const ProcessDestinationMap& m) {
  q.bind_text(1, m.id);
  q.bind_text(2, to_string(m.process));
  q.bind_bool(3, m.deleted);
  q.bind_int(4, to_ms(m.created_at));
  q.bind_int(5, to_ms(m.updated_at));
}

}  // namespace

Result<std::vector<ProcessMapEntry>> SqlTx::map_entries(const Id& map_id) {
  auto q = prepare(cat("SELECT ", kEntryColumns,
                       " FROM process_map_entries e WHERE e.map_id = ?1 ORDER BY e.position",
                       for_update()));
  if (!q) return q.error();
  q->bind_text(1, map_id);
  return collect<ProcessMapEntry>(
      *q, [](const Row& row) -> Result<ProcessMapEntry> { return read_entry(row, 0); });
}

Status SqlTx::write_map_entries(const ProcessDestinationMap& m) {
  {
    auto del = prepare("DELETE FROM process_map_entries WHERE map_id = ?1");
    if (!del) return del.error();
    del->bind_text(1, m.id);
    if (auto s = del->run(); !s) return s;
  }
  std::int64_t position = 0;
  for (const auto& e : m.destinations) {
    auto q = prepare(
        "INSERT INTO process_map_entries (map_id, destination_id, name, is_active, load_share, "
        "counter, sheet_name, waba_number, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!q) return q.error();
    q->bind_text(1, m.id);
    q->bind_text(2, e.destination_id);
    q->bind_text(3, e.name);
    q->bind_bool(4, e.is_active);
    q->bind_int(5, e.load_share);
    q->bind_int(6, e.counter);
    q->bind_opt_text(7, e.sheet_name);
    q->bind_opt_text(8, e.waba_number);
    q->bind_int(9, position++);
    if (auto s = q->run(); !s) return s;
  }
  return ok_status();
}

Result<std::optional<ProcessDestinationMap>> SqlTx::with_entries(
    Result<std::optional<ProcessDestinationMap>> found) {
  if (!found || !*found) return found;
  auto entries = map_entries((*found)->id);
  if (!entries) return entries.error();
  (*found)->destinations = std::move(*entries);
  return found;
}

Result<std::optional<ProcessDestinationMap>> SqlTx::get_process_map(const Id& id) {
  auto q = prepare(cat("SELECT ", kMapColumns, " FROM process_maps WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return with_entries(first<ProcessDestinationMap>(*q, read_map));
}

Result<std::optional<ProcessDestinationMap>> SqlTx::find_process_map(FiltrationProcess p) {
  auto q = prepare(cat("SELECT ", kMapColumns,
                       " FROM process_maps WHERE process = ?1 AND deleted = ", sql_false(),
                       for_update()));
  if (!q) return q.error();
  q->bind_text(1, to_string(p));
  return with_entries(first<ProcessDestinationMap>(*q, read_map));
}

Result<std::vector<ProcessDestinationMap>> SqlTx::list_process_maps(bool include_deleted) {
  auto q = prepare(cat("SELECT ", kMapColumns,
                       " FROM process_maps WHERE (CAST(?1 AS BOOLEAN) OR deleted = ", sql_false(),
                       ") ORDER BY id", for_update()));
  if (!q) return q.error();
  q->bind_bool(1, include_deleted);
  auto maps = collect<ProcessDestinationMap>(*q, read_map);
  if (!maps) return maps;
  for (auto& m : *maps) {
    auto entries = map_entries(m.id);
    if (!entries) return entries.error();
    m.destinations = std::move(*entries);
  }
  return maps;
}

Status SqlTx::insert_process_map(const ProcessDestinationMap& m) {
  auto q = prepare(cat("INSERT INTO process_maps (", kMapColumns, ") VALUES (?1, ?2, ?3, ?4, ?5)"));
  if (!q) return q.error();
  bind_map(*q, m);
  if (auto s = q->run(); !s) return s;
  return write_map_entries(m);
}

Status SqlTx::update_process_map(const ProcessDestinationMap& m) {
  auto q = prepare(
      "UPDATE process_maps SET process = ?2, deleted = ?3, created_at = ?4, updated_at = ?5 "
      "WHERE id = ?1");
  if (!q) return q.error();
  bind_map(*q, m);
  if (auto s = q->run(); !s) return s;
  if (auto s = require_changed(q->changes(), "process map", m.id); !s) return s;
  return write_map_entries(m);
}

// Routing entries are row-locked where the store locks rows: the split counters they carry change
// with every lead. They are locked in one statement, in (process, map id) order: two leads of
// one destination take them in the same order and so never deadlock.
Result<std::vector<RoutingEntry>> SqlTx::routing_entries_for_update(const Id& destination_id) {
  // Read unlocked first: a destination with one active entry (the usual case) writes nothing,
  // so its leads need not wait for each other. Only a loadShare split (several entries, whose
  // counters the caller writes) is read again with its entries locked.
  auto read = [&](bool lock) -> Result<std::vector<RoutingEntry>> {
    auto q = prepare(cat("SELECT m.id, m.process, ", kEntryColumns,
                         " FROM process_map_entries e JOIN process_maps m ON m.id = e.map_id",
                         " WHERE e.destination_id = ?1 AND e.is_active = ", sql_true(),
                         " AND m.deleted = ", sql_false(), " ORDER BY m.process, m.id",
                         lock ? " FOR UPDATE OF e" : ""));
    if (!q) return q.error();
    q->bind_text(1, destination_id);
    return collect<RoutingEntry>(*q, [](const Row& row) -> Result<RoutingEntry> {
      auto p =
          require(parse_filtration_process(row.text_at(1)), "process_maps.process", row.text_at(1));
      if (!p) return p.error();
      return RoutingEntry{row.text_at(0), *p, read_entry(row, 2)};
    });
  };
  auto entries = read(false);
  if (!entries || !locking() || entries->size() < 2) return entries;
  return read(true);
}

Status SqlTx::save_routing_counter(const Id& map_id, const Id& destination_id,
                                   std::int64_t counter) {
  auto q = prepare(
      "UPDATE process_map_entries SET counter = ?3 WHERE map_id = ?1 AND destination_id = ?2");
  if (!q) return q.error();
  q->bind_text(1, map_id);
  q->bind_text(2, destination_id);
  q->bind_int(3, counter);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "process map entry", map_id + "/" + destination_id);
}

}  // namespace leadproc::sql
