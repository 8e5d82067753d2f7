#include "app/queries.h"

#include "domain/object_id.h"

namespace leadproc {

Result<std::optional<Lead>> query_lead(AppContext& ctx, const Id& id) {
  if (!is_object_id(id)) return std::optional<Lead>();
  std::optional<Lead> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.get_lead(id);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::optional<Opportunity>> query_opportunity(AppContext& ctx, const Id& id) {
  if (!is_object_id(id)) return std::optional<Opportunity>();
  std::optional<Opportunity> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.get_opportunity(id);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Opportunity>> query_opportunities(AppContext& ctx, const OpportunityFilter& f,
                                                     const Page& page, Freshness freshness) {
  std::vector<Opportunity> out;
  Store& store = freshness == Freshness::kMayLag ? ctx.lagging_reads() : ctx.store;
  auto s = store.read([&](ReadTx& tx) -> Status {
    auto r = tx.list_opportunities(f, page);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<OpportunityCounts> count_opportunities(AppContext& ctx, const OpportunityFilter& f) {
  OpportunityCounts out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.count_opportunities(f);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<StageCount>> count_opportunities_by_stage(AppContext& ctx,
                                                             const OpportunityFilter& f) {
  std::vector<StageCount> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.count_opportunities_by_stage(f);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Activity>> query_activities(AppContext& ctx, const Id& opp_id,
                                               const Page& page) {
  if (!is_object_id(opp_id)) return Error::not_found("opportunity not found");
  std::vector<Activity> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto opp = tx.get_opportunity(opp_id);
    if (!opp) return opp.error();
    if (!*opp) return Error::not_found("opportunity not found");
    auto r = tx.list_activities(opp_id, page);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
