// The outbox (issue 20 item 1; docs/events.md): every change of an opportunity that other systems
// care about, written as an event in the transaction of the change (record_activity calls
// record_outbox_events), so an event exists iff its change committed. Webhook delivery reads the
// events from the store afterwards; nothing here sends anything.
//
// Each event's body is the JSON text every subscriber receives, fixed when written:
//   {"id": "<ObjectId>", "type": "<type>", "timestamp": "<ISO 8601>",
//    "data": {...the type's own fields..., "opportunity": {...as the API returns it...}}}
// with "data.west": {"sheetName", "wabaNumber"} when the opportunity has a WEST assignee (the
// WEST hand-off, item 5). The types and their fields are listed in docs/events.md.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "domain/model.h"

namespace leadproc {

// Every event type, for validating subscriptions and for docs/events.md.
inline constexpr std::string_view kOutboxEventTypes[] = {"lead.created",
                                                         "opportunity.assigned",
                                                         "opportunity.reassigned",
                                                         "opportunity.stage_changed",
                                                         "opportunity.qualified",
                                                         "opportunity.won",
                                                         "opportunity.lost",
                                                         "followup.created",
                                                         "followup.completed",
                                                         "followup.overdue",
                                                         "sla.breached",
                                                         "sla.warning",
                                                         "sla.escalated"};

// The events the change of an opportunity from `before` (nullopt: just created) to `after`
// raises, with `extra` the changes of its follow-ups recorded with it ("followups.<id>.<field>",
// app/activity_log.h), ids from `new_id`, at `now`. `after_json` is the opportunity as the API
// returns it (codec::to_json(after)), serialised into the bodies once however many events:
// - lead.created (no `before`): duplicate, duplicateOf;
// - opportunity.assigned: a role (psv, west, owner) got a person it had not (role, to);
//   opportunity.reassigned: a role's person changed for another (role, from, to);
// - opportunity.stage_changed: status or stage changed (previous and current {status, stage});
// - opportunity.qualified: it entered the CRM; opportunity.won / opportunity.lost: its status
//   became Won / Lost;
// - followup.created / followup.completed: a follow-up was created / completed (followUp: its
//   id and the fields that changed, as the API names them).
std::vector<OutboxEvent> outbox_events_for_change(const std::optional<Opportunity>& before,
                                                  const Opportunity& after,
                                                  const boost::json::object& after_json,
                                                  const std::vector<FieldChange>& extra,
                                                  Timestamp now, const std::function<Id()>& new_id);

// Writes outbox_events_for_change(...) in `tx`.
Status record_outbox_events(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                            const Opportunity& after, const boost::json::object& after_json,
                            const std::vector<FieldChange>& extra, Timestamp now);

// One event of `type` about `o` with `fields` in its data (the jobs' followup.overdue), written
// in `tx`.
Status record_outbox_event(AppContext& ctx, WriteTx& tx, std::string_view type,
                           const Opportunity& o, boost::json::object fields, Timestamp now);

}  // namespace leadproc
