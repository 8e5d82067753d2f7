// SqlTx: availabilities (the round-robin pools) and routing_streaks. Where the store locks (a
// PostgreSQL write transaction; storage/postgres/tx.h has the whole contract):
// - a lead locks no pool: it ranks the pool unlocked and claims the one POC it takes (PgTx's
//   claim_poc, a row lock), so leads of one pool commit side by side (unless a POC of the pool
//   has rules: PgTx::ranked_pool_for_update then takes the pool's lock);
// - every other write transaction that reads a pool (the admin's changes, the waiting queue)
//   takes the pool's lock (lock_pool, so two of them are serialised and a POC inserted is seen)
//   and row-locks the POCs it reads (FOR UPDATE, so a lead's count cannot be lost by a POC
//   written back, and a POC is not written back under a lead's claim);
// - a streak is locked by its own key (kStreak) when a choice depends on it, and otherwise
//   read unlocked and written only when free (note_streak).
#include <array>
#include <map>

#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, person_id, person_name, is_available, process, source, destinations, seq, lead_count, "
    "total_count, deleted, created_by, modified_by, created_at, updated_at, schedule, rules, "
    "quota_day, quota_count";

Result<Availability> read_availability(const Row& q) {
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
  auto schedule = schedule_from_column(q.opt_text_at(15));
  if (!schedule) return schedule.error();
  a.schedule = std::move(*schedule);
  auto rules = rules_from_column(q.opt_text_at(16));
  if (!rules) return rules.error();
  a.rules = std::move(*rules);
  a.today = DayCount{q.int_at(17), q.int_at(18)};
  return a;
}

void bind_availability(Stmt& q, const Availability& a) {
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
  q.bind_opt_text(16, schedule_to_column(a.schedule));
  q.bind_opt_text(17, rules_to_column(a.rules));
  q.bind_int(18, a.today.day);
  q.bind_int(19, a.today.count);
}

constexpr std::array kPools{AvailabilityProcess::kPsv, AvailabilityProcess::kWest,
                            AvailabilityProcess::kSales, AvailabilityProcess::kJunkAutomation};

}  // namespace

Status SqlTx::lock_pool(AvailabilityProcess p) {
  return lock_key(LockKind::kPool, to_string(p), {});
}

Status SqlTx::lock_all_pools() {
  for (auto p : kPools)
    if (auto s = lock_pool(p); !s) return s;
  return ok_status();
}

Result<std::optional<Availability>> SqlTx::get_availability(const Id& id) {
  const std::string sql = cat("SELECT ", kColumns, " FROM availabilities WHERE id = ?1");
  auto read = [&]() -> Result<std::optional<Availability>> {
    auto q = prepare(sql);
    if (!q) return q.error();
    q->bind_text(1, id);
    return first<Availability>(*q, read_availability);
  };
  auto found = read();
  if (!found || !*found || !locking()) return found;
  // Lock its pool, then read it again locked: the pool's last writer may have changed it.
  if (auto s = lock_pool((*found)->process); !s) return s.error();
  auto q = prepare(cat(sql, for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Availability>(*q, read_availability);
}

Result<std::vector<Availability>> SqlTx::list_availabilities(const AvailabilityFilter& f) {
  if (locking()) {
    if (auto s = f.process ? lock_pool(*f.process) : lock_all_pools(); !s) return s.error();
  }
  auto q = prepare(cat("SELECT ", kColumns, " FROM availabilities",
                       " WHERE (CAST(?1 AS TEXT) IS NULL OR process = ?1)",
                       " AND (CAST(?2 AS TEXT) IS NULL OR person_id = ?2)",
                       " AND (CAST(?3 AS BOOLEAN) OR deleted = ", sql_false(), ") ORDER BY id",
                       for_update()));
  if (!q) return q.error();
  if (f.process) q->bind_text(1, to_string(*f.process));
  if (f.person_id) q->bind_text(2, *f.person_id);
  q->bind_bool(3, f.include_deleted);
  return collect<Availability>(*q, read_availability);
}

Result<std::vector<Availability>> SqlTx::pool_for_update(AvailabilityProcess process) {
  if (auto s = lock_pool(process); !s) return s.error();
  auto q = prepare(cat("SELECT ", kColumns,
                       " FROM availabilities WHERE process = ?1 AND deleted = ", sql_false(),
                       " ORDER BY id", for_update()));
  if (!q) return q.error();
  q->bind_text(1, to_string(process));
  return collect<Availability>(*q, read_availability);
}

Status SqlTx::insert_availability(const Availability& a) {
  if (auto s = lock_pool(a.process); !s) return s;
  auto q = prepare(cat("INSERT INTO availabilities (", kColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                       "?15, ?16, ?17, ?18, ?19)"));
  if (!q) return q.error();
  bind_availability(*q, a);
  pools_changed();
  return q->run();
}

Status SqlTx::update_availability(const Availability& a) {
  if (auto s = lock_pool(a.process); !s) return s;
  auto q = prepare(
      "UPDATE availabilities SET person_id = ?2, person_name = ?3, is_available = ?4, "
      "process = ?5, source = ?6, destinations = ?7, seq = ?8, lead_count = ?9, "
      "total_count = ?10, deleted = ?11, created_by = ?12, modified_by = ?13, created_at = ?14, "
      "updated_at = ?15, schedule = ?16, rules = ?17, quota_day = ?18, quota_count = ?19 "
      "WHERE id = ?1");
  if (!q) return q.error();
  bind_availability(*q, a);
  pools_changed();
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "availability", a.id);
}

// One atomic statement: correct under any lock, and the caller holds the pool's anyway.
Status SqlTx::count_assignment(const Id& availability_id, std::int64_t local_day) {
  auto q = prepare(
      "UPDATE availabilities SET lead_count = lead_count + 1, total_count = total_count + 1, "
      "quota_count = CASE WHEN quota_day = ?2 THEN quota_count + 1 ELSE 1 END, quota_day = ?2 "
      "WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, availability_id);
  q->bind_int(2, local_day);
  if (auto s = q->run(); !s) return s;
  if (auto s = require_changed(q->changes(), "availability", availability_id); !s) return s;
  pool_counted(availability_id, local_day);
  return ok_status();
}

Status SqlTx::lift_lead_count(const Id& availability_id, std::int64_t lead_count) {
  auto q = prepare("UPDATE availabilities SET lead_count = ?2 WHERE id = ?1 AND lead_count < ?2");
  if (!q) return q.error();
  q->bind_text(1, availability_id);
  q->bind_int(2, lead_count);
  pools_changed();  // rare (a POC back from leave): the writer's cached pool is simply reloaded
  return q->run();
}

Result<std::map<Id, std::int64_t>> SqlTx::fresh_lead_counts(AvailabilityProcess pool,
                                                            const std::vector<Id>& person_ids) {
  // Fresh and untouched: PSV and WEST at funnel step "assigned" (the agent has not moved it on:
  // domain/funnel.h); sales at CRM stage fresh_lead (first contact not done). Open ones only.
  std::string_view column = "owner", fresh = "crm_stage = 'fresh_lead'";
  if (pool == AvailabilityProcess::kPsv || pool == AvailabilityProcess::kWest) {
    column = pool == AvailabilityProcess::kPsv ? "assigned_psv" : "assigned_west";
    fresh = "funnel_step = 1";
  }
  const std::string sql = cat("SELECT COUNT(*) FROM opportunities WHERE ", column, " = ?1 AND ",
                              fresh, " AND closed = ", sql_false());
  std::map<Id, std::int64_t> out;
  for (const auto& id : person_ids) {
    auto q = prepare(sql);
    if (!q) return q.error();
    q->bind_text(1, id);
    auto n =
        first<std::int64_t>(*q, [](const Row& r) -> Result<std::int64_t> { return r.int_at(0); });
    if (!n) return n.error();
    out[id] = n->value_or(0);
  }
  return out;
}

Result<std::optional<Streak>> SqlTx::streak_for_update(AvailabilityProcess pool,
                                                       const std::string& destination_key) {
  // The streak's own key is locked, which also guards the insert of a streak that does not
  // exist yet (a row lock could not).
  if (auto s = lock_key(LockKind::kStreak, to_string(pool), destination_key); !s) return s.error();
  return peek_streak(pool, destination_key);
}

Result<std::optional<Streak>> SqlTx::peek_streak(AvailabilityProcess pool,
                                                 const std::string& destination_key) {
  auto q = prepare(
      "SELECT availability_id, length FROM routing_streaks WHERE pool = ?1 AND "
      "destination_key = ?2");
  if (!q) return q.error();
  q->bind_text(1, to_string(pool));
  q->bind_text(2, destination_key);
  return first<Streak>(*q, [](const Row& row) -> Result<Streak> {
    return Streak{row.text_at(0), static_cast<int>(row.int_at(1))};
  });
}

Status SqlTx::note_streak(AvailabilityProcess pool, const std::string& destination_key,
                          const Streak& streak) {
  auto free = try_lock_key(LockKind::kStreak, to_string(pool), destination_key);
  if (!free) return free.error();
  if (!*free) return ok_status();  // another lead writes it now: its streak is as recent
  return save_streak(pool, destination_key, streak);
}

Status SqlTx::save_streak(AvailabilityProcess pool, const std::string& destination_key,
                          const Streak& streak) {
  if (auto s = lock_key(LockKind::kStreak, to_string(pool), destination_key); !s) return s;
  auto q = prepare(
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

}  // namespace leadproc::sql
