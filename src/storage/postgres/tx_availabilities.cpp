// PgTx: availabilities (the round-robin pools) and routing_streaks. In a write transaction a pool
// is guarded as a whole by one advisory lock (lock_pool): its POCs' counts and its streaks change
// together with every lead, and one lock per pool cannot deadlock the way row locks taken by
// different statements in different orders could.
#include <array>

#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, person_id, person_name, is_available, process, source, destinations, seq, lead_count, "
    "total_count, deleted, created_by, modified_by, created_at, updated_at";

Result<Availability> read_availability(const Row& r) {
  Availability a;
  a.id = r.text_at(0);
  a.person_id = r.text_at(1);
  a.person_name = r.text_at(2);
  a.is_available = r.bool_at(3);
  auto p =
      require(parse_availability_process(r.view_at(4)), "availabilities.process", r.view_at(4));
  if (!p) return p.error();
  a.process = *p;
  auto source = platforms_from_json(r.view_at(5));
  if (!source) return source.error();
  a.source = std::move(*source);
  auto destinations = refs_from_json(r.view_at(6));
  if (!destinations) return destinations.error();
  a.destinations = std::move(*destinations);
  a.seq = r.opt_int_at(7);
  a.lead_count = r.int_at(8);
  a.total_count = r.int_at(9);
  a.deleted = r.bool_at(10);
  a.created_by = r.opt_text_at(11);
  a.modified_by = r.opt_text_at(12);
  a.created_at = from_ms(r.int_at(13));
  a.updated_at = from_ms(r.int_at(14));
  return a;
}

Params availability_params(const Availability& a) {
  Params p;
  p.text(a.id)
      .text(a.person_id)
      .text(a.person_name)
      .boolean(a.is_available)
      .text(to_string(a.process))
      .text(platforms_to_json(a.source))
      .text(refs_to_json(a.destinations))
      .opt_integer(a.seq)
      .integer(a.lead_count)
      .integer(a.total_count)
      .boolean(a.deleted)
      .opt_text(a.created_by)
      .opt_text(a.modified_by)
      .integer(to_ms(a.created_at))
      .integer(to_ms(a.updated_at));
  return p;
}

constexpr std::array kPools{AvailabilityProcess::kPsv, AvailabilityProcess::kWest,
                            AvailabilityProcess::kSales, AvailabilityProcess::kJunkAutomation};

}  // namespace

Status PgTx::lock_pool(AvailabilityProcess p) {
  return advisory_lock(LockKind::kPool, to_string(p));
}

Status PgTx::lock_all_pools() {
  for (auto p : kPools)
    if (auto s = lock_pool(p); !s) return s;
  return ok_status();
}

Result<std::optional<Availability>> PgTx::get_availability(const Id& id) {
  const std::string sql = cat("SELECT ", kColumns, " FROM availabilities WHERE id = $1");
  auto rows = run(sql, Params().text(id));
  if (!rows) return rows.error();
  auto found = first<Availability>(*rows, read_availability);
  if (!found || !*found || !locking_) return found;
  // Lock its pool, then read it again: the pool's last writer may have changed it meanwhile.
  if (auto s = lock_pool((*found)->process); !s) return s.error();
  rows = run(sql, Params().text(id));
  if (!rows) return rows.error();
  return first<Availability>(*rows, read_availability);
}

Result<std::vector<Availability>> PgTx::list_availabilities(const AvailabilityFilter& f) {
  if (locking_) {
    if (auto s = f.process ? lock_pool(*f.process) : lock_all_pools(); !s) return s.error();
  }
  auto rows = run(
      cat("SELECT ", kColumns, " FROM availabilities",
          " WHERE ($1::text IS NULL OR process = $1::text)",
          " AND ($2::text IS NULL OR person_id = $2::text)",
          " AND ($3::boolean OR NOT deleted) ORDER BY id"),
      Params()
          .opt_text(f.process ? std::optional<std::string>(to_string(*f.process)) : std::nullopt)
          .opt_text(f.person_id)
          .boolean(f.include_deleted));
  if (!rows) return rows.error();
  return collect<Availability>(*rows, read_availability);
}

Result<std::vector<Availability>> PgTx::pool_for_update(AvailabilityProcess process) {
  if (auto s = lock_pool(process); !s) return s.error();
  auto rows = run(cat("SELECT ", kColumns, " FROM availabilities",
                      " WHERE process = $1 AND NOT deleted ORDER BY id"),
                  Params().text(to_string(process)));
  if (!rows) return rows.error();
  return collect<Availability>(*rows, read_availability);
}

// The SQL form of round_robin.h's covers() and source_tier(), as text searches over the lists'
// compact JSON, as in the SQLite adapter (whose comment says why they are exact). The storage
// contract test checks this against rank_pool() over random pools.
Result<std::vector<RankedPoc>> PgTx::ranked_pool_for_update(AvailabilityProcess process,
                                                            const std::optional<Id>& destination_id,
                                                            Platform platform) {
  if (auto s = lock_pool(process); !s) return s.error();
  auto rows =
      run("SELECT id, person_id, person_name, CASE WHEN position($3 IN source) > 0 THEN 0 "
          "WHEN position('\"' IN source) = 0 THEN 1 ELSE 2 END, lead_count, seq "
          "FROM availabilities WHERE process = $1 AND NOT deleted AND is_available AND "
          "($2::text IS NULL OR position('\"_id\"' IN destinations) = 0 OR "
          "position('\"_id\":\"' || $2 || '\"' IN destinations) > 0) ORDER BY id",
          Params()
              .text(to_string(process))
              .opt_text(destination_id)
              .text(cat("\"", to_string(platform), "\"")));
  if (!rows) return rows.error();
  return collect<RankedPoc>(*rows, [](const Row& r) -> Result<RankedPoc> {
    return RankedPoc{r.text_at(0), r.text_at(1),   r.text_at(2), static_cast<int>(r.int_at(3)),
                     r.int_at(4),  r.opt_int_at(5)};
  });
}

Status PgTx::insert_availability(const Availability& a) {
  if (auto s = lock_pool(a.process); !s) return s;
  auto rows = run(cat("INSERT INTO availabilities (", kColumns, ") VALUES ($1, $2, $3, $4, $5, ",
                      "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"),
                  availability_params(a));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::update_availability(const Availability& a) {
  if (auto s = lock_pool(a.process); !s) return s;
  auto rows = run(
      "UPDATE availabilities SET person_id = $2, person_name = $3, is_available = $4, "
      "process = $5, source = $6, destinations = $7, seq = $8, lead_count = $9, "
      "total_count = $10, deleted = $11, created_by = $12, modified_by = $13, created_at = $14, "
      "updated_at = $15 WHERE id = $1",
      availability_params(a));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "availability", a.id);
}

Status PgTx::count_assignment(const Id& availability_id) {
  // One atomic statement: correct under any lock, and the caller holds the pool's anyway.
  auto rows =
      run("UPDATE availabilities SET lead_count = lead_count + 1, total_count = total_count + 1 "
          "WHERE id = $1",
          Params().text(availability_id));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "availability", availability_id);
}

Result<std::optional<Streak>> PgTx::streak_for_update(AvailabilityProcess pool,
                                                      const std::string& destination_key) {
  // A streak belongs to its pool: the pool's lock guards it, including the insert of a streak
  // that does not exist yet (a row lock could not).
  if (auto s = lock_pool(pool); !s) return s.error();
  auto rows = run(cat("SELECT availability_id, length FROM routing_streaks WHERE pool = $1 AND ",
                      "destination_key = $2", for_update()),
                  Params().text(to_string(pool)).text(destination_key));
  if (!rows) return rows.error();
  return first<Streak>(*rows, [](const Row& row) -> Result<Streak> {
    return Streak{row.text_at(0), static_cast<int>(row.int_at(1))};
  });
}

Status PgTx::save_streak(AvailabilityProcess pool, const std::string& destination_key,
                         const Streak& streak) {
  if (auto s = lock_pool(pool); !s) return s;
  auto rows =
      run("INSERT INTO routing_streaks (pool, destination_key, availability_id, length) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT (pool, destination_key) DO UPDATE SET "
          "availability_id = excluded.availability_id, length = excluded.length",
          Params()
              .text(to_string(pool))
              .text(destination_key)
              .text(streak.availability_id)
              .integer(streak.length));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
