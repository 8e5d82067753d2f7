#include "app/sticky_owner.h"

#include <chrono>

#include "app/input.h"

namespace leadproc {

Result<RoutingSettings> load_routing_settings(ReadTx& tx) {
  auto stored = tx.get_routing_settings();
  if (!stored) return stored.error();
  return stored->value_or(RoutingSettings{});
}

Result<RoutingSettings> read_routing_settings(AppContext& ctx) {
  RoutingSettings out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto loaded = load_routing_settings(tx);
    if (!loaded) return loaded.error();
    out = *loaded;
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<RoutingSettings> update_routing_settings(AppContext& ctx, const RoutingSettingsInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  RoutingSettings s;
  if (auto days = in.sticky_owner_days) {
    if (*days < 0 || *days > kMaxStickyOwnerDays)
      errors.push_back({"stickyOwnerDays", "must be a whole number of days from 0 (off) to " +
                                               std::to_string(kMaxStickyOwnerDays)});
    else
      s.sticky_owner_days = static_cast<int>(*days);
  }
  require_field(errors, in.sticky_owner_days.has_value(), "stickyOwnerDays");
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid routing settings");
  Status st =
      ctx.store.write([&](WriteTx& tx) -> Status { return tx.put_routing_settings(s, ctx.now()); });
  if (!st) return st.error();
  return s;
}

namespace {

// The closed opportunity's assignee for `pool`, if it had one.
std::optional<NamedRef> assignee_for(const Opportunity& o, AvailabilityProcess pool) {
  switch (pool) {
    case AvailabilityProcess::kPsv:
      return o.assigned_psv;
    case AvailabilityProcess::kWest:
      if (o.assigned_west) return NamedRef{o.assigned_west->id, o.assigned_west->name};
      return std::nullopt;
    case AvailabilityProcess::kSales:
    case AvailabilityProcess::kJunkAutomation:
      if (o.opportunity_owner) return NamedRef{*o.opportunity_owner, ""};
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<std::optional<StickyOwner>> find_sticky_owner(ReadTx& tx, const Opportunity& opp,
                                                     AvailabilityProcess pool) {
  auto settings = load_routing_settings(tx);
  if (!settings) return settings.error();
  if (settings->sticky_owner_days <= 0) return std::optional<StickyOwner>{};
  const Timestamp since = opp.created_at - std::chrono::days(settings->sticky_owner_days);
  auto closed = tx.latest_closed_original(
      opp.number, opp.destination ? std::optional<Id>(opp.destination->id) : std::nullopt, since);
  if (!closed) return closed.error();
  if (!*closed || (*closed)->opp.id == opp.id) return std::optional<StickyOwner>{};
  auto owner = assignee_for((*closed)->opp, pool);
  if (!owner) return std::optional<StickyOwner>{};
  return std::optional<StickyOwner>(
      StickyOwner{owner->id, owner->name, (*closed)->opp.id, (*closed)->closed_at});
}

}  // namespace leadproc
