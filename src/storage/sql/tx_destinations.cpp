// SqlTx: destinations, and destination_slugs kept in sync with each destination's slugs.
#include <set>

#include "domain/text.h"
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "d.id, d.name, d.slugs, d.preference, d.deleted, d.created_at, d.updated_at";

Result<Destination> read_destination(const Row& q) {
  Destination d;
  d.id = q.text_at(0);
  d.name = q.text_at(1);
  auto slugs = strings_from_json(q.text_at(2), "destinations.slugs");
  if (!slugs) return slugs.error();
  d.slugs = std::move(*slugs);
  d.preference = q.double_at(3);
  d.deleted = q.bool_at(4);
  d.created_at = from_ms(q.int_at(5));
  d.updated_at = from_ms(q.int_at(6));
  return d;
}

void bind_destination(Stmt& q, const Destination& d) {
  q.bind_text(1, d.id);
  q.bind_text(2, d.name);
  q.bind_text(3, strings_to_json(d.slugs));
  q.bind_double(4, d.preference);
  q.bind_bool(5, d.deleted);
  q.bind_int(6, to_ms(d.created_at));
  q.bind_int(7, to_ms(d.updated_at));
}

}  // namespace

Result<std::optional<Destination>> SqlTx::get_destination(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM destinations d WHERE d.id = ?1", for_share()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Destination>(*q, read_destination);
}

Result<std::optional<Destination>> SqlTx::find_destination_by_name(const std::string& name) {
  // Matches the partial unique index destinations_name_unique.
  auto q = prepare(cat("SELECT ", kColumns, " FROM destinations d WHERE lower(d.name) = ",
                       "lower(CAST(?1 AS TEXT)) AND d.deleted = ", sql_false(), for_share()));
  if (!q) return q.error();
  q->bind_text(1, name);
  return first<Destination>(*q, read_destination);
}

Result<std::vector<std::pair<std::string, Destination>>> SqlTx::find_destinations_by_slugs(
    const std::vector<std::string>& slugs) {
  std::vector<std::pair<std::string, Destination>> out;
  std::set<std::string> seen;
  for (const auto& slug : slugs) {
    std::string key = lower_ascii(slug);
    if (!seen.insert(key).second) continue;
    auto q = prepare(cat("SELECT ", kColumns,
                         " FROM destination_slugs s JOIN destinations d ON d.id = s.destination_id",
                         " WHERE s.slug = ?1 AND NOT d.deleted ORDER BY d.id",
                         locking() ? " FOR SHARE OF d" : ""));
    if (!q) return q.error();
    q->bind_text(1, key);
    auto found = collect<Destination>(*q, read_destination);
    if (!found) return found.error();
    for (auto& d : *found) out.emplace_back(slug, std::move(d));
  }
  return out;
}

Result<std::vector<Destination>> SqlTx::list_destinations(bool include_deleted) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM destinations d WHERE (CAST(?1 AS BOOLEAN) OR ",
                       "NOT d.deleted) ORDER BY lower(d.name), d.id", for_share()));
  if (!q) return q.error();
  q->bind_bool(1, include_deleted);
  return collect<Destination>(*q, read_destination);
}

Status SqlTx::write_slugs(const Destination& d) {
  {
    auto del = prepare("DELETE FROM destination_slugs WHERE destination_id = ?1");
    if (!del) return del.error();
    del->bind_text(1, d.id);
    if (auto s = del->run(); !s) return s;
  }
  std::set<std::string> unique;
  for (const auto& slug : d.slugs) unique.insert(lower_ascii(slug));
  for (const auto& slug : unique) {
    auto ins = prepare("INSERT INTO destination_slugs (destination_id, slug) VALUES (?1, ?2)");
    if (!ins) return ins.error();
    ins->bind_text(1, d.id);
    ins->bind_text(2, slug);
    if (auto s = ins->run(); !s) return s;
  }
  return ok_status();
}

Status SqlTx::insert_destination(const Destination& d) {
  auto q = prepare(
      "INSERT INTO destinations (id, name, slugs, preference, deleted, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!q) return q.error();
  bind_destination(*q, d);
  if (auto s = q->run(); !s) return s;
  return write_slugs(d);
}

Status SqlTx::update_destination(const Destination& d) {
  auto q = prepare(
      "UPDATE destinations SET name = ?2, slugs = ?3, preference = ?4, deleted = ?5, "
      "created_at = ?6, updated_at = ?7 WHERE id = ?1");
  if (!q) return q.error();
  bind_destination(*q, d);
  if (auto s = q->run(); !s) return s;
  if (auto s = require_changed(q->changes(), "destination", d.id); !s) return s;
  return write_slugs(d);
}

}  // namespace leadproc::sql
