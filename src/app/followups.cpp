#include "app/followups.h"

#include <algorithm>
#include <map>

#include "app/activity_log.h"
#include "codec/json_codec.h"
#include "domain/object_id.h"
#include "domain/reasons.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "domain/workflow.h"

namespace leadproc {
namespace {

// The changes of one follow-up for an activity: "followups.<id>.<field>".
void diff_into(std::vector<FieldChange>& changes, const std::optional<FollowUp>& before,
               const FollowUp& after) {
  auto b = before ? codec::to_json(*before) : boost::json::object{};
  for (auto& c : diff_documents(b, codec::to_json(after), "followups." + after.id + "."))
    changes.push_back(std::move(c));
}

void check_text(std::vector<FieldError>& errors, const std::string& field,
                const std::optional<std::string>& text) {
  if (text && text_length(*text) > kMaxNoteLength)
    errors.push_back({field, "at most " + std::to_string(kMaxNoteLength) + " characters"});
}

// Adds the problems of a schedule (`prefix` names where it sits in the request).
void validate_schedule(const FollowUpInput& in, Timestamp now, const std::string& prefix,
                       std::vector<FieldError>& errors) {
  for (auto e : in.decode_errors) errors.push_back(std::move(e));
  auto named = [&](std::string_view field) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const FieldError& e) { return e.field == prefix + std::string(field); });
  };
  if (!named("reminderDate")) {
    if (!in.reminder_date)
      errors.push_back({prefix + "reminderDate", "is required"});
    else if (*in.reminder_date <= now)
      errors.push_back({prefix + "reminderDate", "must be in the future"});
  }
  check_text(errors, prefix + "note", in.note);
  check_text(errors, prefix + "customRemark", in.custom_remark);
}

Error not_open(const Opportunity& opp) {
  return Error::conflict("follow-ups are for opportunities in the CRM phase (status Open); " +
                         opp.id + " is " + describe(state_of(opp)));
}

Error not_active(const FollowUp& f) {
  return Error::conflict("follow-up " + f.id + " is " + std::string(to_string(f.status)) +
                         "; only an active follow-up can change");
}

int completed_count(const std::vector<FollowUp>& list) {
  return static_cast<int>(std::count_if(list.begin(), list.end(), [](const FollowUp& f) {
    return f.status == FollowUpStatus::kCompleted;
  }));
}

std::optional<CrmStage> crm_stage_of(const Opportunity& opp) {
  return state_of(opp).crm_stage;
}

// A new active follow-up of `opp` (not yet inserted).
FollowUp make_followup(AppContext& ctx, const Opportunity& opp, FollowUpSubStage sub_stage,
                       int count, Timestamp reminder, const std::optional<Id>& actor,
                       Timestamp now) {
  FollowUp f;
  f.id = ctx.new_id();
  f.opp_id = opp.id;
  f.stage = crm_stage_of(opp).value_or(CrmStage::kFreshLead);
  f.sub_stage = sub_stage;
  f.count = count;
  f.reminder_date = reminder;
  f.status = FollowUpStatus::kActive;
  f.owner = opp.opportunity_owner;
  f.created_by = actor;
  f.modified_by = actor;
  f.created_at = now;
  f.updated_at = now;
  f.version = 1;
  return f;
}

// Inserts the next follow-up of `opp` scheduled by `in`, after `completed` completions.
Result<FollowUp> schedule_next(AppContext& ctx, WriteTx& tx, const Opportunity& opp, int completed,
                               const FollowUpInput& in, const std::optional<Id>& actor,
                               Timestamp now) {
  const auto sub = crm_stage_of(opp) == CrmStage::kClosedForFutureFollowup
                       ? FollowUpSubStage::kFutureFollowup
                       : sub_stage_after(completed);
  FollowUp f = make_followup(ctx, opp, sub, completed + 1, *in.reminder_date, actor, now);
  f.note = in.note;
  f.custom_remark = in.custom_remark;
  if (auto s = tx.insert_followup(f); !s) return s.error();
  return f;
}

// Writes a changed follow-up over `before` and bumps its version.
Status save_followup(WriteTx& tx, const FollowUp& before, FollowUp& after) {
  if (auto s = tx.update_followup(after, before.version); !s) return s;
  after.version = before.version + 1;
  return ok_status();
}

std::string when(const std::optional<Timestamp>& t) {
  return t ? format_iso8601(*t) : std::string("no date");
}

std::string sub_stage_name(const FollowUp& f) {
  return f.sub_stage ? std::string(to_string(*f.sub_stage)) : std::string("follow-up");
}

// The follow-up `id` and its opportunity, loaded for a change; the precondition is the
// follow-up's version.
struct Loaded {
  FollowUp followup;
  Opportunity opportunity;
};
Result<Loaded> load_followup(WriteTx& tx, const Id& id, const WriteOptions& opts) {
  if (!is_object_id(id)) return Error::not_found("follow-up " + id + " not found");
  auto found = tx.get_followup(id);
  if (!found) return found.error();
  if (!*found) return Error::not_found("follow-up " + id + " not found");
  WriteOptions for_opportunity = opts;  // the precondition is the follow-up's
  for_opportunity.expected_version.reset();
  auto opp = load_for_change(tx, (*found)->opp_id, for_opportunity);
  if (!opp) {
    if (opp.error().code == ErrorCode::kNotFound)  // hidden from the caller, or dangling
      return Error::not_found("follow-up " + id + " not found");
    return opp.error();
  }
  if (auto s = check_version(opts.expected_version, (*found)->version, "follow-up " + id); !s)
    return s.error();
  return Loaded{std::move(**found), std::move(*opp)};
}

// Changes an active follow-up in one write transaction. `change(tx, opp, f, next, changes,
// description)` mutates the follow-up `f` (and may change the opportunity, schedule `next`, add
// changes of other follow-ups and must describe itself); then `f` is stamped (modifiedBy,
// updatedAt) and saved against its version, the opportunity's nextFollowUpDate is refreshed, and
// the opportunity is saved with one activity listing the follow-up's changes first.
template <typename Change>
Result<FollowUpResult> change_followup(AppContext& ctx, const Id& id, const WriteOptions& opts,
                                       Change change) {
  FollowUpResult result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_followup(tx, id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = loaded->opportunity;
    const Opportunity before = opp;
    FollowUp f = loaded->followup;
    if (f.status != FollowUpStatus::kActive) return not_active(f);
    const FollowUp unchanged = f;
    std::vector<FieldChange> others;
    std::string description;
    std::optional<FollowUp> next;
    if (auto c = change(tx, opp, f, next, others, description); !c) return c;
    f.modified_by = opts.actor;
    f.updated_at = ctx.now();
    if (auto w = save_followup(tx, unchanged, f); !w) return w;
    std::vector<FieldChange> changes;
    diff_into(changes, unchanged, f);
    for (auto& c : others) changes.push_back(std::move(c));
    if (auto r = refresh_next_follow_up(tx, opp); !r) return r;
    if (auto w =
            save_change(ctx, tx, before, opp, opts, std::move(description), std::move(changes));
        !w)
      return w;
    result = FollowUpResult{std::move(f), std::move(next), std::move(opp)};
    return ok_status();
  });
  if (!s) return s.error();
  return result;
}

}  // namespace

// Building blocks

Result<FollowUp> schedule_first_contact(AppContext& ctx, WriteTx& tx, const Opportunity& opp,
                                        Timestamp now, std::vector<FieldChange>* changes) {
  FollowUp f = make_followup(ctx, opp, FollowUpSubStage::kFirstContact, 1, now + kFirstContactSla,
                             std::nullopt, now);
  f.stage = CrmStage::kFreshLead;
  if (auto s = tx.insert_followup(f); !s) return s.error();
  if (changes) diff_into(*changes, std::nullopt, f);
  return f;
}

Status schedule_future_followup(AppContext& ctx, WriteTx& tx, const Opportunity& opp,
                                Timestamp reminder, const std::optional<Id>& actor,
                                std::vector<FieldChange>& changes) {
  auto list = tx.list_followups(opp.id);
  if (!list) return list.error();
  const int completed = completed_count(*list);
  FollowUp f = make_followup(ctx, opp, FollowUpSubStage::kFutureFollowup, completed + 1, reminder,
                             actor, ctx.now());
  if (auto s = tx.insert_followup(f); !s) return s;
  diff_into(changes, std::nullopt, f);
  return ok_status();
}

Status cancel_active_followups(AppContext& ctx, WriteTx& tx, const Id& opp_id,
                               const std::optional<Id>& actor, std::vector<FieldChange>& changes) {
  auto list = tx.list_followups(opp_id);
  if (!list) return list.error();
  for (const auto& f : *list) {
    if (f.status != FollowUpStatus::kActive) continue;
    FollowUp after = f;
    after.status = FollowUpStatus::kCanceled;
    after.modified_by = actor;
    after.updated_at = ctx.now();
    if (auto s = save_followup(tx, f, after); !s) return s;
    diff_into(changes, f, after);
  }
  return ok_status();
}

Status complete_first_contact(AppContext& ctx, WriteTx& tx, Opportunity& opp,
                              const std::optional<Id>& actor, std::vector<FieldChange>& changes) {
  auto list = tx.list_followups(opp.id);
  if (!list) return list.error();
  for (const auto& f : *list) {
    if (f.status != FollowUpStatus::kActive || f.sub_stage != FollowUpSubStage::kFirstContact)
      continue;
    FollowUp after = f;
    const Timestamp now = ctx.now();
    after.status = FollowUpStatus::kCompleted;
    after.completed_at = now;
    after.outcome = FollowUpOutcome::kConnected;
    after.modified_by = actor;
    after.updated_at = now;
    if (auto s = save_followup(tx, f, after); !s) return s;
    diff_into(changes, f, after);
    if (!opp.crm_stage_meta) opp.crm_stage_meta.emplace();
    opp.crm_stage_meta->followup_count += 1;
  }
  return ok_status();
}

Status hand_over_followups(AppContext& ctx, WriteTx& tx, const Id& opp_id,
                           const std::optional<Id>& owner, const std::optional<Id>& actor,
                           std::vector<FieldChange>& changes) {
  auto list = tx.list_followups(opp_id);
  if (!list) return list.error();
  for (const auto& f : *list) {
    if (f.status != FollowUpStatus::kActive || f.owner == owner) continue;
    FollowUp after = f;
    after.owner = owner;
    after.modified_by = actor;
    after.updated_at = ctx.now();
    if (auto s = save_followup(tx, f, after); !s) return s;
    diff_into(changes, f, after);
  }
  return ok_status();
}

Status refresh_next_follow_up(WriteTx& tx, Opportunity& opp) {
  if (!opp.crm_stage_meta) return ok_status();
  using S = OpportunityStatus;
  if (opp.status != S::kOpen && opp.status != S::kWon && opp.status != S::kLost &&
      opp.status != S::kDormant)
    return ok_status();
  auto list = tx.list_followups(opp.id);
  if (!list) return list.error();
  std::optional<Timestamp> earliest;
  for (const auto& f : *list) {
    if (f.status != FollowUpStatus::kActive || !f.reminder_date) continue;
    if (!earliest || *f.reminder_date < *earliest) earliest = f.reminder_date;
  }
  opp.next_follow_up_date = earliest;
  return ok_status();
}

// Use cases

Result<FollowUpResult> create_followup(AppContext& ctx, const Id& opp_id, const FollowUpInput& in,
                                       const WriteOptions& opts) {
  std::vector<FieldError> errors;
  validate_schedule(in, ctx.now(), "", errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid follow-up");

  FollowUpResult result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, opp_id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    const Opportunity before = opp;
    if (opp.status != OpportunityStatus::kOpen) return not_open(opp);
    auto list = tx.list_followups(opp.id);
    if (!list) return list.error();
    for (const auto& f : *list) {
      if (f.status == FollowUpStatus::kActive) {
        return Error::conflict("follow-up " + f.id + " (" + sub_stage_name(f) + ", due " +
                               when(f.reminder_date) +
                               ") is active: complete, cancel or reschedule it");
      }
    }
    auto f = schedule_next(ctx, tx, opp, completed_count(*list), in, opts.actor, ctx.now());
    if (!f) return f.error();
    std::vector<FieldChange> changes;
    diff_into(changes, std::nullopt, *f);
    if (auto r = refresh_next_follow_up(tx, opp); !r) return r;
    if (auto w = save_change(
            ctx, tx, before, opp, opts,
            "follow-up scheduled: " + sub_stage_name(*f) + " due " + when(f->reminder_date),
            std::move(changes));
        !w)
      return w;
    result = FollowUpResult{std::move(*f), std::nullopt, std::move(opp)};
    return ok_status();
  });
  if (!s) return s.error();
  return result;
}

Result<FollowUpResult> complete_followup(AppContext& ctx, const Id& followup_id,
                                         const CompletionInput& in, const WriteOptions& opts) {
  const Timestamp now = ctx.now();
  std::vector<FieldError> errors = in.decode_errors;
  std::optional<FollowUpOutcome> outcome;
  if (in.outcome) outcome = parse_followup_outcome(*in.outcome);
  if (!in.outcome) {
    errors.push_back({"outcome", "is required; one of: " + join(all_followup_outcomes())});
  } else if (!outcome) {
    errors.push_back({"outcome", "unknown outcome '" + *in.outcome +
                                     "'; one of: " + join(all_followup_outcomes())});
  }
  if (outcome && in.not_interested_reason) {
    const auto details = outcome_details_for(*outcome);
    if (details.empty()) {
      errors.push_back({"notInterestedReason", "not taken with outcome '" + *in.outcome + "'"});
    } else if (std::find(details.begin(), details.end(), *in.not_interested_reason) ==
               details.end()) {
      errors.push_back({"notInterestedReason", "unknown reason '" + *in.not_interested_reason +
                                                   "' for outcome '" + *in.outcome +
                                                   "'; one of: " + join(details)});
    }
  }
  check_text(errors, "note", in.note);
  check_text(errors, "customRemark", in.custom_remark);
  if (in.next) validate_schedule(*in.next, now, "next.", errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid completion");

  return change_followup(
      ctx, followup_id, opts,
      [&](WriteTx& tx, Opportunity& opp, FollowUp& f, std::optional<FollowUp>& next,
          std::vector<FieldChange>& changes, std::string& description) -> Status {
        if (opp.status != OpportunityStatus::kOpen) return not_open(opp);
        auto list = tx.list_followups(opp.id);  // before this completion is saved
        if (!list) return list.error();
        const int completed = completed_count(*list) + 1;
        f.status = FollowUpStatus::kCompleted;
        f.completed_at = ctx.now();
        f.outcome = outcome;
        f.not_interested_reason = in.not_interested_reason;
        if (in.note) f.note = in.note;
        if (in.custom_remark) f.custom_remark = in.custom_remark;

        if (!opp.crm_stage_meta) {  // legacy Open without crmStageMeta: it is at `followup`
          opp.crm_stage_meta.emplace();
          opp.crm_stage_meta->stage = CrmStage::kFollowup;
        }
        opp.crm_stage_meta->followup_count += 1;
        description = sub_stage_name(f) + " completed: " + std::string(to_string(*outcome));
        if (f.sub_stage == FollowUpSubStage::kFirstContact &&
            opp.crm_stage_meta->stage == CrmStage::kFreshLead) {
          // First contact made: fresh_lead → followup, through the workflow table.
          auto plan = plan_move(state_of(opp), "followup");
          if (!plan) return plan.error();
          MoveInput move;
          move.actor = opts.actor;
          if (auto s = apply_move(opp, *plan, move, ctx.now()); !s) return s;
          description += "; CRM stage fresh_lead → followup";
        }
        if (in.next) {
          auto scheduled = schedule_next(ctx, tx, opp, completed, *in.next, opts.actor, ctx.now());
          if (!scheduled) return scheduled.error();
          diff_into(changes, std::nullopt, *scheduled);
          description +=
              "; next: " + sub_stage_name(*scheduled) + " due " + when(scheduled->reminder_date);
          next = std::move(*scheduled);
        }
        return ok_status();
      });
}

Result<FollowUpResult> cancel_followup(AppContext& ctx, const Id& followup_id,
                                       const CancelInput& in, const WriteOptions& opts) {
  std::vector<FieldError> errors = in.decode_errors;
  check_text(errors, "customRemark", in.custom_remark);
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid cancellation");
  return change_followup(ctx, followup_id, opts,
                         [&](WriteTx&, Opportunity&, FollowUp& f, std::optional<FollowUp>&,
                             std::vector<FieldChange>&, std::string& description) -> Status {
                           f.status = FollowUpStatus::kCanceled;
                           if (in.custom_remark) f.custom_remark = in.custom_remark;
                           description = sub_stage_name(f) + " canceled";
                           return ok_status();
                         });
}

Result<FollowUpResult> reschedule_followup(AppContext& ctx, const Id& followup_id,
                                           const FollowUpInput& in, const WriteOptions& opts) {
  std::vector<FieldError> errors;
  validate_schedule(in, ctx.now(), "", errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid reschedule");
  return change_followup(ctx, followup_id, opts,
                         [&](WriteTx&, Opportunity&, FollowUp& f, std::optional<FollowUp>&,
                             std::vector<FieldChange>&, std::string& description) -> Status {
                           description = sub_stage_name(f) + " rescheduled from " +
                                         when(f.reminder_date) + " to " + when(in.reminder_date);
                           f.reminder_date = in.reminder_date;
                           if (in.note) f.note = in.note;
                           if (in.custom_remark) f.custom_remark = in.custom_remark;
                           return ok_status();
                         });
}

Result<std::optional<FollowUp>> query_followup(AppContext& ctx, const Id& id) {
  if (!is_object_id(id)) return std::optional<FollowUp>();
  std::optional<FollowUp> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.get_followup(id);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<FollowUp>> query_followups_of(AppContext& ctx, const Id& opp_id) {
  std::vector<FollowUp> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (auto exists = require_opportunity(tx, opp_id); !exists) return exists;
    auto r = tx.list_followups(opp_id);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

// Due lists

std::optional<DueFilter> parse_due_filter(std::string_view s) {
  if (s == "today") return DueFilter::kToday;
  if (s == "overdue") return DueFilter::kOverdue;
  if (s == "upcoming") return DueFilter::kUpcoming;
  return std::nullopt;
}

Result<DueRange> due_range(DueFilter filter, Timestamp now, const std::string& zone) {
  auto day = business_day(now, zone);
  if (!day) return day.error();
  switch (filter) {
    case DueFilter::kToday:
      return DueRange{day->start, day->end};
    case DueFilter::kOverdue:
      return DueRange{std::nullopt, now};
    case DueFilter::kUpcoming:
      return DueRange{day->end, std::nullopt};
  }
  return Error::internal("unknown due filter");
}

Result<DueList> due_followups(AppContext& ctx, DueFilter filter, const std::optional<Id>& owner,
                              int limit, const std::optional<DueCursor>& after) {
  const Timestamp now = ctx.now();
  auto range = due_range(filter, now, ctx.config.timezone);
  if (!range) return range.error();
  DueList out;
  out.range = *range;
  const DueWindow window{range->from, range->to, owner, limit, after};
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto followups = tx.list_due_followups(window);
    if (!followups) return followups.error();
    auto filtration = tx.list_filtration_due(window);
    if (!filtration) return filtration.error();
    std::map<Id, Opportunity> opportunities;
    for (auto& f : *followups) {
      auto it = opportunities.find(f.opp_id);
      if (it == opportunities.end()) {
        auto opp = tx.get_opportunity(f.opp_id);
        if (!opp) return opp.error();
        if (!*opp) continue;  // a dangling follow-up (imported data): nothing to show
        it = opportunities.emplace(f.opp_id, std::move(**opp)).first;
      }
      const Timestamp reminder = *f.reminder_date;
      DueItem item{std::nullopt, it->second, reminder, f.owner, reminder < now};
      item.followup = std::move(f);
      out.items.push_back(std::move(item));
    }
    for (auto& opp : *filtration) {
      std::optional<Id> agent;
      if (opp.status == OpportunityStatus::kInPsv && opp.assigned_psv) agent = opp.assigned_psv->id;
      if (opp.status == OpportunityStatus::kInWest && opp.assigned_west)
        agent = opp.assigned_west->id;
      const Timestamp reminder = *opp.next_follow_up_date;
      out.items.push_back(DueItem{std::nullopt, std::move(opp), reminder, agent, reminder < now});
    }
    return ok_status();
  });
  if (!s) return s.error();
  std::stable_sort(out.items.begin(), out.items.end(), [](const DueItem& a, const DueItem& b) {
    const DueCursor x = a.cursor();
    const DueCursor y = b.cursor();
    if (x.reminder != y.reminder) return x.reminder < y.reminder;
    return x.id < y.id;
  });
  if (static_cast<int>(out.items.size()) > limit) out.items.resize(static_cast<std::size_t>(limit));
  return out;
}

}  // namespace leadproc
