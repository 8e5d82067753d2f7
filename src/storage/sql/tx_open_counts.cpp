// SqlTx: the open_counts rollup (open_counts.h, migration 34): its upkeep, called by
// insert_opportunity and update_opportunity (each change applied at once, or kept by PgTx until
// its flush_counters()), and its one reader, count_held_open.
#include <map>
#include <utility>

#include "domain/assignees.h"
#include "domain/lifecycle.h"
#include "storage/sql/open_counts.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

namespace {

Holding holding_of(std::string status, bool closed, const Assignees& people) {
  Holding h{std::move(status), {}};
  if (!closed) h.people.assign(people.begin(), people.end());
  return h;
}

}  // namespace

Holding holding_of(std::string status, bool closed, const std::optional<std::string>& psv,
                   const std::optional<std::string>& west,
                   const std::optional<std::string>& owner) {
  return holding_of(std::move(status), closed, Assignees(psv, west, owner));
}

Holding holding_of(const Opportunity& o) {
  return holding_of(std::string(to_string(o.status)), is_closed(o), Assignees(o));
}

Status SqlTx::move_holding(const Holding& before, const Holding& after) {
  if (before == after) return ok_status();
  // The net change per (person, status), in key order (where it is applied at once, two
  // transactions that change the same rows take their locks in the same order).
  std::map<std::pair<std::string, std::string>, std::int64_t> delta;
  for (const auto& p : before.people) delta[{p, before.status}] -= 1;
  for (const auto& p : after.people) delta[{p, after.status}] += 1;
  for (const auto& [key, n] : delta) {
    if (n == 0) continue;
    if (auto s = open_count_moved(key.first, key.second, n); !s) return s;
  }
  return ok_status();
}

Status SqlTx::apply_open_count(const std::string& person, const std::string& status,
                               std::int64_t n) {
  auto q = prepare(
      "INSERT INTO open_counts (person, status, n) VALUES (?1, ?2, CAST(?3 AS BIGINT)) "
      "ON CONFLICT (person, status) DO UPDATE SET n = open_counts.n + excluded.n");
  if (!q) return q.error();
  q->bind_text(1, person);
  q->bind_text(2, status);
  q->bind_int(3, n);
  return q->run();
}

Result<std::vector<HeldCount>> SqlTx::count_held_open() {
  // A row whose count went back to 0 stays (it is written again soon); it is not a holding.
  auto q = prepare("SELECT person, status, n FROM open_counts WHERE n <> 0");
  if (!q) return q.error();
  std::vector<HeldCount> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    out.push_back({q->text_at(0), q->text_at(1), q->int_at(2)});
  }
  return out;
}

}  // namespace leadproc::sql
