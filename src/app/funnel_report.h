// The funnel report (docs/reports.md, issue 18): for the opportunities created in a period (its
// boundaries in the business time zone), how many leads reached each step captured → assigned →
// contacted → qualified → won (domain/funnel.h), how many were lost or disqualified, and apart
// from them the re-inquiries (duplicates) and the leads whose destination is unknown; overall and
// per group. Every count is what the opportunities list lists for the filter the report gives
// with it (`filter` below plus the count's kind, step or outcome), because the store counts with
// the list's own conditions (storage/sql/opportunity_where.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/funnel.h"

namespace leadproc {

enum class FunnelGroupBy { kNone, kPlatform, kCampaign, kDestination, kAgent, kDay, kWeek };

std::string_view to_string(FunnelGroupBy g);
std::optional<FunnelGroupBy> parse_funnel_group_by(std::string_view s);

struct FunnelFigures {
  std::array<std::int64_t, 5> reached{};  // leads at each FunnelStep or a later one
  std::int64_t lost = 0;                  // leads lost (outcome)
  std::int64_t disqualified = 0;          // leads disqualified (outcome)
  std::int64_t duplicates = 0;            // re-inquiries (isDuplicate), counted apart
  std::int64_t unknown = 0;               // no destination, counted apart
  // Every opportunity of the group: leads + duplicates + unknown. For an agent, what they
  // received: with no reassignment, the rise of their POCs' totalCount over the period.
  std::int64_t total() const { return reached[0] + duplicates + unknown; }
};

struct FunnelRow {
  std::string key;    // platform, campaign ("" none), destination id ("" none), person id, or
                      // the local date the day or week starts on; "" for the total
  std::string label;  // words for the key: a destination's or a person's name, the key otherwise
  OpportunityFilter filter;  // the opportunities list's filter for this row (created window,
                             // the report's filters and the group's)
  FunnelFigures figures;
};

struct FunnelReport {
  Timestamp from{};
  Timestamp to{};
  FunnelGroupBy group_by = FunnelGroupBy::kNone;
  std::vector<FunnelRow> rows;  // by key (by time for day and week); empty for kNone
  FunnelRow total;              // every opportunity the report's filters select
};

// The report's own filters, each also a filter of the opportunities list.
struct FunnelQuery {
  Timestamp from{};
  Timestamp to{};
  FunnelGroupBy group_by = FunnelGroupBy::kNone;
  std::optional<Platform> platform;
  std::optional<std::string> campaign;  // "" : leads with no campaign
  std::optional<Id> destination_id;     // "" : no destination
  std::optional<Id> person;             // assignedPsv, assignedWest or opportunityOwner
};

// The store's grouping of the counts or stays of a report grouped by `g` (kQuarterHour for day
// and week: the use case puts each quarter hour in its business day).
FunnelGroup store_group(FunnelGroupBy g);

// The report's filter `base` narrowed to one group's `key` (a non-time grouping): what the
// opportunities list filters by to list that group's opportunities.
OpportunityFilter narrowed_to_group(FunnelGroupBy g, const std::string& key,
                                    OpportunityFilter base);

// Words for the groups' keys, in their order: a destination's or a person's name for those
// groupings (the key when the record is gone), the key itself otherwise. More than a few keys are
// named from one read of every destination or user: a lookup per key was a round trip per group
// on PostgreSQL, ~30 ms of 90 for the 441 people of a report by agent (docs/benchmarks.md §32).
Result<std::vector<std::string>> group_labels(ReadTx& tx, FunnelGroupBy g,
                                              const std::vector<std::string>& keys);

// Adds `count` to `figures` (pure; the rule every number of the report follows).
void add_to_figures(FunnelFigures& figures, const FunnelCount& count);

// The report. 422 when from >= to or the period exceeds 366 days.
Result<FunnelReport> funnel_report(AppContext& ctx, const FunnelQuery& query);

}  // namespace leadproc
