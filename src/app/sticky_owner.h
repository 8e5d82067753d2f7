// The sticky owner (issue 21 item 4; docs/product.md "Routing and fairness"): a new enquiry from a
// number whose earlier opportunity for the same destination closed at most `stickyOwnerDays`
// days before it goes to that opportunity's owner in the pool it is routed to (PSV: its PSV
// agent, WEST: its WEST agent, sales: its opportunity owner) when they can take it now — the
// exclusions of the round robin apply (available, covering the destination, on shift, not on
// leave, checked in, under cap and quota, speaking the language); else the round robin, and the
// routing record says why the sticky owner was skipped. The setting is the admin's
// (GET/PUT /api/v1/routing/settings), read in each routing transaction, so a change applies to
// the next lead on every instance without a restart.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/assignment.h"
#include "app/context.h"

namespace leadproc {

// The longest setting: a year.
constexpr int kMaxStickyOwnerDays = 365;

// The stored settings, or the defaults (RoutingSettings) when never saved.
Result<RoutingSettings> load_routing_settings(ReadTx& tx);
Result<RoutingSettings> read_routing_settings(AppContext& ctx);
// The settings a PUT gives (the HTTP body {"stickyOwnerDays"} is decoded next to its route,
// http/routes_config.cpp; other fields are ignored, as everywhere in the configuration API).
struct RoutingSettingsInput {
  std::optional<std::int64_t> sticky_owner_days;  // required, 0..kMaxStickyOwnerDays
  std::vector<FieldError> decode_errors;
};
// 422 naming a bad field, nothing changed. Returns the new settings.
Result<RoutingSettings> update_routing_settings(AppContext& ctx, const RoutingSettingsInput& in);

// The sticky owner of `opp` (a new original, its number and destination set; the enquiry is its
// created_at) for `pool`: the assignee for that pool of the number's original for the destination
// closed most recently, if it closed within the setting's days before the enquiry. nullopt when
// the setting is 0, there is none, or it had no assignee in that pool.
Result<std::optional<StickyOwner>> find_sticky_owner(ReadTx& tx, const Opportunity& opp,
                                                     AvailabilityProcess pool);

}  // namespace leadproc
