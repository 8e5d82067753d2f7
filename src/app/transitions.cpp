#include "app/transitions.h"

#include "app/followups.h"
#include "app/notes.h"
#include "app/routing.h"
#include "domain/object_id.h"

namespace leadproc {
namespace {

// The destination a request names by _id or by name; nullopt when none matches.
Result<std::optional<NamedRef>> find_destination(WriteTx& tx, const std::string& given) {
  if (is_object_id(given)) {
    auto d = tx.get_destination(given);
    if (!d) return d.error();
    if (*d && !(*d)->deleted) return std::optional<NamedRef>(NamedRef{(*d)->id, (*d)->name});
  }
  auto d = tx.find_destination_by_name(given);
  if (!d) return d.error();
  if (*d) return std::optional<NamedRef>(NamedRef{(*d)->id, (*d)->name});
  return std::optional<NamedRef>();
}

// The follow-up bookkeeping of a CRM move, after apply_move.
Status settle_followups(AppContext& ctx, WriteTx& tx, Opportunity& opp, const MovePlan& plan,
                        const WriteOptions& opts, std::vector<FieldChange>& changes) {
  if (plan.kind == MoveKind::kCrmStage && plan.to == "followup" &&
      plan.from.crm_stage == CrmStage::kFreshLead)
    return complete_first_contact(ctx, tx, opp, opts.actor, changes);
  const bool parks = plan.to == "closed_for_future_followup";
  if (plan.to == "won" || plan.to == "lost" || plan.kind == MoveKind::kDormant || parks) {
    if (auto s = cancel_active_followups(ctx, tx, opp.id, opts.actor, changes); !s) return s;
  }
  if (parks && opp.next_follow_up_date) {
    return schedule_future_followup(ctx, tx, opp, *opp.next_follow_up_date, opts.actor, changes);
  }
  return ok_status();
}

}  // namespace

Result<TransitionResult> move_opportunity(AppContext& ctx, const Id& id,
                                          const TransitionRequest& req, const WriteOptions& opts) {
  std::vector<FieldError> errors = req.decode_errors;
  if (!req.to || req.to->empty()) {
    bool named = false;
    for (const auto& e : errors) named = named || e.field == "to";
    if (!named) errors.push_back({"to", "is required: the target status or stage"});
  }
  const bool commented =
      req.remarks && req.remarks->find_first_not_of(" \t\r\n") != std::string::npos;
  if (req.as_note && !commented)
    errors.push_back({"remarks", "is required with asNote: the comment to keep as a note"});
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid transition request");

  TransitionResult result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    const Opportunity before = opp;
    const Timestamp now = ctx.now();

    auto plan = plan_move(state_of(opp), *req.to);
    if (!plan) return plan.error();

    MoveInput input;
    input.reasons = req.reasons;
    input.next_follow_up_date = req.next_follow_up_date;
    input.lost_reason = req.lost_reason;
    input.lost_reason_detail = req.lost_reason_detail;
    input.booking_id = req.booking_id;
    input.deal_value = req.deal_value;
    input.remarks = req.remarks;
    input.actor = opts.actor;
    std::optional<FieldError> unknown_destination;
    if (req.destination) {
      auto found = find_destination(tx, *req.destination);
      if (!found) return found.error();
      if (*found) {
        input.destination = **found;
      } else {
        // Validate the rest as if it were given, then name it as unknown.
        input.destination = NamedRef{"unresolved", *req.destination};
        if (plan->needs.destination)
          unknown_destination = FieldError{
              "destination", "no destination has the _id or name '" + *req.destination + "'"};
      }
    }
    if (auto valid = validate_move_input(*plan, input, now); !valid || unknown_destination) {
      std::vector<FieldError> fields = valid ? std::vector<FieldError>{} : valid.error().fields;
      if (unknown_destination) fields.push_back(*unknown_destination);
      return Error::validation(std::move(fields), "invalid input for the move to " + *req.to);
    }
    if (auto applied = apply_move(opp, *plan, input, now); !applied) return applied;

    std::vector<FieldChange> extra;  // the follow-ups' and the note's changes
    if (plan->enters_crm) {
      if (plan->kind == MoveKind::kReactivate) {
        // A Dormant duplicate reactivated: someone judged the re-enquiry worth its own sale.
        opp.is_qualified = true;
        opp.qualification_status = "Reactivated";
        if (opts.actor) opp.qualified_by = opts.actor;
      }
      auto entered = enter_crm(ctx, tx, opp, now, &extra);
      if (!entered) return entered.error();
      result.entered_crm = true;
      result.awaiting_sales = !*entered;
    } else if (auto settled = settle_followups(ctx, tx, opp, *plan, opts, extra); !settled) {
      return settled;
    }
    if (auto r = refresh_next_follow_up(tx, opp); !r) return r;

    if (req.as_note) {
      auto note = insert_note(ctx, tx, opp.id, *req.remarks, opts.actor, now);
      if (!note) return note.error();
      extra.push_back(note_added(*note));
    }

    std::string description = "moved from " + describe(plan->from) + " to " + *req.to;
    if (result.entered_crm) description += "; entered the CRM phase";
    if (result.awaiting_sales) description += " (waiting for an available sales person)";
    if (commented) description += ": " + *req.remarks;
    if (auto w = save_change(ctx, tx, before, opp, opts, std::move(description), std::move(extra));
        !w)
      return w;
    result.opportunity = std::move(opp);
    result.plan = std::move(*plan);
    return ok_status();
  });
  if (!s) return s.error();
  return result;
}

Result<AllowedMoves> allowed_transitions(AppContext& ctx, const Id& id) {
  if (!is_object_id(id)) return Error::not_found("opportunity " + id + " not found");
  std::optional<Opportunity> found;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.get_opportunity(id);
    if (!r) return r.error();
    found = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  if (!found) return Error::not_found("opportunity " + id + " not found");
  AllowedMoves out{std::move(*found), {}, {}, std::nullopt};
  out.state = state_of(out.opportunity);
  out.allowed = allowed_moves(out.state);
  out.proposed_next_attempt = proposed_next_attempt(out.state, ctx.now());
  return out;
}

}  // namespace leadproc
