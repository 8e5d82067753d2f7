// The first-contact SLA report (PRODUCT.md "Follow-ups, notes, SLA": met when the first-contact
// follow-up is completed within 24 h of CRM entry; reported per sales person).
#pragma once

#include <optional>
#include <vector>

#include "app/context.h"

namespace leadproc {

// One opportunity that entered the CRM phase.
struct SlaSample {
  std::optional<Id> owner;  // the sales person it counts for (nullopt: nobody yet)
  Timestamp crm_entry_at{};
  std::optional<Timestamp> first_contact_at;  // completion of its first contact, if completed
};

// The figures of one sales person (or of everyone, for the total).
struct SlaRow {
  std::optional<Id> owner;
  std::string owner_name;  // filled by the use case; "" in compute_sla
  int entered = 0;         // opportunities that entered CRM in the period
  int within_sla = 0;      // first contact completed at most kFirstContactSla after entry
  int late = 0;            // first contact completed, but later than that
  int open_past_sla = 0;   // not completed, and the SLA ran out before `now`
  int pending = 0;         // not completed, SLA not yet over at `now`
  // Median of (first contact − entry) over the completed ones, in seconds; nullopt when none.
  // With an even count, the mean of the two middle values.
  std::optional<double> median_seconds;
};

// What one escalation policy (domain/sla_policy.h) did in the period: its steps, each taken once
// per lead (app/sla_escalation.h), counted by when they were taken.
struct SlaPolicyRow {
  SlaPolicy policy;
  int warned = 0;    // owners warned before the deadline
  int breached = 0;  // leads past the deadline, acted on (reassigned or notified)
  int waiting = 0;   // leads past the deadline whose reassignment had to wait for someone
};

struct SlaReport {
  Timestamp from{};
  Timestamp to{};
  Timestamp now{};
  std::vector<SlaRow> rows;             // one per owner, ordered by owner id; nobody (nullopt) last
  SlaRow total;                         // everyone's figures (owner nullopt)
  std::vector<SlaPolicyRow> by_policy;  // every policy, by creation
};

// Pure: the report over `samples` (the opportunities that entered CRM in [from, to)) as of `now`.
SlaReport compute_sla(const std::vector<SlaSample>& samples, Timestamp from, Timestamp to,
                      Timestamp now);

// The samples of the opportunities that entered CRM in [from, to): a sample counts for the owner
// of its completed first-contact follow-up, else for the opportunity's current owner.
Result<std::vector<SlaSample>> read_sla_samples(ReadTx& tx, Timestamp from, Timestamp to);

// Reads the CRM entries of [from, to) and computes the report as of now. A sample counts for the
// owner of its completed first-contact follow-up, else for the opportunity's current owner.
// Owner names are the users' display names. Breaches by policy: every policy with the steps it
// took in [from, to). 422 when from >= to or the period exceeds 366 days.
Result<SlaReport> sla_report(AppContext& ctx, Timestamp from, Timestamp to);

}  // namespace leadproc
