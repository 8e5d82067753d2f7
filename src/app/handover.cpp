#include "app/handover.h"

#include "app/bulk.h"
#include "app/destinations.h"  // canonical_id
#include "app/opportunity_edits.h"
#include "domain/object_id.h"

namespace leadproc {

namespace {

constexpr int kPageSize = 500;

// A reassignment's error, named for the handover: its field "to" becomes `field`, and the
// detail says which opportunity could not be handed over.
Error for_handover(Error e, const Opportunity& opp, const std::string& field) {
  for (auto& f : e.fields)
    if (f.field == "to" || f.field == "roundRobin") f.field = field;
  if (e.code == ErrorCode::kValidation && e.fields.empty()) e.fields.push_back({field, e.detail});
  e.detail = "cannot hand over opportunity " + opp.id + ": " + e.detail;
  return e;
}

}  // namespace

Result<std::vector<Opportunity>> held_opportunities(ReadTx& tx, const Id& user_id) {
  OpportunityFilter filter;
  filter.assignee = user_id;  // assigned or owned, in any phase: narrowed below
  Page page{std::nullopt, kPageSize};
  std::vector<Opportunity> out;
  for (;;) {
    auto batch = tx.list_opportunities(filter, page);
    if (!batch) return batch.error();
    for (auto& opp : *batch) {
      auto worker = worker_of(opp);
      if (worker && worker->person == user_id) out.push_back(std::move(opp));
    }
    if (static_cast<int>(batch->size()) < page.limit) break;
    page.after = batch->back().id;
  }
  return out;
}

Result<std::vector<Opportunity>> list_held_opportunities(AppContext& ctx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no user with _id '" + raw_id + "'");
  std::vector<Opportunity> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto u = tx.get_user(*id);
    if (!u) return u.error();
    if (!*u || (*u)->deleted) return Error::not_found("no user with _id '" + raw_id + "'");
    auto held = held_opportunities(tx, *id);
    if (!held) return held.error();
    out = std::move(*held);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<int> hand_over(AppContext& ctx, WriteTx& tx, const User& from, const Handover& handover,
                      const std::optional<Id>& actor, int& open_count) {
  auto held = held_opportunities(tx, from.id);
  if (!held) return held.error();
  open_count = static_cast<int>(held->size());
  if (held->empty()) return 0;
  if (handover.kind == Handover::Kind::kNone)
    return Error::conflict(from.display_name() + " holds " + std::to_string(open_count) +
                           " open opportunit" + (open_count == 1 ? "y" : "ies") +
                           ": hand them over in the same request, with {\"handover\": {\"to\": "
                           "\"<userId>\"}} or {\"handover\": {\"roundRobin\": true}}");
  if (handover.kind == Handover::Kind::kToPerson && handover.to == from.id)
    return Error::validation({{"handover.to", "is the user who leaves"}},
                             "cannot hand the opportunities over to their holder");
  const std::string field =
      handover.kind == Handover::Kind::kToPerson ? "handover.to" : "handover.roundRobin";
  const std::string remarks =
      "handed over from " + from.display_name() + ", who left" +
      (handover.kind == Handover::Kind::kRoundRobin ? " (round robin)" : "");
  WriteOptions opts;
  opts.actor = actor;
  int handed = 0;
  for (const auto& listed : *held) {
    auto loaded = load_for_change(tx, listed.id, opts);  // locked, as any change of one
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    const auto worker = worker_of(opp);
    if (!worker || worker->person != from.id) continue;  // changed hands since it was listed
    // The same step as a bulk reassignment (app/bulk.h), in this one transaction: the person
    // leaves with every lead handed over, or not at all.
    if (auto r = reassign_to_target(ctx, tx, opp, handover, remarks, opts); !r)
      return for_handover(r.error(), opp, field);
    ++handed;
  }
  return handed;
}

}  // namespace leadproc
