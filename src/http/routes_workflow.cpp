// The workflow API (docs/api-workflow.md): transitions, edits and reassignment of opportunities,
// follow-ups and their due lists, notes, the timeline and the first-contact SLA report. Thin
// handlers: decode, call the use case in src/app/, answer its result (with the ETag of the
// version written) or its error as problem+json.
//
// Access (docs/api-auth.md): every route needs a user. Changes are checked inside the use case's
// transaction (WriteOptions::authorize): an opportunity the caller may not see is 404, one they
// may see but not change is 403. The SLA report is ADMIN only; the due lists of non-admins are
// their own.
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <cmath>

#include "app/access.h"
#include "app/business_day.h"
#include "app/followups.h"
#include "app/notes.h"
#include "app/opportunity_edits.h"
#include "app/queries.h"
#include "app/sla_report.h"
#include "app/timeline.h"
#include "app/transitions.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "codec/json_writer.h"
#include "domain/object_id.h"
#include "domain/time_format.h"
#include "http/decode_opportunity_edit.h"
#include "http/followup_query.h"
#include "http/report_period.h"
#include "http/responses.h"
#include "http/routes.h"
#include "http/workflow_request.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// callers and preconditions

// 404 unless the caller may see the opportunity (and it exists).
Status check_visible(AppContext& ctx, const Request& req, const Id& opp_id) {
  auto found = query_opportunity(ctx, opp_id);
  if (!found) return found.error();
  if (!*found || (req.principal && !can_access(*req.principal, **found)))
    return Error::not_found("opportunity not found");
  return ok_status();
}

// Decodes the JSON body (an empty body is `{}` when `body_optional`) and the write options, then
// answers f(body, options).
template <typename F>
Response with_write(Request& req, F f, bool body_optional = false) {
  json::object body;
  if (!body_optional || !req.body.empty()) {
    auto parsed = json_body(req);
    if (!parsed) return problem_response(parsed.error(), req.trace_id);
    body = std::move(*parsed);
  }
  auto opts = write_options(req);
  if (!opts) return problem_response(opts.error(), req.trace_id);
  return f(body, *opts);
}

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

Response with_etag(Response r, std::int64_t version) {
  r.headers.emplace_back("ETag", etag(version));
  return r;
}

Response fail(const Error& e, const Request& req) {
  return problem_response(e, req.trace_id);
}

Response bad_query(std::vector<FieldError> errors, const Request& req) {
  return fail(Error::validation(std::move(errors), "bad query parameters"), req);
}

const std::string& id_param(Request& req) {
  return req.params["id"];
}

// JSON

json::object summary(const Opportunity& o) {
  return {
      {"_id", o.id},
      {"name", o.name},
      {"number", o.number},
      {"status", to_string(o.status)},
      {"destination", o.destination ? json::value(json::object{{"_id", o.destination->id},
                                                               {"name", o.destination->name}})
                                    : json::value(nullptr)},
      {"filtrationStage",
       o.filtration_status ? json::value(o.filtration_status->stage) : json::value(nullptr)},
      {"crmStage",
       o.crm_stage_meta ? json::value(to_string(o.crm_stage_meta->stage)) : json::value(nullptr)},
      {"opportunityOwner", codec::optional_string(o.opportunity_owner)},
      {"assignedPsv", o.assigned_psv ? json::value(o.assigned_psv->id) : json::value(nullptr)},
      {"assignedWest", o.assigned_west ? json::value(o.assigned_west->id) : json::value(nullptr)},
      {"nextFollowUpDate", codec::optional_time(o.next_follow_up_date)},
      {"version", o.version}};
}

json::object followup_result(const FollowUpResult& r) {
  json::object out{{"followup", codec::to_json(r.followup)},
                   {"opportunity", codec::to_json(r.opportunity)}};
  if (r.next) out["next"] = codec::to_json(*r.next);
  return out;
}

json::object due_item(const DueItem& item) {
  json::object o;
  if (item.followup) {
    o = codec::to_json(*item.followup);
    o["kind"] = "followup";
  } else {
    // A PSV/WEST agent's follow-up date, in the shape of a follow-up.
    o = json::object{{"_id", nullptr},
                     {"oppId", item.opportunity.id},
                     {"stage", item.opportunity.filtration_status
                                   ? json::value(item.opportunity.filtration_status->stage)
                                   : json::value(nullptr)},
                     {"subStage", nullptr},
                     {"reminderDate", format_iso8601(item.reminder_date)},
                     {"status", "active"},
                     {"owner", codec::optional_string(item.owner)}};
    o["kind"] = "filtration";
  }
  o["overdue"] = item.overdue;
  o["opportunity"] = summary(item.opportunity);
  return o;
}

json::value sla_row(const SlaRow& row) {
  json::value person = nullptr;
  if (row.owner) person = json::object{{"_id", *row.owner}, {"name", row.owner_name}};
  return json::object{
      {"salesPerson", person},
      {"entered", row.entered},
      {"firstContactWithinSla", row.within_sla},
      {"firstContactLate", row.late},
      {"openPastSla", row.open_past_sla},
      {"pending", row.pending},
      {"medianTimeToFirstContactSeconds",
       row.median_seconds ? json::value(std::llround(*row.median_seconds)) : json::value(nullptr)}};
}

// transitions, edits, reassignment

Response post_transition(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    auto moved = move_opportunity(ctx, id_param(req), decode_transition(ctx, body), opts);
    if (!moved) {
      Response r = fail(moved.error(), req);
      if (moved.error().code == ErrorCode::kConflict && moved.error().allowed.empty()) {
        // A refused move always names the allowed moves, even when there are none (closed).
        json::value problem = json::parse(r.body);
        problem.as_object()["allowed"] = json::array();
        r.body = codec::serialize(problem);
      }
      return r;
    }
    return with_etag(json_response(200, codec::to_json(moved->opportunity)),
                     moved->opportunity.version);
  });
}

Response get_transitions(AppContext& ctx, Request& req) {
  if (auto v = check_visible(ctx, req, id_param(req)); !v) return fail(v.error(), req);
  auto r = allowed_transitions(ctx, id_param(req));
  if (!r) return fail(r.error(), req);
  json::array allowed;
  for (const auto& a : r->allowed) allowed.emplace_back(a);
  json::object state{{"status", to_string(r->state.status)},
                     {"filtrationStage", codec::optional_string(r->state.filtration_stage)},
                     {"crmStage", r->state.crm_stage ? json::value(to_string(*r->state.crm_stage))
                                                     : json::value(nullptr)},
                     {"crmSubStage", codec::optional_string(r->state.crm_sub_stage)}};
  return with_etag(json_response(200, json::object{{"_id", r->opportunity.id},
                                                   {"state", std::move(state)},
                                                   {"describe", describe(r->state)},
                                                   {"allowed", std::move(allowed)},
                                                   {"proposedNextFollowUpDate",
                                                    codec::optional_time(r->proposed_next_attempt)},
                                                   {"version", r->opportunity.version}}),
                   r->opportunity.version);
}

// 200 with the opportunity and its ETag, or the error.
Response opportunity_response(const Result<Opportunity>& r, const Request& req) {
  if (!r) return fail(r.error(), req);
  return with_etag(json_response(200, codec::to_json(*r)), r->version);
}

Response patch_opportunity(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    return opportunity_response(
        edit_opportunity(ctx, id_param(req), decode_opportunity_edit(body), opts), req);
  });
}

Response post_reassign(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    ReassignRequest r;
    codec::FieldReader reader(body, r.decode_errors);
    refuse_unknown(body, {"to", "remarks"}, r.decode_errors);
    r.to = reader.string("to");
    r.remarks = reader.string("remarks");
    return opportunity_response(reassign_opportunity(ctx, id_param(req), r, opts), req);
  });
}

// follow-ups

// A follow-up schedule (`prefix` names where it sits in the request, e.g. "next.").
FollowUpInput decode_schedule(AppContext& ctx, const json::object& body,
                              const std::string& prefix) {
  FollowUpInput in;
  codec::FieldReader r(body, in.decode_errors, prefix);
  for (const auto& kv : body) {
    if (kv.key() != "reminderDate" && kv.key() != "note" && kv.key() != "customRemark")
      r.fail(kv.key(), "unknown field");
  }
  in.reminder_date = time_field(ctx, r, "reminderDate");
  in.note = r.string("note");
  in.custom_remark = r.string("customRemark");
  return in;
}

Response followup_response(int status, const Result<FollowUpResult>& r, const Request& req) {
  if (!r) return fail(r.error(), req);
  Response out = with_etag(json_response(status, followup_result(*r)), r->followup.version);
  if (status == 201) out.headers.emplace_back("Location", "/api/v1/followups/" + r->followup.id);
  return out;
}

Response post_followup(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    return followup_response(
        201, create_followup(ctx, id_param(req), decode_schedule(ctx, body, ""), opts), req);
  });
}

Response post_complete(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    CompletionInput in;
    codec::FieldReader r(body, in.decode_errors);
    refuse_unknown(body, {"outcome", "notInterestedReason", "note", "customRemark", "next"},
                   in.decode_errors);
    in.outcome = r.string("outcome");
    in.not_interested_reason = r.string("notInterestedReason");
    in.note = r.string("note");
    in.custom_remark = r.string("customRemark");
    if (const auto* next = r.object("next")) in.next = decode_schedule(ctx, *next, "next.");
    return followup_response(200, complete_followup(ctx, id_param(req), in, opts), req);
  });
}

Response post_cancel(AppContext& ctx, Request& req) {
  return with_write(
      req,
      [&](const json::object& body, const WriteOptions& opts) {
        CancelInput in;
        codec::FieldReader r(body, in.decode_errors);
        refuse_unknown(body, {"customRemark"}, in.decode_errors);
        in.custom_remark = r.string("customRemark");
        return followup_response(200, cancel_followup(ctx, id_param(req), in, opts), req);
      },
      true);  // the body is optional
}

Response post_reschedule(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    return followup_response(
        200, reschedule_followup(ctx, id_param(req), decode_schedule(ctx, body, ""), opts), req);
  });
}

Response get_followup(AppContext& ctx, Request& req) {
  auto found = query_followup(ctx, id_param(req));
  if (!found) return fail(found.error(), req);
  if (!*found) return fail(Error::not_found("follow-up not found"), req);
  if (auto v = check_visible(ctx, req, (*found)->opp_id); !v)
    return fail(Error::not_found("follow-up not found"), req);
  return with_etag(json_response(200, codec::to_json(**found)), (*found)->version);
}

Response list_followups_of(AppContext& ctx, Request& req) {
  if (auto v = check_visible(ctx, req, id_param(req)); !v) return fail(v.error(), req);
  auto list = query_followups_of(ctx, id_param(req));
  if (!list) return fail(list.error(), req);
  json::array items;
  for (const auto& f : *list) items.emplace_back(codec::to_json(f));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response list_due(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  std::vector<std::string_view> params = due_query_params();
  params.push_back("limit");
  only_params(req, params, errors);
  DueQuery query = due_query_from(req, errors);
  const int limit = query_int(req, "limit", 1, 1000, errors).value_or(200);
  if (!errors.empty()) return bad_query(std::move(errors), req);
  if (auto s = scope_due_query(req, query); !s) return fail(s.error(), req);
  auto list = due_followups(ctx, query.due, query.owner, limit);
  if (!list) return fail(list.error(), req);
  json::array items;
  for (const auto& item : list->items) items.emplace_back(due_item(item));
  const auto count = static_cast<std::int64_t>(items.size());
  return json_response(200, json::object{{"due", query.due_text},
                                         {"timezone", ctx.config.timezone},
                                         {"from", codec::optional_time(list->range.from)},
                                         {"to", codec::optional_time(list->range.to)},
                                         {"owner", codec::optional_string(query.owner)},
                                         {"count", count},
                                         {"items", std::move(items)}});
}

// notes and the timeline

Response post_note(AppContext& ctx, Request& req) {
  return with_write(req, [&](const json::object& body, const WriteOptions& opts) {
    std::vector<FieldError> errors;
    codec::FieldReader r(body, errors);
    refuse_unknown(body, {"note"}, errors);
    auto text = r.string("note");
    if (!errors.empty()) return fail(Error::validation(std::move(errors), "invalid note"), req);
    auto note = add_note(ctx, id_param(req), text, opts);
    if (!note) return fail(note.error(), req);
    return json_response(201, codec::to_json(*note));
  });
}

Response list_notes(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"limit", "cursor"}, errors);
  Page page = query_page(req, errors);
  if (!errors.empty()) return bad_query(std::move(errors), req);
  if (auto v = check_visible(ctx, req, id_param(req)); !v) return fail(v.error(), req);
  auto notes = query_notes(ctx, id_param(req), page);
  if (!notes) return fail(notes.error(), req);
  json::array items;
  for (const auto& n : *notes) items.emplace_back(codec::to_json(n));
  json::value next = nullptr;
  if (static_cast<int>(notes->size()) == page.limit) next = notes->back().id;
  return json_response(200, json::object{{"items", std::move(items)}, {"nextCursor", next}});
}

Response get_timeline(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"limit"}, errors);
  const int limit = query_int(req, "limit", 1, 500, errors).value_or(100);
  if (!errors.empty()) return bad_query(std::move(errors), req);
  if (auto v = check_visible(ctx, req, id_param(req)); !v) return fail(v.error(), req);
  auto entries = opportunity_timeline(ctx, id_param(req), limit);
  if (!entries) return fail(entries.error(), req);
  json::array items;
  for (const auto& e : *entries) {
    json::object o{{"at", format_iso8601(e.at)}};
    if (const auto* a = std::get_if<Activity>(&e.item)) {
      o["type"] = "activity";
      o["item"] = codec::to_json(*a);
    } else if (const auto* n = std::get_if<Note>(&e.item)) {
      o["type"] = "note";
      o["item"] = codec::to_json(*n);
    } else {
      o["type"] = "followup";
      o["item"] = codec::to_json(std::get<FollowUp>(e.item));
    }
    items.emplace_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

// the SLA report

Response get_sla(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"from", "to"}, errors);
  auto period = report_period(ctx, req, errors);
  if (!period) return fail(period.error(), req);
  if (!errors.empty()) return bad_query(std::move(errors), req);
  const Timestamp from = (*period)->start;
  const Timestamp to = (*period)->end;
  auto report = sla_report(ctx, from, to);
  if (!report) return fail(report.error(), req);
  json::array rows;
  for (const auto& row : report->rows) rows.emplace_back(sla_row(row));
  json::array by_policy;
  for (const auto& row : report->by_policy)
    by_policy.emplace_back(json::object{{"policyId", row.policy.id},
                                        {"process", to_string(row.policy.process)},
                                        {"stage", row.policy.stage},
                                        {"afterMinutes", row.policy.after_minutes},
                                        {"action", to_string(row.policy.action)},
                                        {"warned", row.warned},
                                        {"breached", row.breached},
                                        {"waiting", row.waiting}});
  return json_response(200, json::object{{"from", format_iso8601(report->from)},
                                         {"to", format_iso8601(report->to)},
                                         {"asOf", format_iso8601(report->now)},
                                         {"timezone", ctx.config.timezone},
                                         {"firstContactSlaHours", kFirstContactSla.count()},
                                         {"rows", std::move(rows)},
                                         {"total", sla_row(report->total)},
                                         {"byPolicy", std::move(by_policy)}});
}

}  // namespace

void register_workflow_routes(Router& router, AppContext& ctx) {
  const auto users = Access::users();
  const std::string opp = "/api/v1/opportunities/{id}";
  router.add("POST", opp + "/transitions", "opportunities.transition", users,
             [&ctx](Request& req) { return post_transition(ctx, req); });
  router.add("GET", opp + "/transitions", "opportunities.transitions", users,
             [&ctx](Request& req) { return get_transitions(ctx, req); });
  router.add("PATCH", opp, "opportunities.update", users,
             [&ctx](Request& req) { return patch_opportunity(ctx, req); });
  router.add("POST", opp + "/reassign", "opportunities.reassign", users,
             [&ctx](Request& req) { return post_reassign(ctx, req); });
  router.add("GET", opp + "/followups", "opportunities.followups", users,
             [&ctx](Request& req) { return list_followups_of(ctx, req); });
  router.add("POST", opp + "/followups", "followups.create", users,
             [&ctx](Request& req) { return post_followup(ctx, req); });
  router.add("GET", opp + "/notes", "notes.list", users,
             [&ctx](Request& req) { return list_notes(ctx, req); });
  router.add("POST", opp + "/notes", "notes.create", users,
             [&ctx](Request& req) { return post_note(ctx, req); });
  router.add("GET", opp + "/timeline", "opportunities.timeline", users,
             [&ctx](Request& req) { return get_timeline(ctx, req); });

  router.add("GET", "/api/v1/followups", "followups.due", users,
             [&ctx](Request& req) { return list_due(ctx, req); });
  router.add("GET", "/api/v1/followups/{id}", "followups.get", users,
             [&ctx](Request& req) { return get_followup(ctx, req); });
  router.add("POST", "/api/v1/followups/{id}/complete", "followups.complete", users,
             [&ctx](Request& req) { return post_complete(ctx, req); });
  router.add("POST", "/api/v1/followups/{id}/cancel", "followups.cancel", users,
             [&ctx](Request& req) { return post_cancel(ctx, req); });
  router.add("POST", "/api/v1/followups/{id}/reschedule", "followups.reschedule", users,
             [&ctx](Request& req) { return post_reschedule(ctx, req); });

  router.add("GET", "/api/v1/reports/sla", "reports.sla", Access::admin(),
             [&ctx](Request& req) { return get_sla(ctx, req); });
}

}  // namespace leadproc::http
