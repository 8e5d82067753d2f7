#include "http/workflow_request.h"

#include <algorithm>

#include "app/access.h"
#include "app/business_day.h"

namespace leadproc::http {
namespace json = boost::json;

std::optional<Id> actor_of(const Request& req) {
  return req.principal ? req.principal->actor() : std::nullopt;
}

Status authorize_change(const Request& req, const Opportunity& opp) {
  if (!req.principal) return ok_status();
  if (!can_access(*req.principal, opp)) return Error::not_found("opportunity not found");
  if (!can_modify(*req.principal, opp)) {
    return Error{ErrorCode::kForbidden,
                 "you may see this opportunity but not change it (it is not assigned to you)",
                 {},
                 {},
                 0};
  }
  return ok_status();
}

Result<WriteOptions> write_options(const Request& req) {
  WriteOptions o;
  o.actor = actor_of(req);
  if (auto h = req.header("if-match")) {
    auto v = parse_if_match(*h);
    if (!v) return v.error();
    o.expected_version = *v;
  }
  o.authorize = [&req](const Opportunity& opp) { return authorize_change(req, opp); };
  return o;
}

void refuse_unknown(const json::object& body, std::initializer_list<std::string_view> known,
                    std::vector<FieldError>& errors) {
  for (const auto& kv : body) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end())
      errors.push_back({std::string(kv.key()), "unknown field"});
  }
}

std::optional<Timestamp> time_field(AppContext& ctx, codec::FieldReader& r, std::string_view key) {
  auto s = r.string(key);
  if (!s) return std::nullopt;
  auto t = parse_boundary(*s, ctx.config.timezone);
  if (!t) r.fail(key, "must be an ISO-8601 date or timestamp (e.g. 2026-03-20T10:30:00+05:30)");
  return t;
}

TransitionRequest decode_transition(AppContext& ctx, const json::object& body) {
  TransitionRequest t;
  codec::FieldReader r(body, t.decode_errors);
  refuse_unknown(body,
                 {"to", "reasons", "destination", "nextFollowUpDate", "lostReason",
                  "lostReasonDetail", "remarks", "asNote", "bookingId", "dealValue"},
                 t.decode_errors);
  t.to = r.string("to", true);
  if (auto reasons = r.strings("reasons")) t.reasons = *reasons;
  if (auto it = body.find("destination"); it != body.end() && it->value().is_object()) {
    codec::FieldReader d(it->value().get_object(), t.decode_errors, "destination.");
    t.destination = d.string("_id");
    if (!t.destination) t.destination = d.string("name");
    if (!t.destination) d.fail("_id", "an _id or a name is required");
  } else {
    t.destination = r.string("destination");
  }
  t.next_follow_up_date = time_field(ctx, r, "nextFollowUpDate");
  t.lost_reason = r.string("lostReason");
  t.lost_reason_detail = r.string("lostReasonDetail");
  t.remarks = r.string("remarks");
  t.booking_id = r.string("bookingId");
  if (const auto* deal = r.object("dealValue")) {
    codec::FieldReader d(*deal, t.decode_errors, "dealValue.");
    for (const auto& kv : *deal)
      if (kv.key() != "amount" && kv.key() != "currency") d.fail(kv.key(), "unknown field");
    t.deal_value = MoveInput::DealValueInput{d.string("amount"), d.string("currency")};
  }
  t.as_note = r.boolean("asNote").value_or(false);
  return t;
}

}  // namespace leadproc::http
