#include "app/time_in_stage_report.h"

#include <algorithm>
#include <map>
#include <utility>

#include "app/people_report.h"
#include "app/report_period.h"

namespace leadproc {
namespace {

using Seconds = std::vector<double>;

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
  std::map<std::pair<std::string, std::string>, Seconds> stays;  // by (status, stage)
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
  void fill(TimeInStageRow& row) && {
    for (auto& [key, seconds] : stays)
      row.stages.push_back({key.first, key.second, durations_of(std::move(seconds))});
    row.to_contacted = durations_of(std::move(to_contacted));
    row.to_qualified = durations_of(std::move(to_qualified));
    row.to_won = durations_of(std::move(to_won));
  }
};

// Calls `f` with each key a stay counts under for grouping `g` (none when it has no value for
// it: a stay nobody worked has no agent). No key is copied: this runs once per stay.
template <typename F>
void for_each_key(FunnelGroupBy g, const StageStay& s, F&& f) {
  switch (g) {
    case FunnelGroupBy::kPlatform:
      return f(s.platform);
    case FunnelGroupBy::kCampaign:
      return f(s.campaign);
    case FunnelGroupBy::kDestination:
      return f(s.destination_key);
    case FunnelGroupBy::kAgent:
      if (s.person) f(*s.person);
      return;
    default:
      return;
  }
}

template <typename F>
void for_each_key(FunnelGroupBy g, const StageMilestones& m, F&& f) {
  switch (g) {
    case FunnelGroupBy::kPlatform:
      return f(m.platform);
    case FunnelGroupBy::kCampaign:
      return f(m.campaign);
    case FunnelGroupBy::kDestination:
      return f(m.destination_key);
    case FunnelGroupBy::kAgent:
      for (const auto& person : m.people) f(person);
      return;
    default:
      return;
  }
}

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
  // The milestones: of the leads created in the period, a person's being the leads they hold.
  OpportunityFilter leads = stays_filter;
  leads.created_from = query.from;
  leads.created_to = query.to;
  leads.assignee = query.person;
  leads.kind = FunnelKind::kLead;
  report.total.filter = leads;

  Gathered total;
  std::map<std::string, Gathered> groups;
  auto belongs = [&](const std::string& key) {
    // Filtered by a person, the agent grouping shows that person only (as the funnel).
    return !(query.person && query.group_by == FunnelGroupBy::kAgent && key != *query.person);
  };
  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto stays = tx.list_stage_stays(stays_filter, query.from, query.to);
    if (!stays) return stays.error();
    for (const auto& stay : *stays) {
      if (query.person && stay.person != query.person) continue;
      total.add(stay);
      for_each_key(query.group_by, stay, [&](const std::string& key) {
        if (belongs(key)) groups[key].add(stay);
      });
    }
    auto milestones = tx.list_stage_milestones(leads);
    if (!milestones) return milestones.error();
    for (const auto& m : *milestones) {
      total.add(m);
      for_each_key(query.group_by, m, [&](const std::string& key) {
        if (belongs(key)) groups[key].add(m);
      });
    }
    for (auto& [key, gathered] : groups) {
      TimeInStageRow row{key, key, narrowed_to_group(query.group_by, key, leads), {}, {}, {}, {}};
      auto label = group_label(tx, query.group_by, key);
      if (!label) return label.error();
      row.label = std::move(*label);
      std::move(gathered).fill(row);
      report.rows.push_back(std::move(row));
    }
    return ok_status();
  });
  if (!s) return s.error();
  std::move(total).fill(report.total);
  return report;
}

}  // namespace leadproc
