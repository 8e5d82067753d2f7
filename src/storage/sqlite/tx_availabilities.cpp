// SqliteTx: availabilities (the round-robin pools) and routing_streaks.
#include "domain/round_robin.h"
#include "storage/sql/columns.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, person_id, person_name, is_available, process, source, destinations, seq, lead_count, "
    "total_count, deleted, created_by, modified_by, created_at, updated_at";

Result<Availability> read_availability(const sql::Row& q) {
  Availability a;
  a.id = q.text_at(0);
  a.person_id = q.text_at(1);
  a.person_name = q.text_at(2);
  a.is_available = q.bool_at(3);
  auto p =
      require(parse_availability_process(q.text_at(4)), "availabilities.process", q.text_at(4));
  if (!p) return p.error();
  a.process = *p;
  auto source = platforms_from_json(q.text_at(5));
  if (!source) return source.error();
  a.source = std::move(*source);
  auto destinations = refs_from_json(q.text_at(6));
  if (!destinations) return destinations.error();
  a.destinations = std::move(*destinations);
  a.seq = q.opt_int_at(7);
  a.lead_count = q.int_at(8);
  a.total_count = q.int_at(9);
  a.deleted = q.bool_at(10);
  a.created_by = q.opt_text_at(11);
  a.modified_by = q.opt_text_at(12);
  a.created_at = from_ms(q.int_at(13));
  a.updated_at = from_ms(q.int_at(14));
  return a;
}

void bind_availability(Query& q, const Availability& a) {
  q.bind_text(1, a.id);
  q.bind_text(2, a.person_id);
  q.bind_text(3, a.person_name);
  q.bind_bool(4, a.is_available);
  q.bind_text(5, to_string(a.process));
  q.bind_text(6, platforms_to_json(a.source));
  q.bind_text(7, refs_to_json(a.destinations));
  q.bind_opt_int(8, a.seq);
  q.bind_int(9, a.lead_count);
  q.bind_int(10, a.total_count);
  q.bind_bool(11, a.deleted);
  q.bind_opt_text(12, a.created_by);
  q.bind_opt_text(13, a.modified_by);
  q.bind_int(14, to_ms(a.created_at));
  q.bind_int(15, to_ms(a.updated_at));
}

}  // namespace

Result<std::optional<Availability>> SqliteTx::get_availability(const Id& id) {
  auto q = c_.query(cat("SELECT ", kColumns, " FROM availabilities WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Availability>(*q, read_availability);
}

Result<std::vector<Availability>> SqliteTx::list_availabilities(const AvailabilityFilter& f) {
  auto q = c_.query(cat("SELECT ", kColumns, " FROM availabilities",
                        " WHERE (?1 IS NULL OR process = ?1) AND (?2 IS NULL OR person_id = ?2)",
                        " AND (?3 OR deleted = 0) ORDER BY id"));
  if (!q) return q.error();
  if (f.process) q->bind_text(1, to_string(*f.process));
  if (f.person_id) q->bind_text(2, *f.person_id);
  q->bind_bool(3, f.include_deleted);
  return collect<Availability>(*q, read_availability);
}

Result<std::vector<Availability>> SqliteTx::pool_for_update(AvailabilityProcess process) {
  auto q = c_.query(cat("SELECT ", kColumns, " FROM availabilities",
                        " WHERE process = ?1 AND deleted = 0 ORDER BY id"));
  if (!q) return q.error();
  q->bind_text(1, to_string(process));
  return collect<Availability>(*q, read_availability);
}

// rank_pool() itself, over the writer's cached copy of the pool (pool_cache.h): ranking needs
// every available POC's source and destination lists, which SQL could only search as text.
Result<std::vector<RankedPoc>> SqliteTx::ranked_pool_for_update(
    AvailabilityProcess process, const std::optional<Id>& destination_id, Platform platform) {
  if (!pools_) {  // not the writer: nothing to cache across transactions
    auto pool = pool_for_update(process);
    if (!pool) return pool.error();
    return rank_pool(*pool, destination_id, platform);
  }
  const std::vector<Availability>* pool = pools_->find(process);
  if (!pool) {
    auto loaded = pool_for_update(process);
    if (!loaded) return loaded.error();
    pool = pools_->store(process, std::move(*loaded));
  }
  return rank_pool(*pool, destination_id, platform);
}

Status SqliteTx::insert_availability(const Availability& a) {
  auto q =
      c_.query(cat("INSERT INTO availabilities (", kColumns,
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
  if (!q) return q.error();
  bind_availability(*q, a);
  if (pools_) pools_->invalidate();
  return q->run();
}

Status SqliteTx::update_availability(const Availability& a) {
  auto q = c_.query(
      "UPDATE availabilities SET person_id = ?2, person_name = ?3, is_available = ?4, "
      "process = ?5, source = ?6, destinations = ?7, seq = ?8, lead_count = ?9, "
      "total_count = ?10, deleted = ?11, created_by = ?12, modified_by = ?13, created_at = ?14, "
      "updated_at = ?15 WHERE id = ?1");
  if (!q) return q.error();
  bind_availability(*q, a);
  if (pools_) pools_->invalidate();
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "availability", a.id);
}

Status SqliteTx::count_assignment(const Id& availability_id) {
  auto q = c_.query(
      "UPDATE availabilities SET lead_count = lead_count + 1, total_count = total_count + 1 "
      "WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, availability_id);
  if (auto s = q->run(); !s) return s;
  if (auto s = require_changed(q->changes(), "availability", availability_id); !s) return s;
  if (pools_) pools_->counted(availability_id);
  return ok_status();
}

Result<std::optional<Streak>> SqliteTx::streak_for_update(AvailabilityProcess pool,
                                                          const std::string& destination_key) {
  auto q = c_.query(
      "SELECT availability_id, length FROM routing_streaks WHERE pool = ?1 AND "
      "destination_key = ?2");
  if (!q) return q.error();
  q->bind_text(1, to_string(pool));
  q->bind_text(2, destination_key);
  return first<Streak>(*q, [](const sql::Row& row) -> Result<Streak> {
    return Streak{row.text_at(0), static_cast<int>(row.int_at(1))};
  });
}

Status SqliteTx::save_streak(AvailabilityProcess pool, const std::string& destination_key,
                             const Streak& streak) {
  auto q = c_.query(
      "INSERT INTO routing_streaks (pool, destination_key, availability_id, length) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (pool, destination_key) DO UPDATE SET "
      "availability_id = excluded.availability_id, length = excluded.length");
  if (!q) return q.error();
  q->bind_text(1, to_string(pool));
  q->bind_text(2, destination_key);
  q->bind_text(3, streak.availability_id);
  q->bind_int(4, streak.length);
  return q->run();
}

}  // namespace leadproc::sqlite
