// PgTx: process_maps and their process_map_entries (routing of destinations to processes).
// Routing entries are row-locked: the split counters they carry change with every lead.
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kMapColumns = "id, process, deleted, created_at, updated_at";
constexpr std::string_view kEntryColumns =
    "e.destination_id, e.name, e.is_active, e.load_share, e.counter, e.sheet_name, e.waba_number";

// A map without its entries (with_entries() / map_entries() load them).
Result<ProcessDestinationMap> read_map(const Row& r) {
  ProcessDestinationMap m;
  m.id = r.text_at(0);
  auto p = require(parse_filtration_process(r.view_at(1)), "process_maps.process", r.view_at(1));
  if (!p) return p.error();
  m.process = *p;
  m.deleted = r.bool_at(2);
  m.created_at = from_ms(r.int_at(3));
  m.updated_at = from_ms(r.int_at(4));
  return m;
}

// An entry from kEntryColumns starting at column `at`.
ProcessMapEntry read_entry(const Row& r, int at) {
  ProcessMapEntry e;
  e.destination_id = r.text_at(at);
  e.name = r.text_at(at + 1);
  e.is_active = r.bool_at(at + 2);
  e.load_share = static_cast<int>(r.int_at(at + 3));
  e.counter = r.int_at(at + 4);
  e.sheet_name = r.opt_text_at(at + 5);
  e.waba_number = r.opt_text_at(at + 6);
  return e;
}

Params map_params(const ProcessDestinationMap& m) {
  Params p;
  p.text(m.id)
      .text(to_string(m.process))
      .boolean(m.deleted)
      .integer(to_ms(m.created_at))
      .integer(to_ms(m.updated_at));
  return p;
}

}  // namespace

Result<std::vector<ProcessMapEntry>> PgTx::map_entries(const Id& map_id) {
  auto rows = run(cat("SELECT ", kEntryColumns, " FROM process_map_entries e WHERE e.map_id = $1",
                      " ORDER BY e.position", for_update()),
                  Params().text(map_id));
  if (!rows) return rows.error();
  return collect<ProcessMapEntry>(
      *rows, [](const Row& row) -> Result<ProcessMapEntry> { return read_entry(row, 0); });
}

Status PgTx::write_map_entries(const ProcessDestinationMap& m) {
  if (auto del = run("DELETE FROM process_map_entries WHERE map_id = $1", Params().text(m.id));
      !del)
    return del.error();
  std::int64_t position = 0;
  for (const auto& e : m.destinations) {
    auto ins = run(
        "INSERT INTO process_map_entries (map_id, destination_id, name, is_active, load_share, "
        "counter, sheet_name, waba_number, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Params()
            .text(m.id)
            .text(e.destination_id)
            .text(e.name)
            .boolean(e.is_active)
            .integer(e.load_share)
            .integer(e.counter)
            .opt_text(e.sheet_name)
            .opt_text(e.waba_number)
            .integer(position++));
    if (!ins) return ins.error();
  }
  return ok_status();
}

Result<std::optional<ProcessDestinationMap>> PgTx::with_entries(
    Result<std::optional<ProcessDestinationMap>> found) {
  if (!found || !*found) return found;
  auto entries = map_entries((*found)->id);
  if (!entries) return entries.error();
  (*found)->destinations = std::move(*entries);
  return found;
}

Result<std::optional<ProcessDestinationMap>> PgTx::get_process_map(const Id& id) {
  auto rows = run(cat("SELECT ", kMapColumns, " FROM process_maps WHERE id = $1", for_update()),
                  Params().text(id));
  if (!rows) return rows.error();
  return with_entries(first<ProcessDestinationMap>(*rows, read_map));
}

Result<std::optional<ProcessDestinationMap>> PgTx::find_process_map(FiltrationProcess p) {
  auto rows = run(cat("SELECT ", kMapColumns, " FROM process_maps WHERE process = $1 AND NOT ",
                      "deleted", for_update()),
                  Params().text(to_string(p)));
  if (!rows) return rows.error();
  return with_entries(first<ProcessDestinationMap>(*rows, read_map));
}

Result<std::vector<ProcessDestinationMap>> PgTx::list_process_maps(bool include_deleted) {
  auto rows = run(cat("SELECT ", kMapColumns, " FROM process_maps WHERE ($1::boolean OR NOT ",
                      "deleted) ORDER BY id", for_update()),
                  Params().boolean(include_deleted));
  if (!rows) return rows.error();
  auto maps = collect<ProcessDestinationMap>(*rows, read_map);
  if (!maps) return maps;
  for (auto& m : *maps) {
    auto entries = map_entries(m.id);
    if (!entries) return entries.error();
    m.destinations = std::move(*entries);
  }
  return maps;
}

Status PgTx::insert_process_map(const ProcessDestinationMap& m) {
  auto rows = run(cat("INSERT INTO process_maps (", kMapColumns, ") VALUES ($1, $2, $3, $4, $5)"),
                  map_params(m));
  if (!rows) return rows.error();
  return write_map_entries(m);
}

Status PgTx::update_process_map(const ProcessDestinationMap& m) {
  auto rows =
      run("UPDATE process_maps SET process = $2, deleted = $3, created_at = $4, updated_at = $5 "
          "WHERE id = $1",
          map_params(m));
  if (!rows) return rows.error();
  if (auto s = require_changed(rows->affected(), "process map", m.id); !s) return s;
  return write_map_entries(m);
}

Result<std::vector<RoutingEntry>> PgTx::routing_entries_for_update(const Id& destination_id) {
  // Entries are locked in one statement, in (process, map id) order: two leads of one destination
  // take them in the same order and so never deadlock.
  auto rows = run(cat("SELECT m.id, m.process, ", kEntryColumns,
                      " FROM process_map_entries e JOIN process_maps m ON m.id = e.map_id",
                      " WHERE e.destination_id = $1 AND e.is_active AND NOT m.deleted",
                      " ORDER BY m.process, m.id", locking_ ? " FOR UPDATE OF e" : ""),
                  Params().text(destination_id));
  if (!rows) return rows.error();
  return collect<RoutingEntry>(*rows, [](const Row& row) -> Result<RoutingEntry> {
    auto p =
        require(parse_filtration_process(row.view_at(1)), "process_maps.process", row.view_at(1));
    if (!p) return p.error();
    return RoutingEntry{row.text_at(0), *p, read_entry(row, 2)};
  });
}

Status PgTx::save_routing_counter(const Id& map_id, const Id& destination_id,
                                  std::int64_t counter) {
  auto rows =
      run("UPDATE process_map_entries SET counter = $3 WHERE map_id = $1 AND destination_id = $2",
          Params().text(map_id).text(destination_id).integer(counter));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "process map entry", map_id + "/" + destination_id);
}

}  // namespace leadproc::postgres
