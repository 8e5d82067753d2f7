// PgTx: the ranked pool of round robin, in SQL (the rest of availabilities is in
// storage/sql/tx_availabilities.cpp, pool locking included).
#include "storage/postgres/tx.h"
#include "storage/sql/columns.h"

namespace leadproc::postgres {

// The SQL form of round_robin.h's covers() and source_tier(), as text searches over the lists'
// compact JSON, as in the SQLite adapter (whose comment says why they are exact). The storage
// contract test checks this against rank_pool() over random pools.
Result<std::vector<RankedPoc>> PgTx::ranked_pool_for_update(AvailabilityProcess process,
                                                            const std::optional<Id>& destination_id,
                                                            Platform platform) {
  if (auto s = lock_key(LockKind::kPool, to_string(process), {}); !s) return s.error();
  auto rows =
      run("SELECT id, person_id, person_name, CASE WHEN position($3 IN source) > 0 THEN 0 "
          "WHEN position('\"' IN source) = 0 THEN 1 ELSE 2 END, lead_count, seq, schedule, rules, "
          "quota_day, quota_count "
          "FROM availabilities WHERE process = $1 AND NOT deleted AND is_available AND "
          "($2::text IS NULL OR position('\"_id\"' IN destinations) = 0 OR "
          "position('\"_id\":\"' || $2 || '\"' IN destinations) > 0) ORDER BY id",
          Params()
              .text(to_string(process))
              .opt_text(destination_id)
              .text(cat("\"", to_string(platform), "\"")));
  if (!rows) return rows.error();
  return collect<RankedPoc>(*rows, [](const Row& r) -> Result<RankedPoc> {
    auto schedule = sql::schedule_from_column(r.opt_text_at(6));  // NULL for most POCs: free
    if (!schedule) return schedule.error();
    auto rules = sql::rules_from_column(r.opt_text_at(7));  // NULL for most POCs: free
    if (!rules) return rules.error();
    return RankedPoc{r.text_at(0),
                     r.text_at(1),
                     r.text_at(2),
                     static_cast<int>(r.int_at(3)),
                     r.int_at(4),
                     r.opt_int_at(5),
                     std::move(*schedule),
                     std::move(*rules),
                     DayCount{r.int_at(8), r.int_at(9)}};
  });
}

}  // namespace leadproc::postgres
