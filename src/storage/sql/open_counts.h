// The open_counts rollup (migration 34): per person and status, how many open opportunities the
// person holds, kept by insert_opportunity and update_opportunity in the change's own transaction
// (every write of an opportunity's status, assignees or owner goes through one of the two:
// ingest, moves, assignment, handover, bulk changes, `leadproc import`). It answers the people
// report's "open by stage" (count_held_open) without counting the open rows, which at 1M
// opportunities took 0.2-0.4 s (docs/benchmarks.md sections 21 and 23). SQLite writes each change
// at once; PostgreSQL keeps a write transaction's net change per row and writes it just before
// the COMMIT (storage/postgres/tx.h).
//
// What it counts is what the opportunities list filtered by assignee and status lists among the
// open rows: an opportunity that is not closed (domain/lifecycle.h is_closed, the `closed`
// column) counts once for each distinct person among assigned_psv, assigned_west and owner,
// under its status.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace leadproc::sql {

// One opportunity's part in the rollup: +1 for each of `people` under `status`.
struct Holding {
  std::string status;
  std::vector<std::string> people;  // distinct, in column order; empty while closed
  bool operator==(const Holding&) const = default;
};

// The part of an opportunity as it is about to be stored.
Holding holding_of(const Opportunity& o);

// The part of a stored row, from its columns.
Holding holding_of(std::string status, bool closed, const std::optional<std::string>& psv,
                   const std::optional<std::string>& west, const std::optional<std::string>& owner);

}  // namespace leadproc::sql
