#include "app/time_in_stage_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "app/people_report.h"
#include "app/read_beside.h"
#include "app/report_period.h"

namespace leadproc {
namespace {

using Seconds = std::vector<double>;

double seconds_between(Timestamp from, Timestamp to) {
  return static_cast<double>((to - from).count()) / 1000.0;
}

// The durations of one row, gathered before their percentiles are taken. Statuses and stages
// are numbers of the read's TextTable until fill().
struct Gathered {
  std::map<std::pair<TextTable::Index, TextTable::Index>, Seconds> stays;  // (status, stage)
  Seconds to_contacted;
  Seconds to_qualified;
  Seconds to_won;

  void add(const StageStay& s) {
    stays[{s.status, s.stage}].push_back(static_cast<double>(s.milliseconds) / 1000.0);
  }
  void add(const StageMilestones& m) {
    if (m.contacted_at) to_contacted.push_back(seconds_between(m.created_at, *m.contacted_at));
    if (m.qualified_at) to_qualified.push_back(seconds_between(m.created_at, *m.qualified_at));
    if (m.won_at) to_won.push_back(seconds_between(m.created_at, *m.won_at));
  }
  // The row's stages in the order of their status and stage texts.
  void fill(TimeInStageRow& row, const TextTable& texts) && {
    for (auto& [at, seconds] : stays)
      row.stages.push_back(
          {texts.text(at.first), texts.text(at.second), durations_of(std::move(seconds))});
    std::sort(row.stages.begin(), row.stages.end(), [](const auto& a, const auto& b) {
      return std::tie(a.status, a.stage) < std::tie(b.status, b.stage);
    });
    row.to_contacted = durations_of(std::move(to_contacted));
    row.to_qualified = durations_of(std::move(to_qualified));
    row.to_won = durations_of(std::move(to_won));
  }
};

}  // namespace

Durations durations_of(std::vector<double> values) {
  // About 300,000 durations in a 30-day report at 1M, where sorting them was 5 % of its time:
  // each percentile is the nth element instead, the 90th first, so the 50th is then selected
  // among the values up to it.
  Durations d;
  d.count = static_cast<std::int64_t>(values.size());
  if (values.empty()) return d;
  auto select = [&](double p, std::size_t among) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
    const std::size_t i = std::clamp<std::size_t>(rank, 1, values.size()) - 1;
    std::nth_element(values.begin(), values.begin() + i, values.begin() + among);
    return std::pair(values[i], i);
  };
  const auto [p90, i90] = select(90, values.size());
  d.p90_seconds = p90;
  d.p50_seconds = select(50, i90 + 1).first;
  return d;
}

Result<TimeInStageReport> time_in_stage_report(AppContext& ctx, const FunnelQuery& query) {
  if (auto s = check_report_period(query.from, query.to); !s) return s.error();
  if (query.group_by == FunnelGroupBy::kDay || query.group_by == FunnelGroupBy::kWeek)
    return Error::validation(
        {{"groupBy", "must be none, platform, campaign, destination or agent"}},
        "bad query parameters");

  TimeInStageReport report;
  report.from = query.from;
  report.to = query.to;
  report.group_by = query.group_by;
  // The stays: of the opportunities the filters select, a person's being the stays they worked
  // (not the stays of the opportunities they hold now).
  OpportunityFilter stays_filter;
  stays_filter.platform = query.platform;
  stays_filter.campaign = query.campaign;
  stays_filter.destination_id = query.destination_id;
  stays_filter.assignee = query.person;
  // The milestones: of the leads created in the period, a person's being the leads they hold.
  OpportunityFilter leads = stays_filter;
  leads.created_from = query.from;
  leads.created_to = query.to;
  leads.kind = FunnelKind::kLead;
  const FunnelGroup by = store_group(query.group_by);
  report.total.filter = leads;

  // The milestones are read beside the stays (read_beside.h), their keys numbered in a table of
  // their own and renumbered once both are in. At 1M opportunities on PostgreSQL each read is
  // ~45 ms in the server: side by side, the report waits for the longer instead of both
  // (docs/benchmarks.md section 34). Joined before `leads` and `by` go.
  struct Milestones {
    TextTable texts;
    std::vector<StageMilestones> rows;
  };
  auto milestones_read = read_beside<Milestones>(ctx.lagging_reads(), [&](ReadTx& tx) {
    Milestones m;
    auto rows = tx.list_stage_milestones(leads, by, m.texts);
    if (!rows) return Result<Milestones>(rows.error());
    m.rows = std::move(*rows);
    return Result<Milestones>(std::move(m));
  });

  Gathered total;
  TextTable texts;  // of both reads: a key is the same number in each, once renumbered
  std::unordered_map<TextTable::Index, Gathered> groups;  // in the key's order in the report
  // Filtered by a person, the agent grouping shows that person only (as the funnel).
  const bool one_person = query.person && query.group_by == FunnelGroupBy::kAgent;
  auto belongs = [&](TextTable::Index key) {
    return !one_person || texts.text(key) == *query.person;
  };
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto stays = tx.list_stage_stays(stays_filter, query.from, query.to, by, texts);
    if (!stays) return stays.error();
    for (const auto& stay : *stays) {
      total.add(stay);
      if (stay.key && belongs(*stay.key)) groups[*stay.key].add(stay);
    }
    return ok_status();
  });
  auto milestones = milestones_read.get();
  if (!s) return s.error();
  if (!milestones) return milestones.error();
  std::vector<TextTable::Index> renumbered(milestones->texts.size());
  for (TextTable::Index i = 0; i < renumbered.size(); ++i)
    renumbered[i] = texts.index_of(milestones->texts.text(i));
  for (const auto& m : milestones->rows) {
    total.add(m);
    for (std::size_t i = 0; i < m.key_count; ++i) {
      const TextTable::Index key = renumbered[m.keys[i]];
      if (belongs(key)) groups[key].add(m);
    }
  }

  std::vector<std::pair<const TextTable::Index, Gathered>*> in_order;
  for (auto& group : groups) in_order.push_back(&group);
  std::sort(in_order.begin(), in_order.end(), [&](const auto* a, const auto* b) {
    return texts.text(a->first) < texts.text(b->first);
  });
  std::vector<std::string> keys;
  for (const auto* group : in_order) keys.push_back(texts.text(group->first));
  std::vector<std::string> labels;
  s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto read = group_labels(tx, query.group_by, keys);
    if (!read) return read.error();
    labels = std::move(*read);
    return ok_status();
  });
  if (!s) return s.error();
  for (std::size_t i = 0; i < in_order.size(); ++i) {
    const std::string& key = keys[i];
    TimeInStageRow row{
        key, std::move(labels[i]), narrowed_to_group(query.group_by, key, leads), {}, {}, {}, {}};
    std::move(in_order[i]->second).fill(row, texts);
    report.rows.push_back(std::move(row));
  }
  std::move(total).fill(report.total, texts);
  return report;
}

}  // namespace leadproc
