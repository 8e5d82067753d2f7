// PgTx: the ranked pool of round robin, in SQL, and the claim of the POC a lead takes (the rest
// of availabilities is in storage/sql/tx_availabilities.cpp, pool locking included).
#include "storage/postgres/tx.h"
#include "storage/sql/columns.h"

namespace leadproc::postgres {

// The SQL form of round_robin.h's covers() and source_tier(), as text searches over the lists'
// compact JSON, as in the SQLite adapter (whose comment says why they are exact). The storage
// contract test checks this against rank_pool() over random pools.
Result<std::vector<RankedPoc>> PgTx::ranked_pool_for_update(AvailabilityProcess process,
                                                            const std::optional<Id>& destination_id,
                                                            Platform platform) {
  // Unlocked, as a rule: the POC taken is claimed (claim_poc below), and a lead that takes a true
  // least-counted POC keeps the counts within one whatever others do meanwhile. Weights, caps,
  // quotas and languages (a POC's rules) make the choice depend on more than the least count,
  // so a pool where any available POC has rules is ranked under the pool's lock, as before:
  // its leads are serialised (the last column says so, for the whole pool).
  auto rank = [&] {
    return run(
        "SELECT id, person_id, person_name, CASE WHEN position($3 IN source) > 0 THEN 0 "
        "WHEN position('\"' IN source) = 0 THEN 1 ELSE 2 END, lead_count, seq, schedule, rules, "
        "quota_day, quota_count, (SELECT EXISTS (SELECT 1 FROM availabilities r WHERE "
        "r.process = $1 AND NOT r.deleted AND r.is_available AND r.rules IS NOT NULL)) "
        "FROM availabilities WHERE process = $1 AND NOT deleted AND is_available AND "
        "($2::text IS NULL OR position('\"_id\"' IN destinations) = 0 OR "
        "position('\"_id\":\"' || $2 || '\"' IN destinations) > 0) ORDER BY id",
        Params()
            .text(to_string(process))
            .opt_text(destination_id)
            .text(cat("\"", to_string(platform), "\"")));
  };
  auto rows = rank();
  if (!rows) return rows.error();
  if (locking_ && !rows->empty() && (*rows)[0].bool_at(10)) {
    if (auto s = lock_key(LockKind::kPool, to_string(process), {}); !s) return s.error();
    rows = rank();
    if (!rows) return rows.error();
  }
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

// Without waiting, one statement: the row is locked only if no other transaction holds it and
// its counts are still `seen`'s in this statement's snapshot; when no row comes back, a plain
// read says which (busy, changed or gone). Waiting, a holder's commit usually moves the counts,
// so the lock is taken under a savepoint, for release_poc_claim() to give back (ROLLBACK TO).
Result<PocClaim> PgTx::claim_poc(const RankedPoc& seen, bool wait) {
  if (!locking_) return PocClaim{ClaimOutcome::kTaken, seen.lead_count, seen.today};
  constexpr std::string_view kRead =
      "SELECT lead_count, quota_day, quota_count, is_available AND NOT deleted "
      "FROM availabilities WHERE id = $1";
  auto counts = [](const Rows& rows, ClaimOutcome outcome) {
    if (rows.empty() || !rows[0].bool_at(3)) return PocClaim{ClaimOutcome::kGone};
    return PocClaim{outcome, rows[0].int_at(0), DayCount{rows[0].int_at(1), rows[0].int_at(2)}};
  };
  if (!wait) {
    auto got =
        run("SELECT 1 FROM availabilities WHERE id = $1 AND lead_count = $2 AND quota_day = $3 AND "
            "quota_count = $4 AND is_available AND NOT deleted FOR UPDATE SKIP LOCKED",
            Params()
                .text(seen.availability_id)
                .integer(seen.lead_count)
                .integer(seen.today.day)
                .integer(seen.today.count));
    if (!got) return got.error();
    if (!got->empty()) return PocClaim{ClaimOutcome::kTaken, seen.lead_count, seen.today};
    auto now = run(kRead, Params().text(seen.availability_id));
    if (!now) return now.error();
    PocClaim c = counts(*now, ClaimOutcome::kBusy);
    if (c.outcome == ClaimOutcome::kBusy &&
        (c.lead_count != seen.lead_count || c.today != seen.today))
      c.outcome = ClaimOutcome::kChanged;
    return c;
  }
  if (auto r = run("SAVEPOINT poc_claim"); !r) return r.error();
  auto now = run(std::string(kRead).append(" FOR UPDATE"), Params().text(seen.availability_id));
  if (!now) return now.error();
  PocClaim c = counts(*now, ClaimOutcome::kTaken);
  if (c.outcome == ClaimOutcome::kGone) {
    if (auto s = release_poc_claim(); !s) return s.error();
  }
  return c;
}

Status PgTx::release_poc_claim() {
  if (!locking_) return ok_status();
  auto r = run("ROLLBACK TO SAVEPOINT poc_claim");
  if (!r) return r.error();
  return ok_status();
}

}  // namespace leadproc::postgres
