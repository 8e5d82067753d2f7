// Read-only use cases: one snapshot each. Ids that are not ObjectIds are simply not found.
#pragma once

#include <optional>
#include <vector>

#include "app/context.h"

namespace leadproc {

Result<std::optional<Lead>> query_lead(AppContext& ctx, const Id& id);
Result<std::optional<Opportunity>> query_opportunity(AppContext& ctx, const Id& id);
// How fresh a read must be: kCurrent reads the store (a person's own change shows at once);
// kMayLag may read the replica (AppContext::lagging_reads: exports).
enum class Freshness { kCurrent, kMayLag };

Result<std::vector<Opportunity>> query_opportunities(AppContext& ctx, const OpportunityFilter& f,
                                                     const Page& page,
                                                     Freshness freshness = Freshness::kCurrent);
Result<OpportunityCounts> count_opportunities(AppContext& ctx, const OpportunityFilter& f);
Result<std::vector<StageCount>> count_opportunities_by_stage(AppContext& ctx,
                                                             const OpportunityFilter& f);
// kNotFound when the opportunity does not exist.
Result<std::vector<Activity>> query_activities(AppContext& ctx, const Id& opp_id, const Page& page);

}  // namespace leadproc
