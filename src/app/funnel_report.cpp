#include "app/funnel_report.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "app/business_day.h"
#include "app/report_period.h"
#include "domain/name_table.h"

namespace leadproc {
namespace {

constexpr NameTable<FunnelGroupBy, 7> kGroupings{{
    {FunnelGroupBy::kNone, "none"},
    {FunnelGroupBy::kPlatform, "platform"},
    {FunnelGroupBy::kCampaign, "campaign"},
    {FunnelGroupBy::kDestination, "destination"},
    {FunnelGroupBy::kAgent, "agent"},
    {FunnelGroupBy::kDay, "day"},
    {FunnelGroupBy::kWeek, "week"},
}};

constexpr std::int64_t kQuarterHourMs = 15 * 60 * 1000;  // store.h FunnelGroup::kQuarterHour

// The row of a key of a non-time grouping: the report's filter narrowed to the key.
FunnelRow keyed_row(FunnelGroupBy g, const std::string& key, const OpportunityFilter& base) {
  return FunnelRow{key, key, narrowed_to_group(g, key, base), {}};
}

// Names for the keys that are ids (destinations, people); the others are their own words.
Status name_rows(ReadTx& tx, FunnelGroupBy g, std::vector<FunnelRow>& rows) {
  std::vector<std::string> keys;
  for (const auto& row : rows) keys.push_back(row.key);
  auto labels = group_labels(tx, g, keys);
  if (!labels) return labels.error();
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].label = std::move((*labels)[i]);
  return ok_status();
}

// Up to this many keys are looked up one by one; more are named from a read of them all.
constexpr std::size_t kLookupsAtMost = 8;

// The name of one key's record (the key when it is gone).
Result<std::string> label_of(ReadTx& tx, FunnelGroupBy g, const std::string& key) {
  if (g == FunnelGroupBy::kDestination) {
    auto d = tx.get_destination(key);
    if (!d) return d.error();
    if (*d) return (*d)->name;
  } else {
    auto u = tx.get_user(key);
    if (!u) return u.error();
    if (*u) return (*u)->display_name();
  }
  return key;
}

// Every destination's or user's name (deleted ones included, as a lookup finds them), by id.
Result<std::unordered_map<std::string, std::string>> all_names(ReadTx& tx, FunnelGroupBy g) {
  std::unordered_map<std::string, std::string> names;
  if (g == FunnelGroupBy::kDestination) {
    auto all = tx.list_destinations(true);
    if (!all) return all.error();
    for (auto& d : *all) names.emplace(std::move(d.id), std::move(d.name));
  } else {
    auto all = tx.list_users(UserFilter{std::nullopt, std::nullopt, true});
    if (!all) return all.error();
    for (const auto& u : *all) names.emplace(u.id, u.display_name());
  }
  return names;
}

}  // namespace

FunnelGroup store_group(FunnelGroupBy g) {
  switch (g) {
    case FunnelGroupBy::kPlatform:
      return FunnelGroup::kPlatform;
    case FunnelGroupBy::kCampaign:
      return FunnelGroup::kCampaign;
    case FunnelGroupBy::kDestination:
      return FunnelGroup::kDestination;
    case FunnelGroupBy::kAgent:
      return FunnelGroup::kAgent;
    case FunnelGroupBy::kDay:
    case FunnelGroupBy::kWeek:
      return FunnelGroup::kQuarterHour;
    case FunnelGroupBy::kNone:
      break;
  }
  return FunnelGroup::kNone;
}

std::string_view to_string(FunnelGroupBy g) {
  return name_of(kGroupings, g);
}

std::optional<FunnelGroupBy> parse_funnel_group_by(std::string_view s) {
  return parse_in(kGroupings, s);
}

OpportunityFilter narrowed_to_group(FunnelGroupBy g, const std::string& key,
                                    OpportunityFilter base) {
  switch (g) {
    case FunnelGroupBy::kPlatform:
      base.platform = parse_platform(key);
      break;
    case FunnelGroupBy::kCampaign:
      base.campaign = key;
      break;
    case FunnelGroupBy::kDestination:
      base.destination_id = key;
      break;
    case FunnelGroupBy::kAgent:
      base.assignee = key;
      break;
    default:
      break;
  }
  return base;
}

Result<std::vector<std::string>> group_labels(ReadTx& tx, FunnelGroupBy g,
                                              const std::vector<std::string>& keys) {
  std::vector<std::string> labels = keys;
  if (g != FunnelGroupBy::kDestination && g != FunnelGroupBy::kAgent) return labels;
  std::optional<std::unordered_map<std::string, std::string>> names;
  if (keys.size() > kLookupsAtMost) {
    auto all = all_names(tx, g);
    if (!all) return all.error();
    names = std::move(*all);
  }
  for (auto& label : labels) {
    if (label.empty()) continue;  // no destination, nobody: the key says so
    if (names) {
      if (auto it = names->find(label); it != names->end()) label = it->second;
      continue;  // not among them: gone
    }
    auto named = label_of(tx, g, label);
    if (!named) return named.error();
    label = std::move(*named);
  }
  return labels;
}

void add_to_figures(FunnelFigures& figures, const FunnelCount& count) {
  switch (count.kind) {
    case FunnelKind::kDuplicate:
      figures.duplicates += count.count;
      return;
    case FunnelKind::kUnknown:
      figures.unknown += count.count;
      return;
    case FunnelKind::kLead:
      break;
  }
  for (int s = 0; s <= static_cast<int>(count.step); ++s) figures.reached[s] += count.count;
  if (count.outcome == FunnelOutcome::kLost) figures.lost += count.count;
  if (count.outcome == FunnelOutcome::kDisqualified) figures.disqualified += count.count;
}

Result<FunnelReport> funnel_report(AppContext& ctx, const FunnelQuery& query) {
  if (auto s = check_report_period(query.from, query.to); !s) return s.error();

  FunnelReport report;
  report.from = query.from;
  report.to = query.to;
  report.group_by = query.group_by;
  OpportunityFilter base;
  base.created_from = query.from;
  base.created_to = query.to;
  base.platform = query.platform;
  base.campaign = query.campaign;
  base.destination_id = query.destination_id;
  base.assignee = query.person;
  report.total.filter = base;

  std::vector<LabelledWindow> periods;
  const bool by_time =
      query.group_by == FunnelGroupBy::kDay || query.group_by == FunnelGroupBy::kWeek;
  if (by_time) {
    auto p = business_periods({query.from, query.to},
                              query.group_by == FunnelGroupBy::kDay ? Period::kDay : Period::kWeek,
                              ctx.config.timezone);
    if (!p) return p.error();
    periods = std::move(*p);
    for (const auto& period : periods) {
      FunnelRow row{period.label, period.label, base, {}};
      row.filter.created_from = period.window.start;
      row.filter.created_to = period.window.end;
      report.rows.push_back(std::move(row));
    }
  }

  auto s = ctx.lagging_reads().read([&](ReadTx& tx) -> Status {
    auto counts = tx.count_funnel(base, store_group(query.group_by));
    if (!counts) return counts.error();
    for (const auto& c : counts->total) add_to_figures(report.total.figures, c);
    if (query.group_by == FunnelGroupBy::kNone) return ok_status();
    if (by_time) {
      for (const auto& c : counts->grouped) {
        // A quarter-hour lies in one business day: zone offsets are multiples of 15 minutes.
        const Timestamp t =
            std::max(query.from, Timestamp{std::chrono::milliseconds{c.bucket * kQuarterHourMs}});
        auto it = std::upper_bound(
            periods.begin(), periods.end(), t,
            [](Timestamp v, const LabelledWindow& p) { return v < p.window.start; });
        if (it == periods.begin()) continue;  // cannot happen: counted rows are in the range
        add_to_figures(report.rows[static_cast<std::size_t>(it - periods.begin() - 1)].figures, c);
      }
      return ok_status();
    }
    std::map<std::string, FunnelRow> by_key;
    for (const auto& c : counts->grouped) {
      // Filtered by a person, the agent grouping shows that person only: a co-holder's row
      // would need two assignees in one list filter.
      if (query.person && query.group_by == FunnelGroupBy::kAgent && c.key != *query.person)
        continue;
      auto it = by_key.find(c.key);
      if (it == by_key.end())
        it = by_key.emplace(c.key, keyed_row(query.group_by, c.key, base)).first;
      add_to_figures(it->second.figures, c);
    }
    for (auto& [key, row] : by_key) report.rows.push_back(std::move(row));
    return name_rows(tx, query.group_by, report.rows);
  });
  if (!s) return s.error();
  return report;
}

}  // namespace leadproc
