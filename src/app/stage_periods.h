// Stage periods (issue 18, "time in stage"; migration 21): every stay of an opportunity in a
// status and stage, with when it entered and left, written in the same transaction as the change
// that moved it (from record_activity, so no change escapes it). The time-in-stage report
// (app/time_in_stage_report.h) reads them instead of parsing the audit trail's text.
#pragma once

#include <optional>

#include "app/store.h"
#include "domain/model.h"

namespace leadproc {

// Opens a stay for `after` at `at` (closing the one before) when it was just created (`before`
// nullopt: created by this transaction, so it has no stay yet) or its status or stage differs from
// `before`'s; nothing otherwise. A stay is the longest time in one status and stage; it keeps the
// funnel step and the person of its entry (every step from contacted on comes with a new status or
// stage, so the step a lead reached first in a stay is the one its stays say).
Status record_stage_period(WriteTx& tx, const std::optional<Opportunity>& before,
                           const Opportunity& after, Timestamp at);

}  // namespace leadproc
