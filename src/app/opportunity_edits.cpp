#include "app/opportunity_edits.h"

#include <algorithm>
#include <array>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>

#include "app/activity_log.h"
#include "app/business_day.h"
#include "app/followups.h"
#include "app/users.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "domain/field_limits.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/travel_month.h"
#include "domain/workflow.h"

namespace leadproc {
namespace json = boost::json;

namespace {

// What PATCH takes; any other field is refused with a hint.
constexpr std::array<std::string_view, 13> kEditable{
    "name", "email",   "pax",          "alternatePhone", "travelDate",  "tripType", "paxType",
    "tags", "remarks", "customRemark", "agentNotes",     "junKRemarks", "_id"};

std::string hint_for(std::string_view field) {
  static constexpr std::array<std::string_view, 12> kMoves{"status",
                                                           "filtrationStatus",
                                                           "crmStageMeta",
                                                           "isQualified",
                                                           "qualificationStatus",
                                                           "qualifiedBy",
                                                           "isPushed",
                                                           "nextFollowUpDate",
                                                           "destination",
                                                           "mainProcessingStage",
                                                           "filterationProcess",
                                                           "isDuplicate"};
  static constexpr std::array<std::string_view, 4> kOwners{
      "opportunityOwner", "assignedPsv", "assignedWest", "salesPersonToBeAssigned"};
  if (std::find(kMoves.begin(), kMoves.end(), field) != kMoves.end())
    return "not editable: it changes through POST /api/v1/opportunities/{id}/transitions";
  if (std::find(kOwners.begin(), kOwners.end(), field) != kOwners.end())
    return "not editable: it changes through POST /api/v1/opportunities/{id}/reassign";
  return "not an editable field";
}

// A nullable text field: absent → untouched; null → cleared; a string within its size limit
// (domain/field_limits.h) → set. Anything else is an error.
void text_field(const json::object& body, const FieldLimit& limit,
                std::optional<std::string>& target, std::vector<FieldError>& errors) {
  auto it = body.find(limit.field);
  if (it == body.end()) return;
  const json::value& v = it->value();
  if (v.is_null())
    target.reset();
  else if (!v.is_string())
    errors.push_back({std::string(limit.field), "must be a string or null"});
  else if (within_limit(limit, v.get_string(), errors))
    target = std::string(v.get_string());
}

std::optional<PhoneParts> phone_of(const AppContext& ctx, const std::string& raw) {
  auto e164 = ctx.phones.to_e164(raw);
  if (!e164) return std::nullopt;
  return ctx.phones.split(*e164);
}

void phone_field(const AppContext& ctx, const json::object& body, Opportunity& opp,
                 std::vector<FieldError>& errors) {
  auto it = body.find("alternatePhone");
  if (it == body.end()) return;
  const json::value& v = it->value();
  if (v.is_null()) {
    opp.alternate_phone.reset();
    return;
  }
  std::string raw;
  if (v.is_string()) {
    if (!within_limit(limit_of("alternatePhone"), v.get_string(), errors)) return;
    raw = std::string(v.get_string());
  } else if (v.is_object()) {
    const auto& o = v.get_object();
    auto cc = o.find("countryCode");
    auto number = o.find("number");
    if (number == o.end() || !number->value().is_string()) {
      errors.push_back({"alternatePhone.number", "is required (a string)"});
      return;
    }
    if (!within_limit(limit_of("alternatePhone.number"), number->value().get_string(), errors))
      return;
    if (cc != o.end() && !cc->value().is_null()) {
      if (!cc->value().is_string()) {
        errors.push_back({"alternatePhone.countryCode", "must be a string such as \"+91\""});
        return;
      }
      if (!within_limit(limit_of("alternatePhone.countryCode"), cc->value().get_string(), errors))
        return;
      std::string code(cc->value().get_string());
      if (!code.empty() && code.front() != '+') code = "+" + code;
      raw = code;
    }
    raw += std::string(number->value().get_string());
  } else {
    errors.push_back({"alternatePhone", "must be {countryCode, number}, a string or null"});
    return;
  }
  auto parts = phone_of(ctx, raw);
  if (!parts) {
    errors.push_back({"alternatePhone", "is not a possible phone number (default region " +
                                            ctx.phones.default_region() + ")"});
    return;
  }
  opp.alternate_phone = *parts;
}

// The same rule as intake (codec::FieldReader::pax), kept as the spec's text ("3"); null clears.
void pax_field(const json::object& body, Opportunity& opp, std::vector<FieldError>& errors) {
  auto it = body.find("pax");
  if (it == body.end()) return;
  if (it->value().is_null()) {
    opp.pax.reset();
    return;
  }
  codec::FieldReader r(body, errors);
  if (auto pax = r.pax("pax")) opp.pax = std::to_string(*pax);
}

void tags_field(const json::object& body, Opportunity& opp, std::vector<FieldError>& errors) {
  auto it = body.find("tags");
  if (it == body.end()) return;
  const json::value& v = it->value();
  if (v.is_null()) {
    opp.tags.clear();
    return;
  }
  if (!v.is_array()) {
    errors.push_back({"tags", "must be an array of strings or null"});
    return;
  }
  const auto& a = v.get_array();
  const FieldLimit& limit = limit_of("tags");
  if (a.size() > limit.max_entries) {  // before the entries: 100,000 of them cost nothing
    errors.push_back({"tags", too_many_reason(limit)});
    return;
  }
  std::vector<std::string> tags;
  bool ok = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    if (!a[i].is_string() || a[i].get_string().empty()) {
      errors.push_back({field, "must be a non-empty string"});
      ok = false;
      continue;
    }
    if (!within_limit(limit, a[i].get_string(), errors, field)) {
      ok = false;
      continue;
    }
    std::string tag(a[i].get_string());
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  if (ok) opp.tags = std::move(tags);
}

// Applies the body to `opp`, collecting every problem.
void apply_patch(const AppContext& ctx, const json::object& body, Opportunity& opp,
                 std::vector<FieldError>& errors) {
  for (const auto& kv : body) {
    if (std::find(kEditable.begin(), kEditable.end(), kv.key()) == kEditable.end())
      errors.push_back({std::string(kv.key()), hint_for(kv.key())});
  }
  if (auto it = body.find("_id");
      it != body.end() && !(it->value().is_string() && it->value().get_string() == opp.id))
    errors.push_back({"_id", "cannot change (it names another opportunity)"});
  if (auto it = body.find("name"); it != body.end()) {
    const json::value& v = it->value();
    if (!v.is_string() || v.get_string().empty() ||
        std::string(v.get_string()).find_first_not_of(" \t\r\n") == std::string::npos)
      errors.push_back({"name", "is required and must be a non-empty string"});
    else if (within_limit(limit_of("name"), v.get_string(), errors))
      opp.name = std::string(v.get_string());
  }
  if (auto it = body.find("email"); it != body.end()) {
    const json::value& v = it->value();
    if (v.is_null()) {
      opp.email.reset();
    } else if (!v.is_string()) {
      errors.push_back({"email", "is not an email address"});
    } else if (within_limit(limit_of("email"), v.get_string(), errors)) {
      if (looks_like_email(v.get_string()))
        opp.email = std::string(v.get_string());
      else
        errors.push_back({"email", "is not an email address"});
    }
  }
  pax_field(body, opp, errors);
  phone_field(ctx, body, opp, errors);
  if (body.contains("travelDate")) {
    text_field(body, limit_of("travelDate"), opp.travel_date, errors);
    opp.travel_month_date_format.reset();
    if (opp.travel_date) {
      if (auto month = travel_month_of(*opp.travel_date)) {
        auto start = local_midnight(month->year, month->month, 1, ctx.config.timezone);
        if (start) opp.travel_month_date_format = *start;
      }
    }
  }
  text_field(body, limit_of("tripType"), opp.trip_type, errors);
  text_field(body, limit_of("paxType"), opp.pax_type, errors);
  tags_field(body, opp, errors);
  text_field(body, limit_of("remarks"), opp.remarks, errors);
  text_field(body, limit_of("customRemark"), opp.custom_remark, errors);
  text_field(body, limit_of("agentNotes"), opp.agent_notes, errors);
  text_field(body, limit_of("junKRemarks"), opp.junk_remarks, errors);
}

// ---- reassignment ----

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

Result<Opportunity> edit_opportunity(AppContext& ctx, const Id& id, const json::object& body,
                                     const WriteOptions& opts) {
  Opportunity result;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = load_for_change(tx, id, opts);
    if (!loaded) return loaded.error();
    Opportunity opp = std::move(*loaded);
    const Opportunity before = opp;
    std::vector<FieldError> errors;
    apply_patch(ctx, body, opp, errors);
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
