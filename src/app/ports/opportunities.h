// Leads, opportunities and their activities: the lists, counts and search of the work list,
// duplicate detection, and the idempotency records of the API. One port of the store (app/store.h):
// ReadTx and WriteTx inherit every port, so a use case asks its transaction; the adapters implement
// them all (storage/sql/sql_tx.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/funnel.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

struct Page {
  std::optional<Id> after;  // cursor: the last id of the previous page (newest-first lists)
  int limit = 50;
};

// How far an opportunity's id time may be from its createdAt for created windows to list it
// (OpportunityFilter). A wider skew costs every window's first page a read of that many more
// ids (1 hour: about 80 at 1M rows; 1 day: 1,500 and +2 ms).
inline constexpr std::chrono::seconds kCreatedIdSkew = std::chrono::hours(1);

// The orders of the opportunities list. kNewest: id desc (ObjectIds sort by creation time);
// kOldest: id asc (the longest waiting first); kScore: opportunityScore desc, then id desc;
// kNextFollowUp: nextFollowUpDate asc, those without one last, then id asc.
enum class OpportunitySort { kNewest, kOldest, kScore, kNextFollowUp };

// The opportunities of each status matching a filter (its `status` left out), and their sum.
struct OpportunityCounts {
  std::vector<std::pair<OpportunityStatus, std::int64_t>> by_status;  // statuses with rows only
  std::int64_t total = 0;
};

// How many opportunities of one status stand at one CRM stage and sub-stage (crmStageMeta; both
// unset before the CRM phase): the pipeline board's column totals (web/board.js).
struct StageCount {
  OpportunityStatus status = OpportunityStatus::kOpen;
  std::optional<CrmStage> stage;
  std::optional<std::string> sub_stage;
  std::int64_t count = 0;
};

struct OpportunityFilter {
  std::optional<OpportunityStatus> status;
  std::optional<FiltrationProcess> filteration_process;
  std::optional<Id> destination_id;  // "" : no destination (unknown)
  std::optional<Id> assignee;        // assignedPsv, assignedWest or opportunityOwner
  std::optional<Platform> platform;
  // A window on createdAt, [created_from, created_to). Adapters also bound the id by the window
  // widened by kCreatedIdSkew on each side (object_id_lower_bound), so that the primary key
  // serves the newest-first order instead of a sort of the whole window. The window therefore
  // lists an opportunity only if object_id_time(id) is less than kCreatedIdSkew away from its
  // createdAt. Ingestion mints the id just after reading createdAt's clock (same attempt), the
  // scale generator from the same instant, MongoDB when it creates the document; an import must
  // report records further apart (every other filter still lists them).
  std::optional<Timestamp> created_from;  // inclusive
  std::optional<Timestamp> created_to;    // exclusive
  std::optional<bool> unassigned;         // awaiting_pool is set
  // Overdue: a nextFollowUpDate earlier than this instant (the caller's now).
  std::optional<Timestamp> follow_up_before;
  // The order (OpportunitySort). The page cursor is an id in every order: the rows after that
  // row in this order (ties on the key broken by the id, in the key's direction).
  OpportunitySort sort = OpportunitySort::kNewest;
  // The funnel's facets (domain/funnel.h; docs/reports.md), so that every number of the funnel
  // report lists exactly its opportunities: the campaign ("" : none), the kind, a step reached
  // (that step or a later one) and the outcome.
  std::optional<std::string> campaign;
  std::optional<FunnelKind> kind;
  std::optional<FunnelStep> reached;
  std::optional<FunnelOutcome> outcome;
};

// A search of opportunities by their terms (domain/search_text.h): every term in `terms` and,
// when given, a term starting with `prefix` (the reversed last digits of a number). Adapters
// read the terms' index (opportunity_terms, migration 10), never the whole table.
struct SearchFilter {
  std::vector<std::string> terms;
  std::optional<std::string> prefix;
  // Only the opportunities this user may read as a non-admin (assignedPsv, assignedWest or
  // opportunityOwner: app/access.h can_access); everyone's when absent.
  std::optional<Id> visible_to;
};

// The first answer to a request, kept under the key its caller sent. Keys are scoped to the
// caller (PRODUCT.md "Idempotency"): `scope` names it ("api-key:<id>", "user:<id>"; see
// app/ingest_lead.h), and the same key under two scopes is two records, so one lead source can
// neither block another's key nor read its answer. Records kept from before keys were scoped
// have the scope "", which no caller has.
struct IdempotencyRecord {
  std::string scope;
  std::string key;
  std::string request_hash;
  int status = 0;
  std::string response_body;
  Timestamp created_at{};
};

class OpportunityReads {
 public:
  virtual Result<std::optional<Lead>> get_lead(const Id& id) = 0;
  virtual Result<std::optional<Opportunity>> get_opportunity(const Id& id) = 0;
  // In filter.sort order.
  virtual Result<std::vector<Opportunity>> list_opportunities(const OpportunityFilter& filter,
                                                              const Page& page) = 0;
  // How many opportunities match `filter` with its status left out, per status.
  virtual Result<OpportunityCounts> count_opportunities(const OpportunityFilter& filter) = 0;
  // How many opportunities match `filter` (its status included) per status, CRM stage and
  // sub-stage, in that order; only combinations with rows.
  virtual Result<std::vector<StageCount>> count_opportunities_by_stage(
      const OpportunityFilter& filter) = 0;
  // The opportunities matching `f`, newest first (id desc), after page.after, at most
  // page.limit. A filter with neither terms nor a prefix matches nothing.
  virtual Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                                const Page& page) = 0;
  // Newest first.
  virtual Result<std::vector<Activity>> list_activities(const Id& opp_id, const Page& page) = 0;
  // The record of `key` sent by the caller `scope`; another caller's record is never returned.
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& scope,
                                                                    const std::string& key) = 0;

 protected:
  ~OpportunityReads() = default;
};

class OpportunityWrites {
 public:
  // The open (not closed, not duplicate) opportunity with this number and destination (nullopt
  // destination matches leads with none), locked. At most one exists: adapters enforce it with a
  // unique index, so a racing insert of a second original fails with kConflict.
  virtual Result<std::optional<Opportunity>> find_open_original_for_update(
      const std::string& e164, const std::optional<Id>& destination_id) = 0;
  virtual Status insert_lead(const Lead& lead) = 0;
  virtual Status insert_opportunity(const Opportunity& opp) = 0;
  virtual Status update_opportunity(const Opportunity& opp, std::int64_t expected_version) = 0;
  virtual Status insert_activity(const Activity& a) = 0;
  // Stores `r` under (r.scope, r.key), replacing that caller's earlier record of the key.
  virtual Status save_idempotency(const IdempotencyRecord& r) = 0;
  // Deletes at most `limit` records created before `before`, the oldest first; returns how many.
  virtual Result<int> purge_idempotency(Timestamp before, int limit) = 0;

 protected:
  ~OpportunityWrites() = default;
};

}  // namespace leadproc
