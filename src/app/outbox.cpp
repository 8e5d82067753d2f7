#include "app/outbox.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "app/change_facts.h"
#include "codec/json_codec.h"
#include "domain/enums.h"
#include "domain/time_format.h"

namespace leadproc {
namespace json = boost::json;

namespace {

json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

// The body: the fields' text with the opportunity's (already serialised) text spliced in.
std::string body_text(const Id& id, std::string_view type, Timestamp now, json::object fields,
                      const std::string& opportunity) {
  json::object head;
  head["id"] = id;
  head["type"] = type;
  head["timestamp"] = format_iso8601(now);
  std::string out = json::serialize(head);
  out.pop_back();  // the closing brace
  out += ",\"data\":";
  std::string data = json::serialize(fields);
  data.pop_back();
  out += data;
  if (data.size() > 1) out += ',';
  out += "\"opportunity\":";
  out += opportunity;
  out += "}}";
  return out;
}

struct EventMaker {
  const Opportunity& opp;
  const json::object& opp_json;
  std::string& opp_text;  // opp_json serialised by the first event, reused by the others
  Timestamp now;
  const std::function<Id()>& new_id;
  std::vector<OutboxEvent>& out;

  void operator()(std::string_view type, json::object fields) const {
    OutboxEvent e;
    e.id = new_id();
    e.type = std::string(type);
    e.opp_id = opp.id;
    if (opp.filteration_process) e.process = std::string(to_string(*opp.filteration_process));
    if (opp.destination) e.destination = opp.destination->id;
    e.platform = std::string(to_string(opp.lead_source.platform));
    e.at = now;
    if (opp.assigned_west) {
      fields["west"] = json::object{{"sheetName", opt(opp.assigned_west->sheet_name)},
                                    {"wabaNumber", opt(opp.assigned_west->waba_number)}};
    }
    if (opp_text.empty()) opp_text = json::serialize(opp_json);
    e.body = body_text(e.id, type, now, std::move(fields), opp_text);
    out.push_back(std::move(e));
  }
};

json::object status_and_stage(const Opportunity& o) {
  return json::object{{"status", to_string(o.status)}, {"stage", opt(stage_of(o))}};
}

// The follow-ups among `extra` ("followups.<id>.<field>"): each one's changed fields, new values.
std::map<std::string, json::object> followup_changes(const std::vector<FieldChange>& extra) {
  constexpr std::string_view kPrefix = "followups.";
  std::map<std::string, json::object> out;
  for (const FieldChange& c : extra) {
    std::string_view field = c.field;
    if (!field.starts_with(kPrefix)) continue;
    field.remove_prefix(kPrefix.size());
    const auto dot = field.find('.');
    if (dot == std::string_view::npos) continue;
    boost::system::error_code ec;
    json::value v = json::parse(c.new_value, ec);
    if (ec) continue;
    out[std::string(field.substr(0, dot))][field.substr(dot + 1)] = std::move(v);
  }
  return out;
}

}  // namespace

std::vector<OutboxEvent> outbox_events_for_change(const std::optional<Opportunity>& before,
                                                  const Opportunity& after,
                                                  const json::object& after_json,
                                                  const std::vector<FieldChange>& extra,
                                                  Timestamp now,
                                                  const std::function<Id()>& new_id) {
  std::vector<OutboxEvent> out;
  std::string opp_text;
  const EventMaker emit{after, after_json, opp_text, now, new_id, out};

  if (!before) {
    emit("lead.created",
         json::object{{"duplicate", after.is_duplicate}, {"duplicateOf", opt(after.duplicate_of)}});
  }
  for (const RoleChange& c : role_changes(before, after)) {
    if (!c.is) continue;  // taken away: the new holder's event (if any) says where it went
    if (c.was) {
      emit("opportunity.reassigned",
           json::object{{"role", c.role}, {"from", *c.was}, {"to", *c.is}});
    } else {
      emit("opportunity.assigned", json::object{{"role", c.role}, {"to", *c.is}});
    }
  }
  if (before && (before->status != after.status || stage_of(*before) != stage_of(after))) {
    emit("opportunity.stage_changed", json::object{{"previous", status_and_stage(*before)},
                                                   {"current", status_and_stage(after)}});
  }
  if (after.crm_stage_meta && (!before || !before->crm_stage_meta))
    emit("opportunity.qualified", {});
  const auto became = [&](OpportunityStatus s) {
    return after.status == s && (!before || before->status != s);
  };
  if (became(OpportunityStatus::kWon)) emit("opportunity.won", {});
  if (became(OpportunityStatus::kLost)) emit("opportunity.lost", {});

  for (auto& [id, fields] : followup_changes(extra)) {
    const bool created = fields.contains("_id");
    const auto* status = fields.if_contains("status");
    const bool completed = status && status->is_string() && status->get_string() == "completed";
    if (!created && !completed) continue;
    fields["_id"] = id;
    emit(created ? "followup.created" : "followup.completed",
         json::object{{"followUp", std::move(fields)}});
  }
  return out;
}

Status record_outbox_events(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                            const Opportunity& after, const json::object& after_json,
                            const std::vector<FieldChange>& extra, Timestamp now) {
  const std::function<Id()> new_id = [&ctx] { return ctx.new_id(); };
  for (const OutboxEvent& e :
       outbox_events_for_change(before, after, after_json, extra, now, new_id)) {
    if (auto s = tx.insert_outbox_event(e); !s) return s;
  }
  return ok_status();
}

Status record_outbox_event(AppContext& ctx, WriteTx& tx, std::string_view type,
                           const Opportunity& o, json::object fields, Timestamp now) {
  std::vector<OutboxEvent> out;
  const json::object opp_json = codec::to_json(o);
  std::string opp_text;
  const std::function<Id()> new_id = [&ctx] { return ctx.new_id(); };
  EventMaker{o, opp_json, opp_text, now, new_id, out}(type, std::move(fields));
  return tx.insert_outbox_event(out.front());
}

}  // namespace leadproc
