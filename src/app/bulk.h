// Bulk work on opportunities (issue 17 item 5; docs/api-workflow.md "Bulk"): one action on many
// opportunities, POST /api/v1/opportunities/bulk. Each opportunity is changed in a write
// transaction of its own, exactly as its single-opportunity endpoint would change it (the same
// use case: reassign_loaded, move_opportunity, the tag edit), with its own activity, and answers
// its own result: done, or the reason it was refused. Why one transaction each and not one for
// all: a bulk request is many independent decisions; one opportunity that moved on (412), closed
// (409) or is not the caller's (404) must not undo the 999 others, and short transactions keep
// the single SQLite writer free for intake between them.
//
// Reassignment is written once here: reassign_to_target() is what a bulk reassignment does to
// each opportunity and what a person's deactivation (app/handover.h hand_over) does to each of
// theirs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/handover.h"
#include "app/opportunity_change.h"
#include "app/transitions.h"

namespace leadproc {

// At most this many opportunities per request, named by ids or matched by a filter: a request
// stays well under a minute and its answer under a megabyte.
inline constexpr std::size_t kMaxBulkItems = 1000;

enum class BulkAction { kReassign, kTag, kUntag, kMove };
std::optional<BulkAction> parse_bulk_action(std::string_view s);  // "reassign", "tag", ...
std::string_view to_string(BulkAction a);

// One opportunity of the request, with the version the client saw (optional: If-Match of one).
struct BulkItem {
  Id id;
  std::optional<std::int64_t> version;
};

struct BulkRequest {
  BulkAction action = BulkAction::kReassign;
  std::vector<BulkItem> items;
  Handover reassign;                   // kReassign: to a person or by round robin
  std::optional<std::string> remarks;  // kReassign: why (≤2000), as reassignedRemarks
  std::vector<std::string> tags;       // kTag / kUntag
  TransitionRequest move;              // kMove: the move, as POST .../transitions takes it
};

// What happened to one opportunity: `error` unset when done (`version` is then its new version,
// `changed` false when there was nothing to do, e.g. a tag it already had).
struct BulkResult {
  Id id;
  std::optional<Error> error;
  std::int64_t version = 0;
  bool changed = false;
};

// The request's own problems (422, nothing done): more than kMaxBulkItems items or an id given
// twice, a reassignment without a target or with remarks past 2000 characters, tags missing,
// empty or past their limits (field names as in the body: "ids", "ids[3]", "to", "tags[2]",
// ...). A move's request is checked by move_opportunity, on each opportunity.
std::vector<FieldError> check_bulk_request(const BulkRequest& req);

// Runs the action on every item, in order, each in its own write transaction with
// `opts.authorize` and the item's version as the precondition. One result per item, in the
// request's order.
std::vector<BulkResult> run_bulk(AppContext& ctx, const BulkRequest& req, const WriteOptions& opts);

// The ids of the opportunities `filter` matches, newest first (the list's order), for a request
// that names "all that match": 422 on "filter" when more than kMaxBulkItems match (narrow the
// filter, or send ids: a silent cut at 1,000 would leave the rest undone without a word).
Result<std::vector<Id>> bulk_ids_matching(AppContext& ctx, const OpportunityFilter& filter);

// Reassigns `opp` (loaded for change inside `tx`) to target.to, or, for kRoundRobin, to the
// person round robin chooses in the pool that works its phase (a turn of the rotation, as for a
// new lead). The checks, changes and activity of reassign_loaded (409 when round robin chooses
// its current holder: take them out of rotation first). Round robin with nobody available for
// it is 422 on "roundRobin".
Status reassign_to_target(AppContext& ctx, WriteTx& tx, Opportunity& opp, const Handover& target,
                          const std::optional<std::string>& remarks, const WriteOptions& opts);

}  // namespace leadproc
