#include "import/documents.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <map>

#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "domain/attribution.h"
#include "domain/field_limits.h"
#include "domain/object_id.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "domain/url.h"

namespace leadproc::import {
namespace json = boost::json;
using codec::FieldReader;

namespace {

const std::array<CollectionInfo, 11> kCollections{{
    {Collection::kUsers, "users", {"users"}},
    {Collection::kDestinations, "destinations", {"destinations"}},
    {Collection::kScoreConfigs,
     "opportunityscoreconfiguration",
     {"opportunityscoreconfiguration", "opportunityscoreconfigurations"}},
    {Collection::kProcessMaps, "processdestinationmaps", {"processdestinationmaps"}},
    {Collection::kAvailabilities, "availabilities", {"availabilities"}},
    {Collection::kWebUrls, "weburls", {"weburls"}},
    {Collection::kLeads, "leads", {"leads"}},
    {Collection::kOpportunities, "rawopportunities", {"rawopportunities", "opportunities"}},
    {Collection::kActivities, "opportunityactivities", {"opportunityactivities", "activities"}},
    {Collection::kNotes, "opportunitynotes", {"opportunitynotes", "notes"}},
    {Collection::kFollowUps, "opportunityfollowups", {"opportunityfollowups", "followups"}},
}};

// An ObjectId reference (lower case); an error when present and not one.
// Calls each(reader, object) for every object of the array `key`, the reader naming its fields
// "key[i].field"; an element that is not an object is a bad field "key[i]".
template <typename Each>
void for_each_object(FieldReader& r, std::vector<FieldError>& errors, std::string_view key,
                     Each each) {
  const auto* items = r.array(key);
  if (!items) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*items)[i].is_object()) {
      r.fail(field, "must be an object");
      continue;
    }
    FieldReader item((*items)[i].get_object(), errors, field + ".");
    each(item, (*items)[i].get_object());
  }
}

std::optional<Id> id_field(FieldReader& r, std::string_view key, bool required = false) {
  auto s = r.string(key, required);
  if (!s) return std::nullopt;
  if (!is_object_id(*s)) {
    r.fail(key, "must be an ObjectId (24 hexadecimal digits)");
    return std::nullopt;
  }
  return lower_ascii(*s);
}

std::optional<Timestamp> time_field(FieldReader& r, std::string_view key, bool required = false) {
  auto s = r.string(key, required);
  if (!s) return std::nullopt;
  auto t = parse_iso8601(*s);
  if (!t) r.fail(key, "must be a date ($date or ISO-8601)");
  return t;
}

std::string one_of(const std::vector<std::string_view>& values) {
  std::string out = "must be one of ";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i];
  }
  return out;
}

template <typename E, typename Parse>
std::optional<E> enum_field(FieldReader& r, std::string_view key, Parse parse,
                            const std::vector<std::string_view>& values, bool required = false) {
  auto s = r.string(key, required);
  if (!s) return std::nullopt;
  auto e = parse(*s);
  if (!e) r.fail(key, one_of(values));
  return e;
}

std::vector<std::string_view> crm_stages() {
  return {"fresh_lead", "followup", "lost", "won", "closed_for_future_followup"};
}
std::vector<std::string_view> activity_phases() {
  return {"PSV", "WEST", "CRM", "SYNC", "UNKNOWN", "UPCOMING"};
}

// A platform by its wire value or its enum key ("paid_ads", "PAID_ADS").
std::optional<Platform> platform_of(std::string_view s) {
  return parse_platform(lower_ascii(s));
}

// createdAt (default: the id's time) and updatedAt (default: createdAt).
std::pair<Timestamp, Timestamp> times(FieldReader& r, const std::optional<Id>& id,
                                      std::string_view updated_key = "updatedAt") {
  auto created = time_field(r, "createdAt");
  auto updated = time_field(r, updated_key);
  Timestamp c = created ? *created : (id ? object_id_time(*id) : Timestamp{});
  return {c, updated ? *updated : c};
}

class Decoder {
 public:
  // Any string with a NUL character is a bad field of any collection: PostgreSQL cannot store
  // it and SQLite can, and an import must give the same records on both.
  explicit Decoder(const json::object& doc) : doc_(doc), r_(doc, errors_) {
    codec::find_nul_characters(doc, errors_);
  }

  FieldReader& r() { return r_; }
  std::vector<FieldError>& errors() { return errors_; }
  std::vector<std::string>& warnings() { return warnings_; }
  // `_id`, read (and reported when bad) once.
  std::optional<Id> id() {
    if (!id_read_) id_ = id_field(r_, "_id", true);
    id_read_ = true;
    return id_;
  }

  // A reference object {_id, name} under `key` (of `reader`); errors name `key`._id.
  std::optional<NamedRef> ref(FieldReader& reader, std::string_view key) {
    const auto* o = reader.object(key);
    if (!o) return std::nullopt;
    FieldReader rr(*o, errors_, reader.path(key) + ".");
    auto ref_id = id_field(rr, "_id", true);
    auto name = rr.string("name");
    if (!ref_id) return std::nullopt;
    return NamedRef{*ref_id, name.value_or("")};
  }

  std::optional<PhoneParts> phone(FieldReader& reader, std::string_view key) {
    const auto* o = reader.object(key);
    if (!o) return std::nullopt;
    FieldReader rr(*o, errors_, reader.path(key) + ".");
    auto cc = rr.string("countryCode");
    auto number = rr.string("number");
    return PhoneParts{cc.value_or(""), number.value_or("")};
  }

  template <typename T>
  Result<Decoded> done(T value) {
    if (!errors_.empty()) return Error::validation(std::move(errors_), "document not imported");
    return Decoded{Record(std::move(value)), std::move(warnings_)};
  }

  const json::object& doc() const { return doc_; }

 private:
  const json::object& doc_;
  std::vector<FieldError> errors_;
  std::vector<std::string> warnings_;
  FieldReader r_;
  std::optional<Id> id_;
  bool id_read_ = false;
};

bool is_bcrypt(std::string_view h) {
  return h.size() == 60 && h[0] == '$' && h[1] == '2' &&
         (h[2] == 'a' || h[2] == 'b' || h[2] == 'y') && h[3] == '$';
}

Result<Decoded> decode_user(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  User u;
  u.id = d.id().value_or("");
  u.email = r.string("email", true).value_or("");
  if (r.has("email") && u.email.empty()) r.fail("email", "must not be empty");
  u.first_name = r.string("firstName");
  u.last_name = r.string("lastName");
  u.phone = d.phone(r, "phone");
  if (auto dep = enum_field<Department>(r, "department", parse_department, all_departments(), true))
    u.department = *dep;
  u.is_active = r.boolean("isActive").value_or(true);
  u.deleted = r.boolean("deleted").value_or(false);
  u.created_by = id_field(r, "createdBy");
  u.modified_by = id_field(r, "modifiedBy");
  std::tie(u.created_at, u.updated_at) = times(r, d.id());
  if (auto c = r.string("credentials"); c && !c->empty()) {
    if (is_bcrypt(*c)) {
      u.credentials = *c;
    } else {
      d.warnings().push_back(
          "credentials is not a bcrypt hash and was dropped: set a password "
          "with `leadproc user set-password`");
    }
  } else {
    d.warnings().push_back("no password hash: set one with `leadproc user set-password`");
  }
  return d.done(std::move(u));
}

Result<Decoded> decode_destination(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  Destination x;
  x.id = d.id().value_or("");
  x.name = r.string("name", true).value_or("");
  if (r.has("name") && x.name.empty()) r.fail("name", "must not be empty");
  for (auto& s : r.strings("slugs").value_or(std::vector<std::string>{}))
    if (!s.empty()) x.slugs.push_back(lower_ascii(s));
  if (auto p = r.number("preference")) {
    if (*p < 0.1 || *p > 1.0)
      r.fail("preference", "must be between 0.1 and 1.0");
    else
      x.preference = *p;
  }
  x.deleted = r.boolean("deleted").value_or(false);
  std::tie(x.created_at, x.updated_at) = times(r, d.id());
  return d.done(std::move(x));
}

Result<Decoded> decode_score_config(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  ScoreConfig c;
  c.id = d.id().value_or("");
  for (const auto& w : kScoreWeights) c.*(w.field) = r.number(w.name).value_or(0);
  c.is_active = r.boolean("isActive").value_or(false);
  c.created_by = id_field(r, "createdBy");
  c.updated_by = id_field(r, "updatedBy");
  std::tie(c.created_at, c.updated_at) = times(r, d.id());
  return d.done(std::move(c));
}

Result<Decoded> decode_process_map(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  ProcessDestinationMap m;
  m.id = d.id().value_or("");
  if (auto p = enum_field<FiltrationProcess>(r, "process", parse_filtration_process,
                                             all_filtration_processes(), true))
    m.process = *p;
  // A map lists a destination once (the store keeps one entry per map and destination).
  std::map<Id, std::size_t> listed;  // destination id -> its first index
  for_each_object(r, d.errors(), "destinations", [&](FieldReader& er, const json::object&) {
    ProcessMapEntry e;
    e.destination_id = id_field(er, "_id", true).value_or("");
    if (!e.destination_id.empty()) {
      auto [first, added] = listed.emplace(e.destination_id, m.destinations.size());
      if (!added)
        er.fail("_id", "names destination " + e.destination_id + " a second time (destinations[" +
                           std::to_string(first->second) + "] names it already)");
    }
    e.name = er.string("name").value_or("");
    e.is_active = er.boolean("isActive").value_or(true);
    if (auto share = er.integer("loadShare")) {
      if (*share < 0 || *share > 100)
        er.fail("loadShare", "must be between 0 and 100");
      else
        e.load_share = static_cast<int>(*share);
    }
    e.counter = er.integer("counter").value_or(0);
    e.sheet_name = er.string("sheetName");
    e.waba_number = er.string("wabaNumber");
    m.destinations.push_back(std::move(e));
  });
  m.deleted = r.boolean("deleted").value_or(false);
  std::tie(m.created_at, m.updated_at) = times(r, d.id());
  return d.done(std::move(m));
}

Result<Decoded> decode_availability(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  Availability a;
  a.id = d.id().value_or("");
  a.person_id = id_field(r, "personId", true).value_or("");
  a.person_name = r.string("personName").value_or("");
  a.is_available = r.boolean("isAvailable").value_or(false);
  if (auto p = enum_field<AvailabilityProcess>(r, "process", parse_availability_process,
                                               all_availability_processes(), true))
    a.process = *p;
  if (auto sources = r.strings("source")) {
    for (std::size_t i = 0; i < sources->size(); ++i) {
      if (auto p = platform_of((*sources)[i]))
        a.source.push_back(*p);
      else
        r.fail("source[" + std::to_string(i) + "]", one_of(all_platforms()));
    }
  }
  for_each_object(r, d.errors(), "destinations", [&](FieldReader& er, const json::object&) {
    auto ref_id = id_field(er, "_id", true);
    auto name = er.string("name");
    if (ref_id) a.destinations.push_back(NamedRef{*ref_id, name.value_or("")});
  });
  a.seq = r.integer("seq");
  a.lead_count = r.integer("leadCount").value_or(0);
  a.total_count = r.integer("totalCount").value_or(0);
  a.deleted = r.boolean("deleted").value_or(false);
  a.created_by = id_field(r, "createdBy");
  a.modified_by = id_field(r, "modifiedBy");
  std::tie(a.created_at, a.updated_at) = times(r, d.id());
  return d.done(std::move(a));
}

Result<Decoded> decode_weburl(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  WebUrl w;
  w.id = d.id().value_or("");
  if (auto url = r.string("url", true)) {
    if (auto normal = normalize_url(*url)) {
      w.url = *normal;
      if (*normal != *url) d.warnings().push_back("url normalised to " + *normal);
    } else {
      r.fail("url", "must be an absolute http(s) URL");
    }
  }
  w.consumed = r.boolean("consumed").value_or(false);
  w.destination = d.ref(r, "destination");
  w.hits = r.integer("hits").value_or(0);
  w.last_hit_at = time_field(r, "lastHitAt");
  std::tie(w.created_at, w.updated_at) = times(r, d.id());
  return d.done(std::move(w));
}

// A text field that MongoDB may hold as a number (an id a client sent as one, a $numberLong):
// the number becomes its decimal text in `prepared`, with a warning; any other type is a bad
// field. `path` names the field in reports.
void number_as_text(FieldReader& r, Decoder& d, json::object& prepared, std::string_view key,
                    const std::string& path) {
  auto* v = prepared.if_contains(key);
  if (!v || v->is_null() || v->is_string()) return;
  if (v->is_int64() || v->is_uint64() || v->is_double()) {
    // Integers exactly (boost::json keeps them as integers); a double as its shortest text.
    std::string text = v->is_double() ? json::serialize(codec::number_value(v->get_double()))
                                      : json::serialize(*v);
    d.warnings().push_back(path + " is a number: stored as the text " + text);
    *v = json::string(text);
    return;
  }
  r.fail(key, "must be a string");
}

// The fields leads and opportunities share, checked before the codec maps the document;
// `prepared` (what the codec will read) gets the attribution fields held as numbers as text.
void check_source_fields(Decoder& d, json::object& prepared) {
  auto& r = d.r();
  if (const auto* s = r.object("leadSource")) {
    FieldReader sr(*s, d.errors(), "leadSource.");
    enum_field<Platform>(sr, "platform", platform_of, all_platforms(), true);
    sr.string("primarySource");
    sr.string("secondarySource");
  } else if (!r.has("leadSource")) {
    // ILead requires it; the codec's default platform is website. Said, not silent.
    d.warnings().push_back("leadSource is missing: stored with platform website");
  }
  for (auto key : kAttributionFields) number_as_text(r, d, prepared, key, std::string(key));
  if (const auto* m = r.object("sourceMeta")) {
    FieldReader mr(*m, d.errors(), "sourceMeta.");
    mr.string("formName");
    mr.string("fromId");
    mr.string("subSource");
  }
  for (auto key : {"traceID", "email", "page", "remarks", "customRemark", "actionSource"})
    r.string(key);
  r.integer("eventTime");
  r.boolean("isPushed");
}

// The value at a dotted path ("sourceMeta.formName"); nullptr when a step is missing or no object.
const json::value* at_path(const json::object& doc, std::string_view path) {
  const json::object* o = &doc;
  while (true) {
    const auto dot = path.find('.');
    const json::value* v = o->if_contains(path.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    if (!v->is_object()) return nullptr;
    o = &v->get_object();
    path.remove_prefix(dot + 1);
  }
}

// The size limits (domain/field_limits.h) of every field of the table that a lead's or an
// opportunity's document holds as a text or a list of texts (other types are the type checks').
void check_limits(const json::object& doc, std::vector<FieldError>& errors) {
  for (const auto& limit : kFieldLimits) {
    const json::value* v = at_path(doc, limit.field);
    if (v && v->is_string()) {
      within_limit(limit, v->get_string(), errors);
    } else if (v && v->is_array() && limit.max_entries > 0) {
      std::vector<std::string> entries;
      for (const auto& item : v->get_array())
        entries.emplace_back(item.is_string() ? item.get_string() : "");
      within_limit(limit, entries, errors);
    }
  }
}

// The document with leadSource.platform in its wire spelling (the codec reads only that).
json::object with_wire_platform(const json::object& doc) {
  json::object out = doc;
  if (auto* s = out.if_contains("leadSource"); s && s->is_object()) {
    auto& o = s->get_object();
    if (auto* p = o.if_contains("platform"); p && p->is_string()) *p = lower_ascii(p->get_string());
  }
  return out;
}

Result<Decoded> decode_lead(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  auto id = d.id();
  r.string("name", true);
  auto number = r.string("number", true);
  r.string("rawNumber");
  json::object prepared = with_wire_platform(doc);
  check_source_fields(d, prepared);
  // ILead.pax is a number; a numeric string (older clients) is taken as its number ("nan" and
  // "inf", which strtod reads, are not numbers JSON can hold).
  if (auto* pax = prepared.if_contains("pax"); pax && !pax->is_null()) {
    if (pax->is_string()) {
      char* end = nullptr;
      std::string text(pax->get_string());
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
        r.fail("pax", "must be a number");
      else
        *pax = codec::number_value(v);
    } else if (!pax->is_number()) {
      r.fail("pax", "must be a number");
    }
  }
  if (const auto* active = r.array("activeLeads")) {
    for (std::size_t i = 0; i < active->size(); ++i)
      if (!(*active)[i].is_string() || !is_object_id((*active)[i].get_string()))
        r.fail("activeLeads[" + std::to_string(i) + "]",
               "must be an ObjectId (24 hexadecimal digits)");
  }
  auto [created, modified] = times(r, id, "modifiedAt");
  check_limits(prepared, d.errors());
  if (!d.errors().empty()) return d.done(Lead{});
  Lead l = codec::lead_from_json(prepared);
  l.id = *id;
  if (l.raw_number.empty()) l.raw_number = number.value_or("");
  l.created_at = created;
  l.modified_at = modified;
  return d.done(std::move(l));
}

Result<Decoded> decode_opportunity(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  auto id = d.id();
  r.string("name", true);
  r.string("number", true);
  enum_field<OpportunityStatus>(r, "status", parse_opportunity_status, all_opportunity_statuses(),
                                true);
  json::object prepared = with_wire_platform(doc);
  check_source_fields(d, prepared);
  for (auto key : {"leadId", "duplicateOf", "salesPersonToBeAssigned", "opportunityOwner",
                   "createdBy", "updatedBy"})
    id_field(r, key);
  for (auto key : {"travelMonthDateFormat", "scoreUpdatedForTraveMonthAt", "nextFollowUpDate"})
    time_field(r, key);
  for (auto key :
       {"rawNumber", "travelDate", "tripType", "paxType", "filterAssigned", "qualificationStatus",
        "qualifiedBy", "mainProcessingStage", "crmPlatform", "bookingId", "junKRemarks",
        "agentNotes", "leadStage", "selectedCosting", "trips"})
    r.string(key);
  for (auto key : {"isDuplicate", "isQualified"}) r.boolean(key);
  r.integer("reInquiries");
  r.number("opportunityScore");
  r.strings("tags");
  enum_field<FiltrationProcess>(r, "filterationProcess", parse_filtration_process,
                                all_filtration_processes());
  d.ref(r, "destination");
  d.ref(r, "assignedPsv");
  if (d.ref(r, "assignedWest")) {
    FieldReader wr(*r.object("assignedWest"), d.errors(), "assignedWest.");
    auto& west = prepared["assignedWest"].get_object();
    number_as_text(wr, d, west, "wabaNumber", "assignedWest.wabaNumber");
    wr.string("sheetName");
  }
  d.phone(r, "alternatePhone");
  if (const auto* f = r.object("filtrationStatus")) {
    FieldReader fr(*f, d.errors(), "filtrationStatus.");
    fr.string("stage");
    enum_field<FiltrationProcess>(fr, "filter", parse_filtration_process,
                                  all_filtration_processes());
    fr.strings("disqualificationReason");
  }
  if (const auto* c = r.object("crmStageMeta")) {
    FieldReader cr(*c, d.errors(), "crmStageMeta.");
    enum_field<CrmStage>(cr, "stage", parse_crm_stage, crm_stages());
    if (!cr.has("stage"))  // the codec's default; said, not silent
      d.warnings().push_back("crmStageMeta.stage is missing: stored as fresh_lead");
    cr.integer("followupCount");
    cr.boolean("reAssigned");
    cr.boolean("isOriginal");
    time_field(cr, "crmEntryAt");
    for (auto key : {"subStage", "rejectionReason", "notInterstedReasons", "originalOpportunityId",
                     "reassignedRemarks"})
      cr.string(key);
  }
  // IRawOpportunity.pax is a string; a number (as ILead sends it) is taken as its text.
  if (auto* pax = prepared.if_contains("pax"); pax && !pax->is_null() && !pax->is_string()) {
    if (pax->is_number())
      *pax = json::serialize(codec::number_value(pax->to_number<double>()));
    else
      r.fail("pax", "must be a string or a number");
  }
  // `version` is leadproc's optimistic-concurrency counter, not MongoDB's: an import starts it.
  prepared.erase("version");
  auto [created, updated] = times(r, id);
  check_limits(prepared, d.errors());
  if (!d.errors().empty()) return d.done(Opportunity{});
  Opportunity o = codec::opportunity_from_json(prepared);
  o.id = *id;
  o.created_at = created;
  o.updated_at = updated;
  return d.done(std::move(o));
}

Result<Decoded> decode_activity(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  Activity a;
  a.id = d.id().value_or("");
  a.opp_id = id_field(r, "oppId", true).value_or("");
  a.activity_by = id_field(r, "activityBy");
  if (auto p = enum_field<ActivityPhase>(r, "activityPhase", parse_activity_phase,
                                         activity_phases(), true))
    a.activity_phase = *p;
  a.description = r.string("description").value_or("");
  for_each_object(r, d.errors(), "changes", [&](FieldReader& cr, const json::object& c) {
    FieldChange fc;
    fc.field = cr.string("field", true).value_or("");
    auto text = [&](std::string_view key) {
      const auto* v = c.if_contains(key);
      return v ? json::serialize(*v) : std::string("null");
    };
    fc.previous_value = text("previousValue");
    fc.new_value = text("newValue");
    a.changes.push_back(std::move(fc));
  });
  a.created_at = times(r, d.id()).first;
  return d.done(std::move(a));
}

Result<Decoded> decode_note(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  Note n;
  n.id = d.id().value_or("");
  n.opp_id = id_field(r, "oppId", true).value_or("");
  n.note = r.string("note", true).value_or("");
  n.created_by = id_field(r, "createdBy");
  std::tie(n.created_at, n.updated_at) = times(r, d.id());
  if (text_length(n.note) > kMaxNoteLength)
    d.warnings().push_back("note is longer than " + std::to_string(kMaxNoteLength) +
                           " characters (kept whole)");
  return d.done(std::move(n));
}

std::vector<std::string_view> followup_statuses() {
  return {"active", "canceled", "completed"};
}
std::vector<std::string_view> followup_sub_stages() {
  return {"first_contact", "second_followup", "third_followup", "future_followup"};
}

Result<Decoded> decode_followup(const json::object& doc) {
  Decoder d(doc);
  auto& r = d.r();
  FollowUp f;
  f.id = d.id().value_or("");
  f.opp_id = id_field(r, "oppId", true).value_or("");
  if (auto s = enum_field<CrmStage>(r, "stage", parse_crm_stage, crm_stages(), true)) f.stage = *s;
  f.sub_stage =
      enum_field<FollowUpSubStage>(r, "subStage", parse_followup_sub_stage, followup_sub_stages());
  f.not_interested_reason = r.string("notInterestedReason");
  if (auto count = r.integer("count")) {
    if (*count < 1)
      r.fail("count", "must be at least 1");
    else
      f.count = static_cast<int>(*count);
  }
  f.note = r.string("note");
  f.reminder_date = time_field(r, "reminderDate");
  if (auto s =
          enum_field<FollowUpStatus>(r, "status", parse_followup_status, followup_statuses(), true))
    f.status = *s;
  f.completed_at = time_field(r, "completedAt");
  f.custom_remark = r.string("customRemark");
  f.outcome =
      enum_field<FollowUpOutcome>(r, "outcome", parse_followup_outcome, all_followup_outcomes());
  f.owner = id_field(r, "owner");
  f.created_by = id_field(r, "createdBy");
  f.modified_by = id_field(r, "modifiedBy");
  std::tie(f.created_at, f.updated_at) = times(r, d.id());
  return d.done(std::move(f));
}

}  // namespace

std::span<const CollectionInfo> collections() {
  return kCollections;
}

const CollectionInfo& info(Collection c) {
  for (const auto& i : kCollections)
    if (i.collection == c) return i;
  return kCollections.front();  // unreachable: every collection is listed
}

std::optional<Collection> collection_of_file(std::string_view file_name) {
  std::string name = lower_ascii(file_name);
  std::string_view stem;
  for (std::string_view ext : {".bson", ".json"}) {
    if (name.size() > ext.size() && name.ends_with(ext))
      stem = std::string_view(name).substr(0, name.size() - ext.size());
  }
  if (stem.empty()) return std::nullopt;
  for (const auto& i : kCollections)
    for (auto n : i.file_names)
      if (n == stem) return i.collection;
  return std::nullopt;
}

const Id& record_id(const Record& r) {
  return std::visit([](const auto& x) -> const Id& { return x.id; }, r);
}

Result<Decoded> decode(Collection c, const json::object& plain) {
  switch (c) {
    case Collection::kUsers:
      return decode_user(plain);
    case Collection::kDestinations:
      return decode_destination(plain);
    case Collection::kScoreConfigs:
      return decode_score_config(plain);
    case Collection::kProcessMaps:
      return decode_process_map(plain);
    case Collection::kAvailabilities:
      return decode_availability(plain);
    case Collection::kWebUrls:
      return decode_weburl(plain);
    case Collection::kLeads:
      return decode_lead(plain);
    case Collection::kOpportunities:
      return decode_opportunity(plain);
    case Collection::kActivities:
      return decode_activity(plain);
    case Collection::kNotes:
      return decode_note(plain);
    case Collection::kFollowUps:
      return decode_followup(plain);
  }
  return Error::internal("unknown collection");
}

}  // namespace leadproc::import
