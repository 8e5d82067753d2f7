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
// filterationProcess, filtrationStatus, and the assignee by round robin (or enters the CRM phase
// for NO-FILTER). Returns false when it waits for a POC.
Result<bool> route_new_opportunity(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now);

// CRM entry (from qualification or NO-FILTER): status Open, isPushed, crmStageMeta fresh_lead,
// a sales person by round robin (salesPersonToBeAssigned first, when available) as owner, and
// the first-contact follow-up due 24 h after entry, inserted in `tx` (the caller writes `opp`,
// before or after; the follow-up's fields are appended to `followup_changes` when given, for the
// caller's activity). Returns false when it waits for a POC.
Result<bool> enter_crm(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now,
                       std::vector<FieldChange>* followup_changes = nullptr);

}  // namespace leadproc
