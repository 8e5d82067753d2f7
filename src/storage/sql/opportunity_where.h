// The conditions of an OpportunityFilter as SQL, written once for the opportunities list
// (tx_opportunity_list.cpp) and the funnel's counts (tx_reports.cpp), so that a number of the
// funnel report and the list that explains it select the same rows by the same text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/store.h"
#include "storage/sql/statement.h"

namespace leadproc::sql {

// The values of a statement assembled with them: each added value is the next ?N.
class Binds {
 public:
  std::string text(std::string v);
  std::string integer(std::int64_t v);
  void bind(Stmt& q) const;

 private:
  std::string next() const;

  std::vector<std::variant<std::int64_t, std::string>> values_;
};

// The boolean literals as the schema stores them (SqlTx::sql_false/sql_true).
struct BoolLiterals {
  std::string_view false_literal;
  std::string_view true_literal;
};

// " AND ..." for each condition of `f` but the assignee (whose shape differs per query: see
// assignee_condition), the sort and the page; values are added to `b`. nullopt when nothing can
// match (a window that starts later than any id can be made).
std::optional<std::string> filter_conditions(const OpportunityFilter& f, Binds& b,
                                             const BoolLiterals& bools);

// " AND id IN (...)": the opportunities `person` holds in any assignee column (one indexed lookup
// per column: an OR across them could not use the indexes).
std::string assignee_condition(const std::string& person, Binds& b);

// The column of the opportunity's facet that a report groups by `by` (a stay carries a copy under
// the same name): platform, campaign or destination_key; nullopt for the other groupings.
std::optional<std::string_view> facet_column(FunnelGroup by);

// How the queries that count or sum a filter's rows (SqlTx::counted_conditions) name one
// person's rows: each adapter's choice (SqlTx::counted_assignee), since it is a matter of its
// planner.
enum class AssigneeForm {
  kIdsPerColumn,  // assignee_condition: the person's ids, read from each column's index
  kAnyColumn,     // " AND (assigned_psv = ? OR assigned_west = ? OR owner = ?)"
};

}  // namespace leadproc::sql
