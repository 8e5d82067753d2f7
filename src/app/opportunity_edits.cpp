#include "app/opportunity_edits.h"

#include <algorithm>

#include "app/activity_log.h"
#include "app/business_day.h"
#include "app/followups.h"
#include "app/users.h"
#include "domain/field_limits.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/travel_month.h"
#include "domain/workflow.h"

namespace leadproc {
namespace {

// A nullable text field: not given -> untouched; cleared -> cleared; a text within its size
// limit (domain/field_limits.h) -> set.
void text_field(const Patch<std::string>& given, const FieldLimit& limit,
                std::optional<std::string>& target, std::vector<FieldError>& errors) {
  if (!given.given) return;
  if (!given.value)
    target.reset();
  else if (within_limit(limit, *given.value, errors))
    target = *given.value;
}

std::optional<PhoneParts> phone_of(const AppContext& ctx, const std::string& raw) {
  auto e164 = ctx.phones.to_e164(raw);
  if (!e164) return std::nullopt;
  return ctx.phones.split(*e164);
}

void phone_field(const AppContext& ctx, const Patch<AlternatePhoneInput>& given, Opportunity& opp,
                 std::vector<FieldError>& errors) {
  if (!given.given) return;
  if (!given.value) {
    opp.alternate_phone.reset();
    return;
  }
  const AlternatePhoneInput& in = *given.value;
  std::string raw;
  if (in.text) {
    if (!within_limit(limit_of("alternatePhone"), *in.text, errors)) return;
    raw = *in.text;
  } else {
    if (!in.number) return;  // the decoder said why
    if (!within_limit(limit_of("alternatePhone.number"), *in.number, errors)) return;
    if (in.country_code) {
      if (!within_limit(limit_of("alternatePhone.countryCode"), *in.country_code, errors)) return;
      std::string code = *in.country_code;
      if (!code.empty() && code.front() != '+') code = "+" + code;
      raw = code;
    }
    raw += *in.number;
  }
  auto parts = phone_of(ctx, raw);
  if (!parts) {
    errors.push_back({"alternatePhone", "is not a possible phone number (default region " +
                                            ctx.phones.default_region() + ")"});
    return;
  }
  opp.alternate_phone = *parts;
}

void tags_field(const Patch<std::vector<std::optional<std::string>>>& given, Opportunity& opp,
                std::vector<FieldError>& errors) {
  if (!given.given) return;
  if (!given.value) {
    opp.tags.clear();
    return;
  }
  const auto& a = *given.value;
  const FieldLimit& limit = limit_of("tags");
  if (a.size() > limit.max_entries) {
    if (!names_field(errors, "tags")) errors.push_back({"tags", too_many_reason(limit)});
    return;
  }
  std::vector<std::string> tags;
  bool ok = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    if (!a[i]) {  // the decoder said why
      ok = false;
      continue;
    }
    if (a[i]->empty()) {
      errors.push_back({field, "must be a non-empty string"});
      ok = false;
      continue;
    }
    if (!within_limit(limit, *a[i], errors, field)) {
      ok = false;
      continue;
    }
    if (std::find(tags.begin(), tags.end(), *a[i]) == tags.end()) tags.push_back(*a[i]);
  }
  if (ok) opp.tags = std::move(tags);
}

// Applies the edit to `opp`, collecting every problem.
void apply_edit(const AppContext& ctx, const OpportunityEdit& in, Opportunity& opp,
                std::vector<FieldError>& errors) {
  if (in.id && *in.id != opp.id)
    errors.push_back({"_id", "cannot change (it names another opportunity)"});
  if (in.name) {
    if (in.name->find_first_not_of(" \t\r\n") == std::string::npos)
      errors.push_back({"name", "is required and must be a non-empty string"});
    else if (within_limit(limit_of("name"), *in.name, errors))
      opp.name = *in.name;
  }
  if (in.email.given) {
    if (!in.email.value) {
      opp.email.reset();
    } else if (within_limit(limit_of("email"), *in.email.value, errors)) {
      if (looks_like_email(*in.email.value))
        opp.email = *in.email.value;
      else
        errors.push_back({"email", "is not an email address"});
    }
  }
  if (in.pax.given) {
    if (!in.pax.value)
      opp.pax.reset();
    else
      opp.pax = std::to_string(*in.pax.value);
  }
  phone_field(ctx, in.alternate_phone, opp, errors);
  if (in.travel_date.given) {
    text_field(in.travel_date, limit_of("travelDate"), opp.travel_date, errors);
    opp.travel_month_date_format.reset();
    if (opp.travel_date) {
      if (auto month = travel_month_of(*opp.travel_date)) {
        auto start = local_midnight(month->year, month->month, 1, ctx.config.timezone);
        if (start) opp.travel_month_date_format = *start;
      }
    }
  }
  text_field(in.trip_type, limit_of("tripType"), opp.trip_type, errors);
  text_field(in.pax_type, limit_of("paxType"), opp.pax_type, errors);
  tags_field(in.tags, opp, errors);
  text_field(in.remarks, limit_of("remarks"), opp.remarks, errors);
  text_field(in.custom_remark, limit_of("customRemark"), opp.custom_remark, errors);
  text_field(in.agent_notes, limit_of("agentNotes"), opp.agent_notes, errors);
  text_field(in.junk_remarks, limit_of("junKRemarks"), opp.junk_remarks, errors);
}

// reassignment

// In the order of worker_of's pools.
enum class Seat { kSales, kPsv, kWest };

std::optional<Seat> seat_of(const Opportunity& opp) {
  using S = OpportunityStatus;
  switch (opp.status) {
    case S::kOpen:
      return Seat::kSales;
    case S::kDormant:
      if (opp.crm_stage_meta) return Seat::kSales;
      return std::nullopt;
    case S::kInPsv:
    case S::kResolvingUnknown:
    case S::kUpcomingFreshLead:
    case S::kUpcomingFollowUp1:
    case S::kUpcomingFollowUp2:
    case S::kUpcomingFollowUp3:
    case S::kUpcomingFollowUp4:
      return Seat::kPsv;
    case S::kInWest:
      return Seat::kWest;
    default:
      return std::nullopt;
  }
}

Department department_of(Seat seat) {
  switch (seat) {
    case Seat::kSales:
      return Department::kSales;
    case Seat::kPsv:
      return Department::kPsv;
    case Seat::kWest:
      return Department::kWest;
  }
  return Department::kSales;
}

std::optional<Id> holder(const Opportunity& opp, Seat seat) {
  switch (seat) {
    case Seat::kSales:
      return opp.opportunity_owner;
    case Seat::kPsv:
      return opp.assigned_psv ? std::optional<Id>(opp.assigned_psv->id) : std::nullopt;
    case Seat::kWest:
      return opp.assigned_west ? std::optional<Id>(opp.assigned_west->id) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<Opportunity> edit_opportunity(AppContext& ctx, const Id& id, const OpportunityEdit& edit,
                                     const WriteOptions& opts) {
  Opportunity result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    const Opportunity before = opp;
    std::vector<FieldError> errors = edit.decode_errors;
    apply_edit(ctx, edit, opp, errors);
    if (!errors.empty()) return Error::validation(std::move(errors), "invalid opportunity edit");
    auto changes = diff_opportunity(before, opp);
    if (changes.empty()) {  // nothing to change: nothing written
      result = std::move(opp);
      return ok_status();
    }
    std::string description = "edited:";
    for (const auto& c : changes) description += " " + c.field;
    if (auto w = save_change(ctx, tx, before, opp, opts, std::move(description)); !w) return w;
    result = std::move(opp);
    return ok_status();
  });
  if (!s) return s.error();
  return result;
}

std::optional<Worker> worker_of(const Opportunity& opp) {
  if (is_closed(opp)) return std::nullopt;
  auto seat = seat_of(opp);
  if (!seat) return std::nullopt;
  static constexpr AvailabilityProcess kPools[] = {
      AvailabilityProcess::kSales, AvailabilityProcess::kPsv, AvailabilityProcess::kWest};
  return Worker{department_of(*seat), kPools[static_cast<int>(*seat)], holder(opp, *seat)};
}

Status reassign_loaded(AppContext& ctx, WriteTx& tx, Opportunity& opp, const Id& to,
                       const std::optional<std::string>& remarks, const WriteOptions& opts) {
  const Opportunity before = opp;
  if (is_closed(opp))
    return Error::conflict("opportunity " + opp.id + " is closed (" + describe(state_of(opp)) +
                           "): nobody works it any more");
  auto seat = seat_of(opp);
  if (!seat)
    return Error::conflict("no person works an opportunity in " + describe(state_of(opp)) +
                           (opp.status == OpportunityStatus::kDormant
                                ? " (a dormant duplicate: reactivate it first)"
                                : ""));
  auto user = tx.get_user(to);
  if (!user) return user.error();
  if (!*user || (*user)->deleted)
    return Error::validation({{"to", "no user has the _id " + to}}, "unknown user");
  if (!(*user)->is_active)
    return Error::validation({{"to", "user " + to + " is not active"}}, "inactive user");
  const Department wanted = department_of(*seat);
  if ((*user)->department != wanted) {
    return Error::validation(
        {{"to", "must be a " + std::string(to_string(wanted)) + " user (this opportunity is in " +
                    describe(state_of(opp)) + "); " + to + " is " +
                    std::string(to_string((*user)->department))}},
        "wrong department");
  }
  const auto previous = holder(opp, *seat);
  if (previous == to)
    return Error::conflict("opportunity " + opp.id + " is already assigned to " + to);

  std::vector<FieldChange> followups;
  switch (*seat) {
    case Seat::kSales:
      opp.opportunity_owner = to;
      if (!opp.crm_stage_meta) opp.crm_stage_meta.emplace();
      opp.crm_stage_meta->re_assigned = true;
      opp.crm_stage_meta->reassigned_remarks = remarks;
      if (auto h =
              hand_over_followups(ctx, tx, opp.id, opp.opportunity_owner, opts.actor, followups);
          !h)
        return h;
      break;
    case Seat::kPsv:
      opp.assigned_psv = NamedRef{to, (*user)->display_name()};
      break;
    case Seat::kWest: {
      AssignedWest west;
      if (opp.assigned_west) west = *opp.assigned_west;
      west.id = to;
      west.name = (*user)->display_name();
      opp.assigned_west = west;
      break;
    }
  }
  opp.awaiting_pool.reset();
  opp.awaiting_reason.reset();
  std::string description = "reassigned from " + previous.value_or("nobody") + " to " + to + " (" +
                            (*user)->display_name() + ")";
  if (remarks && !remarks->empty()) description += ": " + *remarks;
  return save_change(ctx, tx, before, opp, opts, std::move(description), std::move(followups));
}

Result<Opportunity> reassign_opportunity(AppContext& ctx, const Id& id, const ReassignRequest& req,
                                         const WriteOptions& opts) {
  std::vector<FieldError> errors = req.decode_errors;
  if (!req.to)
    errors.push_back({"to", "is required: the _id of the user who takes it over"});
  else if (!is_object_id(*req.to))
    errors.push_back({"to", "must be a 24-hex-digit user id"});
  if (req.remarks)  // they become crmStageMeta.reassignedRemarks
    within_limit(limit_of("crmStageMeta.reassignedRemarks"), *req.remarks, errors, "remarks");
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid reassignment");

  Opportunity result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    if (auto r = reassign_loaded(ctx, tx, opp, *req.to, req.remarks, opts); !r) return r;
    result = std::move(opp);
    return ok_status();
  });
  if (!s) return s.error();
  return result;
}

}  // namespace leadproc
