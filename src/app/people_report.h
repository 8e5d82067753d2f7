// The people report (docs/reports.md, issue 18 item 3): per PSV/WEST agent and sales person, what
// they received in a period against an even share of their pool, how far their leads went, how
// fast the sales people made the first contact, what their won leads are worth (revenue, per
// currency) and what they hold now.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/funnel_report.h"

namespace leadproc {

// First contacts of the opportunities that entered the CRM phase in the period (sla_report.h).
struct FirstContactFigures {
  int entered = 0;
  int completed = 0;
  int breached = 0;  // completed late, or not completed and past the SLA
  int pending = 0;   // not completed, SLA not over
  std::optional<double> p50_seconds;
  std::optional<double> p90_seconds;
};

// The deal values of won leads in one currency: the sum in minor units and how many deals.
struct Revenue {
  std::int64_t minor = 0;
  std::int64_t deals = 0;
};

struct PersonRow {
  Id person;
  std::string name;
  std::optional<Department> department;
  FunnelFigures received;                // the funnel of the opportunities they hold
  std::optional<double> expected_share;  // an even share of their pools' received leads
  // The period's re-inquiries on the leads they hold (a duplicate is held by no one: it counts
  // for the people of its original, as they hold it now). The total's: every re-inquiry.
  std::int64_t reinquiries = 0;
  FirstContactFigures first_contact;
  std::map<std::string, Revenue> revenue;  // by currency: the won leads that have a deal value
  std::map<std::string, std::int64_t> open_by_status;  // what they hold now, open
  // The same by status and stage (HeldCount): keyed "<status>/<stage>", or "<status>" where the
  // stage is "" (open_stage_key); its sum per status is open_by_status.
  std::map<std::string, std::int64_t> open_by_stage;
  std::int64_t overdue = 0;      // overdue reminders now
  OpportunityFilter filter;      // the list of what they received
  OpportunityFilter won_filter;  // the list of their won leads
};

struct PeopleReport {
  Timestamp from{};
  Timestamp to{};
  Timestamp now{};
  std::vector<PersonRow> rows;  // by name, then id
  // Everyone's, whoever asked: the funnel figures and first contacts of every opportunity of the
  // period once; what is open and overdue summed over the people.
  PersonRow total;
};

// The key of PersonRow::open_by_stage: "Open/fresh_lead", or "InPSV" for a stage of "".
std::string open_stage_key(const std::string& status, const std::string& stage);

// Nearest-rank percentile (p in (0, 100]) of values sorted in ascending order (several
// percentiles of one set sort it once); nullopt when empty.
std::optional<double> sorted_percentile(const std::vector<double>& sorted, double p);

// The report for the period. `only`: the rows of this person alone (a non-admin's own), the
// total still over everyone. 422 as the funnel for a bad period.
Result<PeopleReport> people_report(AppContext& ctx, Timestamp from, Timestamp to,
                                   const std::optional<Id>& only);

}  // namespace leadproc
