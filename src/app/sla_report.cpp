#include "app/sla_report.h"

#include <algorithm>
#include <map>

#include "app/report_period.h"

namespace leadproc {
namespace {

std::optional<double> median(std::vector<std::int64_t> ms) {
  if (ms.empty()) return std::nullopt;
  std::sort(ms.begin(), ms.end());
  const std::size_t n = ms.size();
  const double mid = n % 2 == 1 ? static_cast<double>(ms[n / 2])
                                : (static_cast<double>(ms[n / 2 - 1]) + ms[n / 2]) / 2.0;
  return mid / 1000.0;
}

// Adds one sample to `row`, remembering its time to first contact in `durations`.
void count(SlaRow& row, std::vector<std::int64_t>& durations, const SlaSample& s, Timestamp now) {
  row.entered += 1;
  const Timestamp deadline = s.crm_entry_at + kFirstContactSla;
  if (s.first_contact_at) {
    durations.push_back((*s.first_contact_at - s.crm_entry_at).count());
    if (*s.first_contact_at <= deadline)
      row.within_sla += 1;
    else
      row.late += 1;
  } else if (now > deadline) {
    row.open_past_sla += 1;
  } else {
    row.pending += 1;
  }
}

}  // namespace

SlaReport compute_sla(const std::vector<SlaSample>& samples, Timestamp from, Timestamp to,
                      Timestamp now) {
  SlaReport report;
  report.from = from;
  report.to = to;
  report.now = now;
  // Ordered by owner; std::optional orders nullopt first, so nobody's row moves last below.
  std::map<std::optional<Id>, std::pair<SlaRow, std::vector<std::int64_t>>> by_owner;
  std::vector<std::int64_t> all;
  for (const auto& s : samples) {
    auto& [row, durations] = by_owner[s.owner];
    row.owner = s.owner;
    count(row, durations, s, now);
    count(report.total, all, s, now);
  }
  for (auto& [owner, entry] : by_owner) {
    entry.first.median_seconds = median(std::move(entry.second));
    report.rows.push_back(std::move(entry.first));
  }
  if (!report.rows.empty() && !report.rows.front().owner) {
    std::rotate(report.rows.begin(), report.rows.begin() + 1, report.rows.end());
  }
  report.total.median_seconds = median(std::move(all));
  return report;
}

Result<std::vector<SlaSample>> read_sla_samples(ReadTx& tx, Timestamp from, Timestamp to) {
  auto entries = tx.list_crm_entries(from, to);
  if (!entries) return entries.error();
  std::vector<SlaSample> samples;
  samples.reserve(entries->size());
  for (const auto& e : *entries) {
    SlaSample sample{e.owner, e.crm_entry_at, e.first_contact_completed_at};
    if (e.first_contact_completed_at && e.first_contact_owner) sample.owner = e.first_contact_owner;
    samples.push_back(std::move(sample));
  }
  return samples;
}

Result<SlaReport> sla_report(AppContext& ctx, Timestamp from, Timestamp to) {
  if (auto s = check_report_period(from, to); !s) return s.error();

  const Timestamp now = ctx.now();
  SlaReport report;
  std::map<Id, std::string> names;
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto samples = read_sla_samples(tx, from, to);
    if (!samples) return samples.error();
    report = compute_sla(*samples, from, to, now);
    for (auto& row : report.rows) {
      if (!row.owner) continue;
      auto user = tx.get_user(*row.owner);
      if (!user) return user.error();
      if (*user) row.owner_name = (*user)->display_name();
    }
    auto policies = tx.list_sla_policies();
    if (!policies) return policies.error();
    auto steps = tx.count_sla_steps(from, to);
    if (!steps) return steps.error();
    for (auto& p : *policies) {
      SlaPolicyRow row{std::move(p)};
      for (const auto& c : *steps) {
        if (c.policy_id != row.policy.id) continue;
        if (c.step == to_string(SlaStep::kWarn)) row.warned = c.count;
        if (c.step == to_string(SlaStep::kAct)) row.breached = c.count;
        if (c.step == to_string(SlaStep::kWait)) row.waiting = c.count;
      }
      report.by_policy.push_back(std::move(row));
    }
    return ok_status();
  });
  if (!s) return s.error();
  return report;
}

}  // namespace leadproc
