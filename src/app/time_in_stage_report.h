// The time-in-stage report (docs/reports.md, issue 18): how long opportunities stay in each
// status and stage, and how long leads take from capture to first contact, qualification and a
// win — nearest-rank p50 and p90 — overall and per platform, campaign, destination or agent. It
// reads the stays of app/stage_periods.h, written with every change, never the audit trail's
// text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/funnel_report.h"

namespace leadproc {

// How many durations and their nearest-rank median and 90th percentile in seconds (nullopt
// when there are none).
struct Durations {
  std::int64_t count = 0;
  std::optional<double> p50_seconds;
  std::optional<double> p90_seconds;
};

// The Durations of `seconds`, in any order: the percentiles sorted_percentile (people_report.h)
// gives of them sorted, selected without sorting them.
Durations durations_of(std::vector<double> seconds);

// The stays in one status and stage that ended in the period.
struct StageTime {
  std::string status;
  std::string stage;  // "" : none
  Durations time;
};

struct TimeInStageRow {
  std::string key;                // as the funnel's rows (FunnelRow::key); "" for the total
  std::string label;              // a destination's or a person's name, the key otherwise
  OpportunityFilter filter;       // the report's filters narrowed to the group (no window)
  std::vector<StageTime> stages;  // by status, then stage
  Durations to_contacted;         // leads created in the period: createdAt → contacted
  Durations to_qualified;         // → qualified
  Durations to_won;               // → won
};

struct TimeInStageReport {
  Timestamp from{};
  Timestamp to{};
  FunnelGroupBy group_by = FunnelGroupBy::kNone;
  std::vector<TimeInStageRow> rows;  // by key; empty for kNone
  TimeInStageRow total;
};

// Groups by none, platform, campaign, destination or agent (422 naming groupBy for day and
// week); the same filters as the funnel. Stays count when they ended in [from, to) and are held
// by the person at their entry for the agent grouping; milestones count for the leads (not
// duplicates or unknown destinations) created in [from, to), grouped like the funnel (an
// opportunity once for each of its current people). 422 as the funnel's period.
Result<TimeInStageReport> time_in_stage_report(AppContext& ctx, const FunnelQuery& query);

}  // namespace leadproc
