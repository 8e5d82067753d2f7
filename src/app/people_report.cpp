#include "app/people_report.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "app/read_beside.h"
#include "app/report_period.h"
#include "app/sla_report.h"
#include "domain/followup.h"

namespace leadproc {
namespace {

// The department whose work a pool is (an even share is taken among a pool's people).
Department department_of(AvailabilityProcess p) {
  switch (p) {
    case AvailabilityProcess::kPsv:
      return Department::kPsv;
    case AvailabilityProcess::kWest:
      return Department::kWest;
    default:
      return Department::kSales;
  }
}

void add_first_contacts(FirstContactFigures& f, const std::vector<SlaSample>& samples,
                        Timestamp now) {
  std::vector<double> seconds;
  for (const auto& s : samples) {
    f.entered += 1;
    const Timestamp deadline = s.crm_entry_at + kFirstContactSla;
    if (s.first_contact_at) {
      f.completed += 1;
      seconds.push_back(static_cast<double>((*s.first_contact_at - s.crm_entry_at).count()) /
                        1000.0);
      if (*s.first_contact_at > deadline) f.breached += 1;
    } else if (now > deadline) {
      f.breached += 1;
    } else {
      f.pending += 1;
    }
  }
  std::sort(seconds.begin(), seconds.end());
  f.p50_seconds = sorted_percentile(seconds, 50);
  f.p90_seconds = sorted_percentile(seconds, 90);
}

// The leads of `window` that were won: what the funnel's `won` counts (and its list query).
OpportunityFilter won_leads(OpportunityFilter window) {
  window.kind = FunnelKind::kLead;
  window.reached = FunnelStep::kWon;
  return window;
}

void add_revenue(std::map<std::string, Revenue>& revenue, const RevenueSum& sum) {
  Revenue& r = revenue[sum.currency];
  r.minor += sum.minor;
  r.deals += sum.deals;
}

}  // namespace

std::string open_stage_key(const std::string& status, const std::string& stage) {
  return stage.empty() ? status : status + "/" + stage;
}

std::optional<double> sorted_percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nullopt;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Result<PeopleReport> people_report(AppContext& ctx, Timestamp from, Timestamp to,
                                   const std::optional<Id>& only) {
  if (auto s = check_report_period(from, to); !s) return s.error();
  PeopleReport report;
  report.from = from;
  report.to = to;
  report.now = ctx.now();
  OpportunityFilter window;
  window.created_from = from;
  window.created_to = to;
  // Each person's funnel, and the team's: every opportunity of the period once (a row's are also
  // another's). The longest read (~65 ms of ~130 in PostgreSQL at 1M): read beside the rest
  // (read_beside.h). Joined before `window` goes.
  auto counts_read = read_beside<FunnelCounts>(ctx.lagging_reads(), [&](ReadTx& tx) {
    return tx.count_funnel(window, FunnelGroup::kAgent);
  });

  std::map<Id, PersonRow> rows;
  auto row_of = [&](const Id& person) -> PersonRow& {
    auto it = rows.find(person);
    if (it != rows.end()) return it->second;
    PersonRow r;
    r.person = person;
    r.filter.created_from = from;
    r.filter.created_to = to;
    r.filter.assignee = person;
    r.won_filter = won_leads(r.filter);
    return rows.emplace(person, std::move(r)).first->second;
  };
  std::map<AvailabilityProcess, std::set<Id>> pools;  // the people in rotation in each pool now
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    // Everyone who works leads is a row, with or without numbers; their names are read here
    // once (only a person outside these lists is looked up on their own, below).
    for (const Department d : {Department::kPsv, Department::kWest, Department::kSales}) {
      auto users = tx.list_users(UserFilter{d, true, false});
      if (!users) return users.error();
      for (const auto& u : *users) {
        PersonRow& row = row_of(u.id);
        row.name = u.display_name();
        row.department = u.department;
      }
    }
    // Revenue: the deal values of the won leads (the `won` number's opportunities).
    auto deals = tx.sum_revenue(won_leads(window));
    if (!deals) return deals.error();
    for (const auto& d : deals->per_person) add_revenue(row_of(d.person).revenue, d);
    for (const auto& d : deals->total) add_revenue(report.total.revenue, d);

    // Re-inquiries: the period's duplicates, for the people of their originals.
    auto reinquiries = tx.count_reinquiries(from, to);
    if (!reinquiries) return reinquiries.error();
    for (const auto& r : *reinquiries) row_of(r.person).reinquiries += r.count;

    auto samples = read_sla_samples(tx, from, to);
    if (!samples) return samples.error();
    std::map<Id, std::vector<SlaSample>> by_owner;
    for (const auto& sample : *samples)
      if (sample.owner) by_owner[*sample.owner].push_back(sample);
    for (const auto& [owner, mine] : by_owner)
      add_first_contacts(row_of(owner).first_contact, mine, report.now);
    add_first_contacts(report.total.first_contact, *samples, report.now);

    auto held = tx.count_held_open();
    if (!held) return held.error();
    for (const auto& h : *held) {
      PersonRow& row = row_of(h.person);
      row.open_by_status[h.status] += h.count;
      row.open_by_stage[open_stage_key(h.status, h.stage)] += h.count;
    }
    auto overdue = tx.count_overdue(report.now);
    if (!overdue) return overdue.error();
    for (const auto& o : *overdue) row_of(o.person).overdue += o.count;

    auto pocs = tx.list_availabilities(AvailabilityFilter{});
    if (!pocs) return pocs.error();
    for (const auto& a : *pocs)
      if (a.is_available && !a.deleted) pools[a.process].insert(a.person_id);
    return ok_status();
  });
  auto counts = counts_read.get();
  if (!s) return s.error();
  if (!counts) return counts.error();
  for (const auto& c : counts->grouped) add_to_figures(row_of(c.key).received, c);
  for (const auto& c : counts->total) add_to_figures(report.total.received, c);
  report.total.reinquiries = report.total.received.duplicates;

  // The people the lists above did not name (a deleted user who still holds leads), each looked
  // up on their own.
  const bool unnamed = std::any_of(rows.begin(), rows.end(),
                                   [](const auto& entry) { return !entry.second.department; });
  if (unnamed)
    s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
      for (auto& [id, row] : rows) {
        if (row.department) continue;
        auto user = tx.get_user(id);
        if (!user) return user.error();
        if (*user) {
          row.name = (*user)->display_name();
          row.department = (*user)->department;
        }
      }
      return ok_status();
    });
  if (!s) return s.error();
  // Expected share: the leads received by a pool's people, evenly among the people in rotation
  // in it now (available, not deleted).
  for (const auto& [process, people] : pools) {
    std::int64_t received = 0;
    for (const auto& p : people)
      if (auto it = rows.find(p);
          it != rows.end() && it->second.department == department_of(process))
        received += it->second.received.total();
    for (const auto& p : people) {
      auto it = rows.find(p);
      if (it == rows.end() || it->second.department != department_of(process)) continue;
      it->second.expected_share =
          it->second.expected_share.value_or(0) + static_cast<double>(received) / people.size();
    }
  }
  for (auto& [id, row] : rows) {
    for (const auto& [status, n] : row.open_by_status) report.total.open_by_status[status] += n;
    for (const auto& [key, n] : row.open_by_stage) report.total.open_by_stage[key] += n;
    report.total.overdue += row.overdue;
    if (!only || id == *only) report.rows.push_back(std::move(row));
  }
  std::sort(report.rows.begin(), report.rows.end(), [](const PersonRow& a, const PersonRow& b) {
    return std::tie(a.name, a.person) < std::tie(b.name, b.person);
  });
  report.total.filter.created_from = from;
  report.total.filter.created_to = to;
  report.total.won_filter = won_leads(report.total.filter);
  return report;
}

}  // namespace leadproc
