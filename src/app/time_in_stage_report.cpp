#include "app/time_in_stage_report.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "app/people_report.h"
#include "app/report_period.h"

namespace leadproc {
namespace {

using Seconds = std::vector<double>;
using StageSeconds = std::map<std::string, Seconds, std::less<>>;

double seconds_between(Timestamp from, Timestamp to) {
  return static_cast<double>((to - from).count()) / 1000.0;
}

Durations durations_of(Seconds values) {
  Durations d;
  d.count = static_cast<std::int64_t>(values.size());
  std::sort(values.begin(), values.end());
  d.p50_seconds = sorted_percentile(values, 50);
  d.p90_seconds = sorted_percentile(values, 90);
  return d;
}

// The durations of one row, gathered before their percentiles are taken.
struct Gathered {
  // by status, then stage (looked up without a copy: this runs twice per stay)
  std::map<std::string, StageSeconds, std::less<>> stays;
  Seconds to_contacted;
  Seconds to_qualified;
  Seconds to_won;

  void add(const StageStay& s) {
    auto status = stays.find(s.status);
    if (status == stays.end()) status = stays.emplace(s.status, StageSeconds{}).first;
    auto stage = status->second.find(s.stage);
    if (stage == status->second.end()) stage = status->second.emplace(s.stage, Seconds{}).first;
    stage->second.push_back(static_cast<double>(s.milliseconds) / 1000.0);
  }
  void add(const StageMilestones& m) {
    if (m.contacted_at) to_contacted.push_back(seconds_between(m.created_at, *m.contacted_at));
    if (m.qualified_at) to_qualified.push_back(seconds_between(m.created_at, *m.qualified_at));
    if (m.won_at) to_won.push_back(seconds_between(m.created_at, *m.won_at));
  }
  void fill(TimeInStageRow& row) && {
    for (auto& [status, stages] : stays)
      for (auto& [stage, seconds] : stages)
        row.stages.push_back({status, stage, durations_of(std::move(seconds))});
    row.to_contacted = durations_of(std::move(to_contacted));
    row.to_qualified = durations_of(std::move(to_qualified));
    row.to_won = durations_of(std::move(to_won));
  }
};

}  // namespace

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

  Gathered total;
  std::unordered_map<std::string, Gathered> groups;  // in the key's order in the report
  auto belongs = [&](const std::string& key) {
    // Filtered by a person, the agent grouping shows that person only (as the funnel).
    return !(query.person && query.group_by == FunnelGroupBy::kAgent && key != *query.person);
  };
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto stays = tx.list_stage_stays(stays_filter, query.from, query.to, by);
    if (!stays) return stays.error();
    for (const auto& stay : *stays) {
      total.add(stay);
      if (stay.key && belongs(*stay.key)) groups[*stay.key].add(stay);
    }
    auto milestones = tx.list_stage_milestones(leads, by);
    if (!milestones) return milestones.error();
    for (const auto& m : *milestones) {
      total.add(m);
      for (const auto& key : m.keys)
        if (belongs(key)) groups[key].add(m);
    }
    std::vector<std::pair<const std::string, Gathered>*> in_order;
    for (auto& group : groups) in_order.push_back(&group);
    std::sort(in_order.begin(), in_order.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    std::vector<std::string> keys;
    for (const auto* group : in_order) keys.push_back(group->first);
    auto labels = group_labels(tx, query.group_by, keys);
    if (!labels) return labels.error();
    for (std::size_t i = 0; i < in_order.size(); ++i) {
      const std::string& key = in_order[i]->first;
      TimeInStageRow row{
          key, std::move((*labels)[i]), narrowed_to_group(query.group_by, key, leads), {}, {}, {},
          {}};
      std::move(in_order[i]->second).fill(row);
      report.rows.push_back(std::move(row));
    }
    return ok_status();
  });
  if (!s) return s.error();
  std::move(total).fill(report.total);
  return report;
}

}  // namespace leadproc
