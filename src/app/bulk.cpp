#include "app/bulk.h"

#include <algorithm>
#include <set>

#include "app/assignment.h"
#include "app/opportunity_edits.h"
#include "domain/field_limits.h"
#include "domain/object_id.h"
#include "domain/text.h"

namespace leadproc {
namespace {

constexpr std::pair<std::string_view, BulkAction> kActions[] = {
    {"reassign", BulkAction::kReassign},
    {"tag", BulkAction::kTag},
    {"untag", BulkAction::kUntag},
    {"move", BulkAction::kMove},
};

// The person round robin chooses for `opp` in the pool that works its phase (counted as a turn
// of the rotation, as for a new lead); 422 on "roundRobin" when nobody there is available and
// working for it.
Result<Id> round_robin_choice(AppContext& ctx, WriteTx& tx, const Opportunity& opp,
                              const Worker& worker, const Handover& handover) {
  Opportunity scratch = opp;  // assign_round_robin sets the assignee; reassign_loaded does it
  AssignmentTarget target{worker.pool,
                          std::nullopt,
                          std::nullopt,
                          std::nullopt,
                          handover.why.empty() ? "reassigned by round robin (bulk)" : handover.why,
                          handover.except};
  auto at = work_time_at(ctx, ctx.now());
  if (!at) return at.error();
  auto found = assign_round_robin(tx, scratch, target, *at);
  if (!found) return found.error();
  auto chosen = *found ? worker_of(scratch) : std::nullopt;
  if (!chosen || !chosen->person)
    return Error::validation({{"roundRobin", scratch.awaiting_reason.value_or("nobody available") +
                                                 " (opportunity " + opp.id + ")"}},
                             "nobody available to take it");
  return *chosen->person;
}

// Adds (kTag) or removes (kUntag) the tags; false when nothing changes.
bool retag(Opportunity& opp, BulkAction action, const std::vector<std::string>& tags) {
  const auto before = opp.tags.size();
  if (action == BulkAction::kUntag) {
    std::erase_if(opp.tags, [&](const std::string& t) {
      return std::find(tags.begin(), tags.end(), t) != tags.end();
    });
    return opp.tags.size() != before;
  }
  for (const auto& t : tags)
    if (std::find(opp.tags.begin(), opp.tags.end(), t) == opp.tags.end()) opp.tags.push_back(t);
  return opp.tags.size() != before;
}

// One item, in a write transaction of its own.
BulkResult run_one(AppContext& ctx, const BulkRequest& req, const BulkItem& item,
                   WriteOptions opts) {
  BulkResult out{item.id, std::nullopt, 0, false};
  opts.expected_version = item.version;
  if (req.action == BulkAction::kMove) {  // the single move's use case, transaction and all
    auto moved = move_opportunity(ctx, item.id, req.move, opts);
    if (!moved) {
      out.error = moved.error();
    } else {
      out.version = moved->opportunity.version;
      out.changed = true;
    }
    return out;
  }
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, item.id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    if (req.action == BulkAction::kReassign) {
      if (auto r = reassign_to_target(ctx, tx, opp, req.reassign, req.remarks, opts); !r) return r;
      out.changed = true;
    } else {
      const Opportunity before = opp;
      out.changed = retag(opp, req.action, req.tags);
      if (out.changed && opp.tags.size() > limit_of("tags").max_entries)
        return Error::validation({{"tags", too_many_reason(limit_of("tags"))}},
                                 "opportunity " + opp.id + " would have too many tags");
      if (out.changed) {
        const std::string what = req.action == BulkAction::kTag ? "tagged: " : "untagged: ";
        if (auto w = save_change(ctx, tx, before, opp, opts, what + join(req.tags)); !w) return w;
      }
    }
    out.version = opp.version;
    return ok_status();
  });
  if (!s) out.error = s.error();
  return out;
}

}  // namespace

std::optional<BulkAction> parse_bulk_action(std::string_view s) {
  for (const auto& [name, a] : kActions)
    if (name == s) return a;
  return std::nullopt;
}

std::string_view to_string(BulkAction a) {
  for (const auto& [name, action] : kActions)
    if (action == a) return name;
  return "";
}

std::vector<FieldError> check_bulk_request(const BulkRequest& req) {
  std::vector<FieldError> errors;
  if (req.items.size() > kMaxBulkItems)
    errors.push_back({"ids", "at most " + std::to_string(kMaxBulkItems) + " per request"});
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < req.items.size() && i < kMaxBulkItems; ++i) {
    if (!seen.insert(req.items[i].id).second)
      errors.push_back({"ids[" + std::to_string(i) + "]", "repeats an id given before"});
  }
  switch (req.action) {
    case BulkAction::kReassign:
      if (req.reassign.kind == Handover::Kind::kNone)
        errors.push_back({"to", "give to (a user id) or roundRobin: true"});
      if (req.remarks)  // they become crmStageMeta.reassignedRemarks
        within_limit(limit_of("crmStageMeta.reassignedRemarks"), *req.remarks, errors, "remarks");
      break;
    case BulkAction::kTag:
    case BulkAction::kUntag: {
      const FieldLimit& limit = limit_of("tags");
      if (req.tags.empty()) errors.push_back({"tags", "at least one tag is required"});
      if (req.tags.size() > limit.max_entries) errors.push_back({"tags", too_many_reason(limit)});
      for (std::size_t i = 0; i < req.tags.size(); ++i) {
        const std::string field = "tags[" + std::to_string(i) + "]";
        if (req.tags[i].empty())
          errors.push_back({field, "must be a non-empty string"});
        else
          within_limit(limit, req.tags[i], errors, field);
      }
      break;
    }
    case BulkAction::kMove:  // move_opportunity checks its request, as for one opportunity
      break;
  }
  return errors;
}

std::vector<BulkResult> run_bulk(AppContext& ctx, const BulkRequest& req,
                                 const WriteOptions& opts) {
  std::vector<BulkResult> out;
  out.reserve(req.items.size());
  for (const auto& item : req.items) out.push_back(run_one(ctx, req, item, opts));
  return out;
}

Result<std::vector<Id>> bulk_ids_matching(AppContext& ctx, const OpportunityFilter& filter) {
  std::vector<Id> ids;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    // One page past the bound tells whether more match.
    auto page = tx.list_opportunities(filter, Page{std::nullopt, int(kMaxBulkItems) + 1});
    if (!page) return page.error();
    for (const auto& o : *page) ids.push_back(o.id);
    return ok_status();
  });
  if (!s) return s.error();
  if (ids.size() > kMaxBulkItems)
    return Error::validation({{"filter", "matches more than " + std::to_string(kMaxBulkItems) +
                                             " opportunities: narrow it, or send ids"}},
                             "too many opportunities for one bulk request");
  return ids;
}

Status reassign_to_target(AppContext& ctx, WriteTx& tx, Opportunity& opp, const Handover& target,
                          const std::optional<std::string>& remarks, const WriteOptions& opts) {
  Id to = target.to;
  if (target.kind == Handover::Kind::kRoundRobin) {
    const auto worker = worker_of(opp);
    if (worker) {  // else reassign_loaded says why nobody works it
      auto chosen = round_robin_choice(ctx, tx, opp, *worker, target);
      if (!chosen) return chosen.error();
      to = *chosen;
    }
  }
  return reassign_loaded(ctx, tx, opp, to, remarks, opts);
}

}  // namespace leadproc
