// The open_counts rollup (migrations 34, 38 and 41): per person, status and stage, how many open
// opportunities the person holds, kept by insert_opportunity and update_opportunity in the change's
// own transaction (every write of an opportunity's status, assignees or owner goes through one of
// the two: ingest, moves, assignment, handover, bulk changes, `leadproc import`). It answers the
// people report's "open by stage" (count_held_open) without counting the open rows, which at 1M
// opportunities took 0.2-0.4 s (docs/benchmarks.md sections 21 and 23). SQLite writes each change
// at once; PostgreSQL keeps a write transaction's net change per row and writes it just before
// the COMMIT (storage/postgres/tx.h).
//
// What it counts is what the opportunities list filtered by assignee and status lists among the
// open rows: an opportunity that is not closed (domain/lifecycle.h is_closed, the `closed`
// column) counts once for each distinct person among assigned_psv, assigned_west and owner,
// under its status and its held_stage.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace leadproc::sql {

// The stage an open opportunity is counted under: its CRM stage (the crm_stage column,
// crmStageMeta.stage) while its status is one of the CRM phase's (Open, Dormant); an Open one
// without a CRM stage (it entered the CRM before stages existed) at "followup", as the workflow
// (domain/workflow.h state_of) and the pipeline board place it; its PSV/WEST stage (the
// filtration_stage column, filtrationStatus.stage: "PSVFollowUp1") while InPSV or InWEST, ""
// without one; "" for every other status (UNKNOWN, UPCOMING).
std::string held_stage(std::string_view status, const std::optional<std::string>& crm_stage,
                       const std::optional<std::string>& filtration_stage);

// The filtration_stage column of an opportunity (migration 41): its filtrationStatus.stage while
// InPSV or InWEST, else none.
std::optional<std::string> filtration_stage_of(const Opportunity& o);

// One row of the rollup: whom, under which status and stage.
struct HeldKey {
  std::string person;
  std::string status;
  std::string stage;  // held_stage
  auto operator<=>(const HeldKey&) const = default;
};

// One opportunity's part in the rollup: +1 for each of `people` under `status` and `stage`.
struct Holding {
  std::string status;
  std::string stage;                // held_stage
  std::vector<std::string> people;  // distinct, in column order; empty while closed
  bool operator==(const Holding&) const = default;
};

// The part of an opportunity as it is about to be stored.
Holding holding_of(const Opportunity& o);

// The part of a stored row, from its columns.
Holding holding_of(std::string status, const std::optional<std::string>& crm_stage,
                   const std::optional<std::string>& filtration_stage, bool closed,
                   const std::optional<std::string>& psv, const std::optional<std::string>& west,
                   const std::optional<std::string>& owner);

}  // namespace leadproc::sql
