// The storage port: everything the use cases ask of a database, behind one interface that the
// SQLite and PostgreSQL adapters implement (src/storage/*). A use case runs inside one
// transaction: Store::write() or Store::read() calls it with a transaction object and commits
// only if it returns ok (a failed Status rolls back, so bad input changes nothing).
//
// Contracts shared by every adapter:
// - Methods named *_for_update lock what they return until the transaction ends (SQLite: the
//   single writer lock; PostgreSQL: row locks), so round-robin counts, split counters and
//   duplicate detection cannot be raced by another request or another instance.
// - update_opportunity() writes only if the stored version equals `expected_version` and bumps
//   it; otherwise it returns kPreconditionFailed and writes nothing.
// - Driver errors become domain errors: a unique violation -> kConflict, a lost connection or
//   a busy database -> kUnavailable.
//
// The port is split by entity group into the headers of app/ports/ (users, auth, destinations,
// web URLs, routing, opportunities, follow-ups, saved views, reports, scoring, jobs, escalation
// policies, import, live events, intake, webhooks, conversions): each declares what can be read
// (<Group>Reads) and written (<Group>Writes) of its group, with the records they exchange.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/ports/auth.h"
#include "app/ports/conversions.h"
#include "app/ports/destinations.h"
#include "app/ports/followups.h"
#include "app/ports/import.h"
#include "app/ports/intake.h"
#include "app/ports/jobs.h"
#include "app/ports/live_events.h"
#include "app/ports/opportunities.h"
#include "app/ports/reports.h"
#include "app/ports/routing.h"
#include "app/ports/saved_views.h"
#include "app/ports/scoring.h"
#include "app/ports/sla_policies.h"
#include "app/ports/users.h"
#include "app/ports/webhooks.h"
#include "app/ports/weburls.h"
#include "domain/result.h"

namespace leadproc {

// A read transaction: every port's reads.
class ReadTx : public UserReads,
               public AuthReads,
               public DestinationReads,
               public WebUrlReads,
               public RoutingReads,
               public OpportunityReads,
               public FollowUpReads,
               public SavedViewReads,
               public ReportReads,
               public ScoringReads,
               public JobReads,
               public SlaPolicyReads,
               public ImportReads,
               public LiveEventReads,
               public IntakeReads,
               public WebhookReads,
               public ConversionReads {
 public:
  virtual ~ReadTx() = default;
};

// A write transaction: every read, and every port's writes.
class WriteTx : public ReadTx,
                public UserWrites,
                public AuthWrites,
                public DestinationWrites,
                public WebUrlWrites,
                public RoutingWrites,
                public OpportunityWrites,
                public FollowUpWrites,
                public SavedViewWrites,
                public ReportWrites,
                public ScoringWrites,
                public JobWrites,
                public SlaPolicyWrites,
                public ImportWrites,
                public LiveEventWrites,
                public IntakeWrites,
                public WebhookWrites,
                public ConversionWrites {};

// A running total an adapter keeps, for /metrics (a Prometheus counter).
struct StoreCounter {
  std::string name;  // a metric name, leadproc_<adapter>_...
  std::string help;
  double total = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one write transaction: commits iff it returns ok and the commit succeeds
  // (durably: a returned ok means the data survives a crash).
  virtual Status write(const std::function<Status(WriteTx&)>& fn) = 0;
  // Runs `fn` on a consistent snapshot.
  virtual Status read(const std::function<Status(ReadTx&)>& fn) = 0;
  // Applies pending schema migrations; returns the schema version reached.
  virtual Result<int> migrate() = 0;
  // True iff the database answers.
  virtual bool ready() = 0;
  // The adapter's own counters (none by default). Cheap and non-blocking: /metrics calls it on
  // the network thread.
  virtual std::vector<StoreCounter> counters() { return {}; }
  // What the store is and how it was opened, for the start-up log (no secrets): e.g.
  // "sqlite ./data/leadproc.db, writer VFS leadproc-wal-write-buffer/unix".
  virtual std::string describe() { return {}; }
  // Where the live events of committed transactions go (LiveSink): this process's (SQLite), or
  // every instance's (PostgreSQL: LISTEN on a connection of its own). Set once, before serving.
  virtual void set_live_sink(LiveSink sink) { (void)sink; }
};

}  // namespace leadproc
