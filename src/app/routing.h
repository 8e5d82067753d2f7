// Deciding where a new lead goes (PRODUCT.md "Destination resolution", "Process", "Workflow:
// CRM entry"). Each function runs inside the caller's write transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

// First hit wins: explicit destination (name, case-insensitive, or _id) -> the page URL marked
// in `weburls` -> a destination slug as a path segment of the page -> none. Records the page's
// hit in `weburls`, adding it unmarked when new.
Result<std::optional<NamedRef>> resolve_destination(WriteTx& tx, AppContext& ctx,
                                                    const std::optional<std::string>& explicit_dest,
                                                    const std::optional<std::string>& page,
                                                    Timestamp now);

// Chooses the process of a new, non-duplicate opportunity and routes it: sets status,
// filterationProcess, filtrationStatus, and the assignee (its sticky owner when working,
// app/sticky_owner.h, else by round robin) (or enters the CRM phase
// for NO-FILTER: its first-contact follow-up's fields are appended to `followup_changes`, as
// enter_crm does, so that the caller's activity and outbox announce it). Returns false when it
// waits for a POC.
Result<bool> route_new_opportunity(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now,
                                   std::vector<FieldChange>& followup_changes);

// Where a new opportunity goes, as ingestion decides it once its destination is known (also for
// a waiting lead whose destination a marked URL gives, app/weburls.h):
enum class Placement {
  kRouted,      // route_new_opportunity assigned it
  kUnassigned,  // route_new_opportunity left it waiting for a POC (awaitingAssignment)
  kDuplicate,   // the number has an open opportunity for the destination: `opp` is its
                // Dormant duplicate and the original counts a re-inquiry
};
// Looks for the open original of opp.number and opp.destination (locking it). Found (and not
// `opp` itself): the original gets one more re-inquiry, a fresh score and an activity
// `reinquiry_note`, and `opp` becomes a Dormant duplicate of it (the caller writes `opp`). Else
// route_new_opportunity (appending to `followup_changes`). Runs in `tx`.
Result<Placement> place_new_opportunity(AppContext& ctx, WriteTx& tx, Opportunity& opp,
                                        Timestamp now, const std::string& reinquiry_note,
                                        std::vector<FieldChange>& followup_changes);

// CRM entry (from qualification or NO-FILTER): status Open, isPushed, crmStageMeta fresh_lead,
// a sales person by round robin (salesPersonToBeAssigned first, when available, then the sticky
// owner, app/sticky_owner.h) as owner, and
// the first-contact follow-up due 24 h after entry, inserted in `tx` (the caller writes `opp`,
// before or after; the follow-up's fields are appended to `followup_changes` when given, for the
// caller's activity). Returns false when it waits for a POC.
Result<bool> enter_crm(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now,
                       std::vector<FieldChange>* followup_changes = nullptr);

}  // namespace leadproc
