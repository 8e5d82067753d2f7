#include "codec/json_codec.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>

#include "codec/poc_rules_json.h"
#include "codec/work_schedule_json.h"
#include "domain/attribution.h"
#include "domain/money.h"
#include "domain/time_format.h"

namespace leadproc::codec {
namespace json = boost::json;

json::value optional_string(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}
json::value optional_time(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}
json::object string_map(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::value number_value(double d) {
  // Whole numbers as integers: Boost.JSON 1.81 writes doubles as "1E0", which is valid JSON but
  // not what the existing system's clients print or compare. API answers write fractional
  // doubles through codec::serialize (json_writer.h) instead; stored documents, written with
  // json::serialize, keep Boost.JSON's form, which reads back the same.
  // The range first: converting a double outside int64's range (or NaN) is undefined behaviour.
  if (d > -9e15 && d < 9e15 && d == static_cast<double>(static_cast<std::int64_t>(d)))
    return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}

namespace {

json::value time_value(Timestamp t) {
  return json::value(format_iso8601(t));
}

json::value optional_id(const std::optional<Id>& id) {
  return optional_string(id);
}

json::value named_ref(const std::optional<NamedRef>& r) {
  if (!r) return nullptr;
  return json::object{{"_id", r->id}, {"name", r->name}};
}

json::value phone_parts(const std::optional<PhoneParts>& p) {
  if (!p) return nullptr;
  return json::object{{"countryCode", p->country_code}, {"number", p->number}};
}

// {"amount": "125000.50", "currency": "INR"}: the amount as its canonical decimal string
// (domain/money.h says why not a number).
json::value deal_value(const std::optional<DealValue>& v) {
  if (!v) return nullptr;
  return json::object{{"amount", format_amount(*v)}, {"currency", v->currency}};
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object lead_source(const LeadSource& s) {
  return {{"platform", to_string(s.platform)},
          {"primarySource", optional_string(s.primary_source)},
          {"secondarySource", optional_string(s.secondary_source)}};
}

json::object source_meta(const SourceMeta& m) {
  json::object o{{"formName", optional_string(m.form_name)},
                 {"fromId", optional_string(m.from_id)}};
  if (m.sub_source) o["subSource"] = *m.sub_source;
  return o;
}

void put_attribution(json::object& o, const Attribution& a,
                     std::optional<std::int64_t> event_time) {
  for (auto name : kAttributionFields) {
    auto it = a.find(std::string(name));
    if (it != a.end()) o[name] = it->second;
  }
  if (event_time) o["eventTime"] = *event_time;
}

// reading stored documents

std::optional<std::string> get_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<Timestamp> get_time(const json::object& o, std::string_view key) {
  auto s = get_string(o, key);
  return s ? parse_iso8601(*s) : std::nullopt;
}

std::optional<double> get_number(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_double()) return it->value().get_double();
  if (it->value().is_int64()) return static_cast<double>(it->value().get_int64());
  if (it->value().is_uint64()) return static_cast<double>(it->value().get_uint64());
  return std::nullopt;
}

std::optional<std::int64_t> get_int(const json::object& o, std::string_view key) {
  // An integer is read exactly: through a double, one above 2^53 (a $numberLong eventTime)
  // would come back changed. Any other number goes through get_number, as before.
  auto it = o.find(key);
  if (it != o.end() && it->value().is_int64()) return it->value().get_int64();
  if (it != o.end() && it->value().is_uint64() &&
      it->value().get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(it->value().get_uint64());
  auto n = get_number(o, key);
  // A double outside int64's range (a uint64 above it) has no int64: converting it is UB.
  if (!n || !(*n > -9.2e18 && *n < 9.2e18)) return std::nullopt;
  return static_cast<std::int64_t>(*n);
}

std::optional<bool> get_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().get_bool();
}

const json::object* get_object(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

std::vector<std::string> get_strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().get_array())
    if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

std::optional<NamedRef> get_named_ref(const json::object& o, std::string_view key) {
  const auto* r = get_object(o, key);
  if (!r) return std::nullopt;
  return NamedRef{get_string(*r, "_id").value_or(""), get_string(*r, "name").value_or("")};
}

std::optional<PhoneParts> get_phone_parts(const json::object& o, std::string_view key) {
  const auto* r = get_object(o, key);
  if (!r) return std::nullopt;
  return PhoneParts{get_string(*r, "countryCode").value_or(""),
                    get_string(*r, "number").value_or("")};
}

LeadSource get_lead_source(const json::object& o) {
  LeadSource s;
  if (const auto* r = get_object(o, "leadSource")) {
    if (auto p = get_string(*r, "platform"))
      s.platform = parse_platform(*p).value_or(Platform::kWebsite);
    s.primary_source = get_string(*r, "primarySource");
    s.secondary_source = get_string(*r, "secondarySource");
  }
  return s;
}

SourceMeta get_source_meta(const json::object& o) {
  SourceMeta m;
  if (const auto* r = get_object(o, "sourceMeta")) {
    m.form_name = get_string(*r, "formName");
    m.from_id = get_string(*r, "fromId");
    m.sub_source = get_string(*r, "subSource");
  }
  return m;
}

Attribution get_attribution(const json::object& o) {
  Attribution a;
  for (auto name : kAttributionFields)
    if (auto v = get_string(o, name)) a[std::string(name)] = *v;
  return a;
}

}  // namespace

json::object to_json(const User& u) {
  return {{"_id", u.id},
          {"email", u.email},
          {"firstName", optional_string(u.first_name)},
          {"lastName", optional_string(u.last_name)},
          {"phone", phone_parts(u.phone)},
          {"department", to_string(u.department)},
          {"isActive", u.is_active},
          {"deleted", u.deleted},
          {"hasCredentials", !u.credentials.empty()},
          {"createdBy", optional_id(u.created_by)},
          {"modifiedBy", optional_id(u.modified_by)},
          {"createdAt", time_value(u.created_at)},
          {"updatedAt", time_value(u.updated_at)}};
}

json::object to_json(const Destination& d) {
  return {{"_id", d.id},
          {"name", d.name},
          {"slugs", strings(d.slugs)},
          {"preference", number_value(d.preference)},
          {"deleted", d.deleted},
          {"createdAt", time_value(d.created_at)},
          {"updatedAt", time_value(d.updated_at)}};
}

json::object to_json(const ProcessDestinationMap& m) {
  json::array entries;
  for (const auto& e : m.destinations) {
    json::object o{{"_id", e.destination_id},
                   {"name", e.name},
                   {"isActive", e.is_active},
                   {"loadShare", e.load_share},
                   {"counter", e.counter}};
    if (e.sheet_name) o["sheetName"] = *e.sheet_name;
    if (e.waba_number) o["wabaNumber"] = *e.waba_number;
    entries.emplace_back(std::move(o));
  }
  return {{"_id", m.id},
          {"process", to_string(m.process)},
          {"destinations", std::move(entries)},
          {"deleted", m.deleted},
          {"createdAt", time_value(m.created_at)},
          {"updatedAt", time_value(m.updated_at)}};
}

json::object to_json(const Availability& a) {
  json::array sources, destinations;
  for (auto p : a.source) sources.emplace_back(to_string(p));
  for (const auto& d : a.destinations)
    destinations.emplace_back(json::object{{"_id", d.id}, {"name", d.name}});
  json::object o{{"_id", a.id},
                 {"personId", a.person_id},
                 {"personName", a.person_name},
                 {"isAvailable", a.is_available},
                 {"process", to_string(a.process)},
                 {"source", std::move(sources)},
                 {"destinations", std::move(destinations)},
                 {"seq", a.seq ? json::value(*a.seq) : json::value(nullptr)},
                 {"leadCount", a.lead_count},
                 {"totalCount", a.total_count},
                 {"deleted", a.deleted},
                 {"createdBy", optional_id(a.created_by)},
                 {"modifiedBy", optional_id(a.modified_by)},
                 {"createdAt", time_value(a.created_at)},
                 {"updatedAt", time_value(a.updated_at)}};
  put_schedule(o, a.schedule);
  put_rules(o, a.rules);
  return o;
}

json::object to_json(const WebUrl& w) {
  return {{"_id", w.id},
          {"url", w.url},
          {"consumed", w.consumed},
          {"destination", named_ref(w.destination)},
          {"hits", w.hits},
          {"lastHitAt", optional_time(w.last_hit_at)},
          {"createdAt", time_value(w.created_at)},
          {"updatedAt", time_value(w.updated_at)}};
}

namespace {

// `extra` (issue 19 item 7): each value as it was sent. A text that is not JSON (only a document
// written by hand could hold one) is shown as the text.
json::object extra_fields(const std::vector<ExtraField>& extra) {
  json::object out;
  for (const auto& f : extra) {
    json::error_code ec;
    json::value v = json::parse(f.json, ec);
    out[f.name] = ec ? json::value(f.json) : std::move(v);
  }
  return out;
}

}  // namespace

json::object to_json(const Lead& l) {
  json::array active;
  for (const auto& id : l.active_leads) active.emplace_back(id);
  json::object o{{"_id", l.id},
                 {"traceID", optional_string(l.trace_id)},
                 {"name", l.name},
                 {"number", l.number},
                 {"rawNumber", l.raw_number},
                 {"email", optional_string(l.email)},
                 {"pax", l.pax ? number_value(*l.pax) : json::value(nullptr)},
                 {"leadSource", lead_source(l.lead_source)},
                 {"sourceMeta", source_meta(l.source_meta)},
                 {"page", optional_string(l.page)},
                 {"destination", optional_string(l.destination_input)},
                 {"remarks", optional_string(l.remarks)},
                 {"customRemark", optional_string(l.custom_remark)},
                 {"actionSource", optional_string(l.action_source)},
                 {"isPushed", l.is_pushed},
                 {"activeLeads", std::move(active)},
                 {"createdAt", time_value(l.created_at)},
                 {"modifiedAt", time_value(l.modified_at)}};
  put_attribution(o, l.attribution, l.event_time);
  if (!l.extra.empty()) o["extra"] = extra_fields(l.extra);
  if (l.language) o["language"] = *l.language;
  return o;
}

Lead lead_from_json(const json::object& o) {
  Lead l;
  l.id = get_string(o, "_id").value_or("");
  l.trace_id = get_string(o, "traceID");
  l.name = get_string(o, "name").value_or("");
  l.number = get_string(o, "number").value_or("");
  l.raw_number = get_string(o, "rawNumber").value_or("");
  l.email = get_string(o, "email");
  l.pax = get_number(o, "pax");
  l.lead_source = get_lead_source(o);
  l.source_meta = get_source_meta(o);
  l.page = get_string(o, "page");
  l.destination_input = get_string(o, "destination");
  l.language = get_string(o, "language");
  l.remarks = get_string(o, "remarks");
  l.custom_remark = get_string(o, "customRemark");
  l.action_source = get_string(o, "actionSource");
  l.is_pushed = get_bool(o, "isPushed").value_or(false);
  l.active_leads = get_strings(o, "activeLeads");
  l.attribution = get_attribution(o);
  l.event_time = get_int(o, "eventTime");
  if (auto it = o.find("extra"); it != o.end() && it->value().is_object())
    for (const auto& [name, value] : it->value().get_object())
      l.extra.push_back({std::string(name), json::serialize(value)});
  l.created_at = get_time(o, "createdAt").value_or(Timestamp{});
  l.modified_at = get_time(o, "modifiedAt").value_or(Timestamp{});
  return l;
}

json::object to_json(const Opportunity& x) {
  json::value filtration = nullptr;
  if (x.filtration_status) {
    filtration = json::object{
        {"stage", x.filtration_status->stage},
        {"filter", to_string(x.filtration_status->filter)},
        {"disqualificationReason", strings(x.filtration_status->disqualification_reason)}};
  }
  json::value crm = nullptr;
  if (x.crm_stage_meta) {
    const auto& m = *x.crm_stage_meta;
    crm = json::object{
        {"stage", to_string(m.stage)},
        {"subStage", optional_string(m.sub_stage)},
        {"rejectionReason", optional_string(m.rejection_reason)},
        {"notInterstedReasons", optional_string(m.not_intersted_reasons)},
        {"followupCount", m.followup_count},
        {"reAssigned", m.re_assigned ? json::value(*m.re_assigned) : json::value(nullptr)},
        {"isOriginal", m.is_original ? json::value(*m.is_original) : json::value(nullptr)},
        {"originalOpportunityId", optional_string(m.original_opportunity_id)},
        {"reassignedRemarks", optional_string(m.reassigned_remarks)},
        {"crmEntryAt", optional_time(m.crm_entry_at)}};
  }
  json::value west = nullptr;
  if (x.assigned_west) {
    west = json::object{{"_id", x.assigned_west->id},
                        {"name", x.assigned_west->name},
                        {"wabaNumber", optional_string(x.assigned_west->waba_number)},
                        {"sheetName", optional_string(x.assigned_west->sheet_name)}};
  }
  json::object o{
      {"_id", x.id},
      {"leadId", optional_id(x.lead_id)},
      {"traceID", x.trace_id},
      {"name", x.name},
      {"number", x.number},
      {"rawNumber", optional_string(x.raw_number)},
      {"email", optional_string(x.email)},
      {"pax", optional_string(x.pax)},
      {"alternatePhone", phone_parts(x.alternate_phone)},
      {"destination", named_ref(x.destination)},
      {"travelDate", optional_string(x.travel_date)},
      {"travelMonthDateFormat", optional_time(x.travel_month_date_format)},
      {"scoreUpdatedForTraveMonthAt", optional_time(x.score_updated_for_trave_month_at)},
      {"tripType", optional_string(x.trip_type)},
      {"paxType", optional_string(x.pax_type)},
      {"leadSource", lead_source(x.lead_source)},
      {"sourceMeta", source_meta(x.source_meta)},
      {"page", optional_string(x.page)},
      {"filterationProcess", x.filteration_process ? json::value(to_string(*x.filteration_process))
                                                   : json::value(nullptr)},
      {"filterAssigned", optional_string(x.filter_assigned)},
      {"duplicateOf", optional_id(x.duplicate_of)},
      {"isDuplicate", x.is_duplicate},
      {"isPushed", x.is_pushed},
      {"isQualified", x.is_qualified ? json::value(*x.is_qualified) : json::value(nullptr)},
      {"qualificationStatus", optional_string(x.qualification_status)},
      {"qualifiedBy", optional_string(x.qualified_by)},
      {"assignedPsv", named_ref(x.assigned_psv)},
      {"assignedWest", west},
      {"salesPersonToBeAssigned", optional_id(x.sales_person_to_be_assigned)},
      {"opportunityOwner", optional_id(x.opportunity_owner)},
      {"status", to_string(x.status)},
      {"mainProcessingStage", optional_string(x.main_processing_stage)},
      {"filtrationStatus", filtration},
      {"crmStageMeta", crm},
      {"crmPlatform", optional_string(x.crm_platform)},
      {"reInquiries", x.re_inquiries},
      {"bookingId", optional_string(x.booking_id)},
      {"dealValue", deal_value(x.deal_value)},
      {"opportunityScore", number_value(x.opportunity_score)},
      {"remarks", optional_string(x.remarks)},
      {"junKRemarks", optional_string(x.junk_remarks)},
      {"agentNotes", optional_string(x.agent_notes)},
      {"customRemark", optional_string(x.custom_remark)},
      {"leadStage", optional_string(x.lead_stage)},
      {"selectedCosting", optional_string(x.selected_costing)},
      {"trips", optional_string(x.trips)},
      {"tags", strings(x.tags)},
      {"actionSource", optional_string(x.action_source)},
      {"createdBy", optional_id(x.created_by)},
      {"updatedBy", optional_id(x.updated_by)},
      {"createdAt", time_value(x.created_at)},
      {"updatedAt", time_value(x.updated_at)},
      {"nextFollowUpDate", optional_time(x.next_follow_up_date)},
      {"awaitingAssignment",
       x.awaiting_pool ? json::value(to_string(*x.awaiting_pool)) : json::value(nullptr)},
      {"version", x.version}};
  if (x.awaiting_reason) o["awaitingReason"] = *x.awaiting_reason;  // only while it waits
  if (x.language) o["language"] = *x.language;                      // only when the lead named one
  put_attribution(o, x.attribution, x.event_time);
  return o;
}

Opportunity opportunity_from_json(const json::object& o) {
  Opportunity x;
  x.id = get_string(o, "_id").value_or("");
  x.lead_id = get_string(o, "leadId");
  x.trace_id = get_string(o, "traceID").value_or("");
  x.name = get_string(o, "name").value_or("");
  x.number = get_string(o, "number").value_or("");
  x.raw_number = get_string(o, "rawNumber");
  x.email = get_string(o, "email");
  x.pax = get_string(o, "pax");
  x.alternate_phone = get_phone_parts(o, "alternatePhone");
  x.destination = get_named_ref(o, "destination");
  x.language = get_string(o, "language");
  x.travel_date = get_string(o, "travelDate");
  x.travel_month_date_format = get_time(o, "travelMonthDateFormat");
  x.score_updated_for_trave_month_at = get_time(o, "scoreUpdatedForTraveMonthAt");
  x.trip_type = get_string(o, "tripType");
  x.pax_type = get_string(o, "paxType");
  x.lead_source = get_lead_source(o);
  x.source_meta = get_source_meta(o);
  x.page = get_string(o, "page");
  x.attribution = get_attribution(o);
  x.event_time = get_int(o, "eventTime");
  if (auto p = get_string(o, "filterationProcess"))
    x.filteration_process = parse_filtration_process(*p);
  x.filter_assigned = get_string(o, "filterAssigned");
  x.duplicate_of = get_string(o, "duplicateOf");
  x.is_duplicate = get_bool(o, "isDuplicate").value_or(false);
  x.is_pushed = get_bool(o, "isPushed").value_or(false);
  x.is_qualified = get_bool(o, "isQualified");
  x.qualification_status = get_string(o, "qualificationStatus");
  x.qualified_by = get_string(o, "qualifiedBy");
  x.assigned_psv = get_named_ref(o, "assignedPsv");
  if (const auto* w = get_object(o, "assignedWest")) {
    x.assigned_west =
        AssignedWest{get_string(*w, "_id").value_or(""), get_string(*w, "name").value_or(""),
                     get_string(*w, "wabaNumber"), get_string(*w, "sheetName")};
  }
  x.sales_person_to_be_assigned = get_string(o, "salesPersonToBeAssigned");
  x.opportunity_owner = get_string(o, "opportunityOwner");
  if (auto s = get_string(o, "status"))
    x.status = parse_opportunity_status(*s).value_or(OpportunityStatus::kUnderProcessing);
  x.main_processing_stage = get_string(o, "mainProcessingStage");
  if (const auto* f = get_object(o, "filtrationStatus")) {
    FiltrationStatus fs;
    fs.stage = get_string(*f, "stage").value_or("");
    if (auto p = get_string(*f, "filter"))
      fs.filter = parse_filtration_process(*p).value_or(FiltrationProcess::kPsv);
    fs.disqualification_reason = get_strings(*f, "disqualificationReason");
    x.filtration_status = fs;
  }
  if (const auto* c = get_object(o, "crmStageMeta")) {
    CrmStageMeta m;
    if (auto s = get_string(*c, "stage"))
      m.stage = parse_crm_stage(*s).value_or(CrmStage::kFreshLead);
    m.sub_stage = get_string(*c, "subStage");
    m.rejection_reason = get_string(*c, "rejectionReason");
    m.not_intersted_reasons = get_string(*c, "notInterstedReasons");
    m.followup_count = static_cast<int>(get_int(*c, "followupCount").value_or(0));
    m.re_assigned = get_bool(*c, "reAssigned");
    m.is_original = get_bool(*c, "isOriginal");
    m.original_opportunity_id = get_string(*c, "originalOpportunityId");
    m.reassigned_remarks = get_string(*c, "reassignedRemarks");
    m.crm_entry_at = get_time(*c, "crmEntryAt");
    x.crm_stage_meta = m;
  }
  x.crm_platform = get_string(o, "crmPlatform");
  x.re_inquiries = get_int(o, "reInquiries").value_or(0);
  x.booking_id = get_string(o, "bookingId");
  if (const auto* d = get_object(o, "dealValue")) {
    std::vector<FieldError> ignored;  // a stored value that does not parse is left out
    x.deal_value =
        parse_deal_value(get_string(*d, "amount"), get_string(*d, "currency"), "", ignored);
  }
  x.opportunity_score = get_number(o, "opportunityScore").value_or(0);
  x.remarks = get_string(o, "remarks");
  x.junk_remarks = get_string(o, "junKRemarks");
  x.agent_notes = get_string(o, "agentNotes");
  x.custom_remark = get_string(o, "customRemark");
  x.lead_stage = get_string(o, "leadStage");
  x.selected_costing = get_string(o, "selectedCosting");
  x.trips = get_string(o, "trips");
  x.tags = get_strings(o, "tags");
  x.action_source = get_string(o, "actionSource");
  x.created_by = get_string(o, "createdBy");
  x.updated_by = get_string(o, "updatedBy");
  x.created_at = get_time(o, "createdAt").value_or(Timestamp{});
  x.updated_at = get_time(o, "updatedAt").value_or(Timestamp{});
  x.next_follow_up_date = get_time(o, "nextFollowUpDate");
  if (auto p = get_string(o, "awaitingAssignment"))
    x.awaiting_pool = parse_availability_process(*p);
  x.awaiting_reason = get_string(o, "awaitingReason");
  x.version = get_int(o, "version").value_or(1);
  return x;
}

json::object to_json(const Activity& a) {
  json::array changes;
  for (const auto& c : a.changes) {
    json::error_code ec;
    json::value prev = json::parse(c.previous_value, ec);
    if (ec) prev = c.previous_value;
    json::value next = json::parse(c.new_value, ec);
    if (ec) next = c.new_value;
    changes.emplace_back(
        json::object{{"field", c.field}, {"previousValue", prev}, {"newValue", next}});
  }
  return {{"_id", a.id},
          {"oppId", a.opp_id},
          {"activityBy", optional_id(a.activity_by)},
          {"activityPhase", to_string(a.activity_phase)},
          {"description", a.description},
          {"changes", std::move(changes)},
          {"createdAt", time_value(a.created_at)},
          {"updatedAt", time_value(a.created_at)}};
}

// Follow-ups and notes

json::object to_json(const FollowUp& f) {
  return {{"_id", f.id},
          {"oppId", f.opp_id},
          {"stage", to_string(f.stage)},
          {"subStage", f.sub_stage ? json::value(to_string(*f.sub_stage)) : json::value(nullptr)},
          {"notInterestedReason", optional_string(f.not_interested_reason)},
          {"count", f.count},
          {"note", optional_string(f.note)},
          {"reminderDate", optional_time(f.reminder_date)},
          {"status", to_string(f.status)},
          {"completedAt", optional_time(f.completed_at)},
          {"customRemark", optional_string(f.custom_remark)},
          {"outcome", f.outcome ? json::value(to_string(*f.outcome)) : json::value(nullptr)},
          {"owner", optional_id(f.owner)},
          {"createdBy", optional_id(f.created_by)},
          {"modifiedBy", optional_id(f.modified_by)},
          {"createdAt", time_value(f.created_at)},
          {"updatedAt", time_value(f.updated_at)},
          {"version", f.version}};
}

json::object to_json(const Note& n) {
  return {{"_id", n.id},
          {"oppId", n.opp_id},
          {"note", n.note},
          {"createdBy", optional_id(n.created_by)},
          {"createdAt", time_value(n.created_at)},
          {"updatedAt", time_value(n.updated_at)}};
}


}  // namespace leadproc::codec
