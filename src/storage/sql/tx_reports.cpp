// SqlTx: the counts behind the reports (app/funnel_report.h). The funnel counts the rows the
// opportunities list would list for the same filter (opportunity_where.h), from the projected
// funnel columns (migration 15), so neither store reads a document.
//
// The funnel's counts and the revenue are added up here, in one pass over the period's rows that
// gives both the total and the groups, not by GROUP BY: SQLite groups by sorting every row of the
// period in a temporary B-tree, which was two thirds of a 30-day funnel's time at 1M
// opportunities (docs/benchmarks.md §31), while the groups are few (a platform, campaign,
// destination, person or quarter hour, times 45 kinds × steps × outcomes). Counting per person
// reads each row once for its up to three people, where SQL read the period once per assignee
// column. (Grouping in SQL first on PostgreSQL was measured slower: §31.)
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "domain/assignees.h"
#include "storage/sql/columns.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

// 15 minutes in milliseconds: the width of FunnelGroup::kQuarterHour.
constexpr std::int64_t kQuarterHourMs = 15 * 60 * 1000;

// Whom kAgent counts a row for: the distinct people of its assigned_psv, assigned_west and owner
// (columns `first`, `first` + 1 and `first` + 2). Views into the row: valid until the next step().
Assignees people_of(const Row& row, int first) {
  return Assignees(row.opt_view_at(first), row.opt_view_at(first + 1), row.opt_view_at(first + 2));
}

// How many rows of one group have each kind, step and outcome (none, lost, disqualified).
struct Tally {
  static constexpr int kKinds = 3;
  static constexpr int kSteps = 5;
  static constexpr int kOutcomes = 3;
  std::array<std::int64_t, kKinds * kSteps * kOutcomes> n{};
};

// A hash of text keys that also takes a string_view, so a row's key is looked up without a copy.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Tallies by group key: a text (a platform, campaign, destination or person) or a quarter hour.
template <typename Key>
using Tallies =
    std::conditional_t<std::is_same_v<Key, std::string>,
                       std::unordered_map<std::string, Tally, TextHash, std::equal_to<>>,
                       std::unordered_map<Key, Tally>>;

template <typename Map, typename Lookup>
Tally& tally_of(Map& tallies, const Lookup& key) {
  auto it = tallies.find(key);
  if (it == tallies.end()) it = tallies.emplace(typename Map::key_type(key), Tally{}).first;
  return it->second;
}

// The tallies as counts, their keys in order (as GROUP BY gave them), in `out`.
template <typename Map>
void append_counts(const Map& tallies, std::vector<FunnelCount>& out) {
  using Key = typename Map::key_type;
  std::vector<const typename Map::value_type*> in_order;
  for (const auto& entry : tallies) in_order.push_back(&entry);
  std::sort(in_order.begin(), in_order.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : in_order) {
    const Tally& tally = entry->second;
    for (int i = 0; i < static_cast<int>(tally.n.size()); ++i) {
      if (tally.n[i] == 0) continue;
      FunnelCount c;
      if constexpr (std::is_same_v<Key, std::int64_t>) {
        c.bucket = entry->first;
      } else {
        c.key = entry->first;
      }
      const int outcome = i % Tally::kOutcomes;
      c.step = static_cast<FunnelStep>(i / Tally::kOutcomes % Tally::kSteps);
      c.kind = static_cast<FunnelKind>(i / (Tally::kOutcomes * Tally::kSteps));
      if (outcome > 0) c.outcome = static_cast<FunnelOutcome>(outcome - 1);
      c.count = tally.n[i];
      out.push_back(std::move(c));
    }
  }
}

// PSV/WEST next attempts: the opportunities waiting for an agent's next call.
constexpr std::string_view kAttempts =
    "status IN ('InPSV', 'InWEST') AND next_follow_up_date IS NOT NULL";

}  // namespace

Result<FunnelCounts> SqlTx::count_funnel(const OpportunityFilter& f, FunnelGroup by) {
  Binds b;
  auto conditions = counted_conditions(f, b);
  if (!conditions) return FunnelCounts{};
  // Columns from 0: the group (kAgent: the three people), then is_duplicate, the unknown
  // destination, funnel_step and funnel_outcome, the order funnel_kind() tests them in.
  std::string group = "''";
  if (auto facet = facet_column(by)) group = *facet;
  if (by == FunnelGroup::kAgent) group = "assigned_psv, assigned_west, owner";
  if (by == FunnelGroup::kQuarterHour) group = cat("created_at / ", std::to_string(kQuarterHourMs));
  auto q = prepare(cat("SELECT ", group,
                       ", is_duplicate, destination_key = '', funnel_step, funnel_outcome FROM "
                       "opportunities WHERE 1 = 1",
                       *conditions));
  if (!q) return q.error();
  b.bind(*q);
  const int counted = by == FunnelGroup::kAgent ? 3 : 1;  // the first counted column
  Tally total;
  Tallies<std::string> by_text;
  Tallies<std::int64_t> by_quarter_hour;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    const int kind = q->bool_at(counted) ? 1 : q->bool_at(counted + 1) ? 2 : 0;
    const auto step = q->int_at(counted + 2);
    if (step < 0 || step >= Tally::kSteps)
      return corrupt("opportunities.funnel_step", std::to_string(step));
    int outcome = 0;
    if (!q->is_null(counted + 3)) {
      const auto parsed = parse_funnel_outcome(q->view_at(counted + 3));
      if (!parsed) return corrupt("opportunities.funnel_outcome", q->text_at(counted + 3));
      outcome = static_cast<int>(*parsed) + 1;
    }
    const auto cell =
        static_cast<std::size_t>((kind * Tally::kSteps + step) * Tally::kOutcomes + outcome);
    total.n[cell] += 1;
    switch (by) {
      case FunnelGroup::kNone:
        break;
      case FunnelGroup::kQuarterHour:
        tally_of(by_quarter_hour, q->int_at(0)).n[cell] += 1;
        break;
      case FunnelGroup::kAgent:
        for (const auto person : people_of(q->row(), 0)) tally_of(by_text, person).n[cell] += 1;
        break;
      default:
        tally_of(by_text, q->view_at(0)).n[cell] += 1;
        break;
    }
  }
  FunnelCounts out;
  Tallies<std::string> all;
  if (std::any_of(total.n.begin(), total.n.end(), [](std::int64_t n) { return n > 0; }))
    all.emplace("", total);
  append_counts(all, out.total);
  append_counts(by_text, out.grouped);
  append_counts(by_quarter_hour, out.grouped);
  return out;
}

Result<RevenueSums> SqlTx::sum_revenue(const OpportunityFilter& f) {
  Binds b;
  auto conditions = counted_conditions(f, b);
  if (!conditions) return RevenueSums{};
  auto q =
      prepare(cat("SELECT assigned_psv, assigned_west, owner, deal_currency, deal_amount FROM ",
                  "opportunities WHERE deal_amount IS NOT NULL", *conditions));
  if (!q) return q.error();
  b.bind(*q);
  // (person, currency) → the sum: everyone's (person "") and each person's
  using Sums = std::map<std::pair<std::string, std::string>, RevenueSum>;
  Sums total;
  Sums per_person;
  auto add = [](Sums& sums, std::string_view person, std::string_view currency,
                std::int64_t minor) -> Status {
    auto key = std::pair<std::string, std::string>(person, currency);
    auto it = sums.find(key);
    if (it == sums.end()) it = sums.emplace(key, RevenueSum{key.first, key.second, 0, 0}).first;
    if (__builtin_add_overflow(it->second.minor, minor, &it->second.minor))
      return Error{ErrorCode::kInternal,
                   "the revenue of " + std::string(currency) + " is over the largest integer",
                   {},
                   {},
                   0};
    it->second.deals += 1;
    return ok_status();
  };
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    const std::string_view currency = q->view_at(3);
    const std::int64_t minor = q->int_at(4);
    if (auto s = add(total, "", currency, minor); !s) return s.error();
    for (const auto person : people_of(q->row(), 0))
      if (auto s = add(per_person, person, currency, minor); !s) return s.error();
  }
  RevenueSums out;
  for (auto& [key, sum] : total) out.total.push_back(std::move(sum));
  for (auto& [key, sum] : per_person) out.per_person.push_back(std::move(sum));
  return out;
}

Result<std::vector<PersonCount>> SqlTx::count_overdue(Timestamp now) {
  // CRM follow-ups by their owner (followups_owner_due), next attempts by either agent column
  // (as the agents' due lists read them; opportunities_attempts). Each arm reads its
  // partial index alone (migration 34: each holds every column named here).
  auto q = prepare(
      cat("SELECT owner, COUNT(*) FROM followups WHERE status = 'active' AND reminder_date < ?1 ",
          "AND owner IS NOT NULL GROUP BY owner UNION ALL SELECT assigned_psv, COUNT(*) FROM ",
          "opportunities WHERE ", kAttempts, " AND next_follow_up_date < ?1 AND assigned_psv IS ",
          "NOT NULL GROUP BY assigned_psv UNION ALL SELECT assigned_west, COUNT(*) FROM ",
          "opportunities WHERE ", kAttempts, " AND next_follow_up_date < ?1 AND assigned_west IS ",
          "NOT NULL AND assigned_west <> COALESCE(assigned_psv, '') GROUP BY assigned_west"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  std::vector<PersonCount> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    out.push_back({q->text_at(0), q->int_at(1)});
  }
  return out;
}

Result<std::vector<PersonCount>> SqlTx::count_reinquiries(Timestamp from, Timestamp to) {
  // The period's duplicates from their partial index (opportunities_duplicates, migration 39:
  // it holds duplicate_of), each original by its key.
  auto q = prepare(
      "SELECT o.assigned_psv, o.assigned_west, o.owner FROM opportunities d JOIN opportunities o "
      "ON o.id = d.duplicate_of WHERE d.duplicate_of IS NOT NULL AND d.created_at >= ?1 AND "
      "d.created_at < ?2");
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  std::map<std::string, std::int64_t, std::less<>> counts;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    for (const auto person : people_of(q->row(), 0)) {
      auto it = counts.find(person);
      if (it == counts.end()) it = counts.emplace(std::string(person), 0).first;
      it->second += 1;
    }
  }
  std::vector<PersonCount> out;
  for (auto& [person, n] : counts) out.push_back({person, n});
  return out;
}

Result<NowCounts> SqlTx::now_counts(Timestamp now) {
  NowCounts n;
  auto waiting = [&](std::string_view sql, bool with_now, std::string what,
                     bool grouped) -> Result<std::vector<Waiting>> {
    auto q = prepare(sql);
    if (!q) return q.error();
    if (with_now) q->bind_int(1, to_ms(now));
    std::vector<Waiting> out;
    for (;;) {
      auto more = q->step();
      if (!more) return more.error();
      if (!*more) break;
      const int c = grouped ? 1 : 0;
      out.push_back({grouped ? q->text_at(0) : what, q->int_at(c), from_ms(q->opt_int_at(c + 1))});
    }
    return out;
  };
  auto pools = waiting(
      "SELECT awaiting_pool, COUNT(*), MIN(created_at) FROM opportunities "
      "WHERE awaiting_pool IS NOT NULL GROUP BY awaiting_pool ORDER BY awaiting_pool",
      false, "", true);
  if (!pools) return pools.error();
  n.unassigned = std::move(*pools);
  auto one = [&](std::string_view sql, bool with_now, std::string what) -> Result<Waiting> {
    auto rows = waiting(sql, with_now, what, false);
    if (!rows) return rows.error();
    if (rows->empty()) return Waiting{std::move(what), 0, std::nullopt};
    return rows->front();
  };
  auto resolving =
      one("SELECT COUNT(*), MIN(created_at) FROM opportunities WHERE status = 'ResolvingUnknown'",
          false, "resolvingUnknown");
  if (!resolving) return resolving.error();
  n.resolving_unknown = std::move(*resolving);
  auto followups =
      one("SELECT COUNT(*), MIN(reminder_date) FROM followups WHERE status = 'active' "
          "AND reminder_date < ?1",
          true, "overdueFollowUps");
  if (!followups) return followups.error();
  n.overdue_followups = std::move(*followups);
  auto attempts = one(cat("SELECT COUNT(*), MIN(next_follow_up_date) FROM opportunities WHERE ",
                          kAttempts, " AND next_follow_up_date < ?1"),
                      true, "overdueAttempts");
  if (!attempts) return attempts.error();
  n.overdue_attempts = std::move(*attempts);
  return n;
}

}  // namespace leadproc::sql
