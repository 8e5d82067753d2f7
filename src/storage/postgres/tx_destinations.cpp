// PgTx: destinations, and destination_slugs kept in sync with each destination's slugs. In a
// write transaction destinations are share-locked: ingestion reads them on every lead, and
// share locks do not make leads wait for each other; a concurrent edit waits instead.
#include <set>

#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "d.id, d.name, d.slugs, d.preference, d.deleted, d.created_at, d.updated_at";

Result<Destination> read_destination(const Row& r) {
  Destination d;
  d.id = r.text_at(0);
  d.name = r.text_at(1);
  auto slugs = strings_from_json(r.view_at(2), "destinations.slugs");
  if (!slugs) return slugs.error();
  d.slugs = std::move(*slugs);
  d.preference = r.double_at(3);
  d.deleted = r.bool_at(4);
  d.created_at = from_ms(r.int_at(5));
  d.updated_at = from_ms(r.int_at(6));
  return d;
}

Params destination_params(const Destination& d) {
  Params p;
  p.text(d.id)
      .text(d.name)
      .text(strings_to_json(d.slugs))
      .real(d.preference)
      .boolean(d.deleted)
      .integer(to_ms(d.created_at))
      .integer(to_ms(d.updated_at));
  return p;
}

}  // namespace

Result<std::optional<Destination>> PgTx::get_destination(const Id& id) {
  auto rows = run(cat("SELECT ", kColumns, " FROM destinations d WHERE d.id = $1", for_share()),
                  Params().text(id));
  if (!rows) return rows.error();
  return first<Destination>(*rows, read_destination);
}

Result<std::optional<Destination>> PgTx::find_destination_by_name(const std::string& name) {
  // Matches the partial unique index destinations_name_unique.
  auto rows = run(cat("SELECT ", kColumns, " FROM destinations d ",
                      "WHERE lower(d.name) = lower($1::text) AND NOT d.deleted", for_share()),
                  Params().text(name));
  if (!rows) return rows.error();
  return first<Destination>(*rows, read_destination);
}

Result<std::vector<std::pair<std::string, Destination>>> PgTx::find_destinations_by_slugs(
    const std::vector<std::string>& slugs) {
  std::vector<std::pair<std::string, Destination>> out;
  std::set<std::string> seen;
  for (const auto& slug : slugs) {
    std::string key = ascii_lower(slug);
    if (!seen.insert(key).second) continue;
    auto rows = run(cat("SELECT ", kColumns,
                        " FROM destination_slugs s JOIN destinations d ON d.id = s.destination_id",
                        " WHERE s.slug = $1 AND NOT d.deleted ORDER BY d.id",
                        locking_ ? " FOR SHARE OF d" : ""),
                    Params().text(key));
    if (!rows) return rows.error();
    auto found = collect<Destination>(*rows, read_destination);
    if (!found) return found.error();
    for (auto& d : *found) out.emplace_back(slug, std::move(d));
  }
  return out;
}

Result<std::vector<Destination>> PgTx::list_destinations(bool include_deleted) {
  auto rows = run(cat("SELECT ", kColumns, " FROM destinations d WHERE ($1::boolean OR NOT ",
                      "d.deleted) ORDER BY lower(d.name), d.id", for_share()),
                  Params().boolean(include_deleted));
  if (!rows) return rows.error();
  return collect<Destination>(*rows, read_destination);
}

Status PgTx::write_slugs(const Destination& d) {
  if (auto del =
          run("DELETE FROM destination_slugs WHERE destination_id = $1", Params().text(d.id));
      !del)
    return del.error();
  std::set<std::string> unique;
  for (const auto& slug : d.slugs) unique.insert(ascii_lower(slug));
  for (const auto& slug : unique) {
    auto ins = run("INSERT INTO destination_slugs (destination_id, slug) VALUES ($1, $2)",
                   Params().text(d.id).text(slug));
    if (!ins) return ins.error();
  }
  return ok_status();
}

Status PgTx::insert_destination(const Destination& d) {
  auto rows =
      run("INSERT INTO destinations (id, name, slugs, preference, deleted, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          destination_params(d));
  if (!rows) return rows.error();
  return write_slugs(d);
}

Status PgTx::update_destination(const Destination& d) {
  auto rows =
      run("UPDATE destinations SET name = $2, slugs = $3, preference = $4, deleted = $5, "
          "created_at = $6, updated_at = $7 WHERE id = $1",
          destination_params(d));
  if (!rows) return rows.error();
  if (auto s = require_changed(rows->affected(), "destination", d.id); !s) return s;
  return write_slugs(d);
}

}  // namespace leadproc::postgres
