// Handing a user's open opportunities over when the user leaves (PRODUCT.md "Users"; issue 16
// item 10): no lead may stay with someone who cannot work it. The opportunities a user holds are
// those they work in the opportunity's current phase (app/opportunity_edits.h worker_of: the
// PSV or WEST agent of a lead in filtration, the sales owner of one in the CRM phase), not the
// ones they worked earlier and that moved on. Each is handed over by reassign_loaded, so it gets
// the activity of a reassignment.
#pragma once

#include <optional>
#include <vector>

#include "app/context.h"

namespace leadproc {

// Who takes the leads: one person (the body's "handover": {"to": "<userId>"}), or each lead the
// pool it would be routed to, by round robin ({"roundRobin": true}); http/decode_users.h decodes
// it.
struct Handover {
  enum class Kind { kNone, kToPerson, kRoundRobin };
  Kind kind = Kind::kNone;
  Id to;  // kToPerson
  // kRoundRobin: never this person (an SLA escalation takes a lead from its owner), and why the
  // lead is rerouted, for its routing record (empty: a bulk reassignment).
  std::optional<Id> except = std::nullopt;
  std::string why = {};
};

// The opportunities `user_id` holds now, newest first.
Result<std::vector<Opportunity>> held_opportunities(ReadTx& tx, const Id& user_id);
// The same, in a read transaction of its own (GET /api/v1/users/{id}/open-opportunities); 404
// for an unknown or deleted user.
Result<std::vector<Opportunity>> list_held_opportunities(AppContext& ctx, const Id& user_id);

// Hands every opportunity `from` holds over as `handover` says, inside the caller's transaction
// (call it after taking `from` out of rotation, so that round robin cannot choose them again).
// kNone with open opportunities: 409 naming how many (`open_count` is set either way). Errors
// name the opportunity; a target that cannot take a lead (unknown, inactive, `from` itself, the
// wrong department for a lead's phase) or a pool with nobody available is 422 on
// "handover.to" / "handover.roundRobin". Returns how many were handed over.
Result<int> hand_over(AppContext& ctx, WriteTx& tx, const User& from, const Handover& handover,
                      const std::optional<Id>& actor, int& open_count);

}  // namespace leadproc
