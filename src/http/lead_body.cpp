#include "http/lead_body.h"

#include <boost/json/serialize.hpp>
#include <unordered_set>

#include "codec/field_reader.h"
#include "domain/attribution.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The `referral` object WhatsApp and Instagram forward on a chat started from an ad (issue 19
// item 6): source_type "ad" makes source_id the ad id (`adid`), headline the ad's name
// (`adName`), source_url the `eventSourceUrl`, and ctwa_clid is kept as `ctwaClid`. A field the
// body also sends at the top level wins (the sender said it outright).
void decode_referral(const json::object& referral, LeadInput& in) {
  codec::FieldReader f(referral, in.decode_errors, "referral.");
  const auto type = f.string("source_type");
  const auto id = f.string("source_id");
  const auto headline = f.string("headline");
  const auto url = f.string("source_url");
  const auto clid = f.string("ctwa_clid");
  auto keep = [&](const char* field, const std::optional<std::string>& v) {
    if (v && !v->empty()) in.attribution.try_emplace(field, *v);
  };
  if (type == "ad") {
    keep("adid", id);
    keep("adName", headline);
  }
  keep("eventSourceUrl", url);
  keep("ctwaClid", clid);
}

// The fields of the body, by object, that decode_lead reads or knowingly passes over (the
// referral's media), as docs/api.md lists them. Any other is kept under the lead's `extra` and
// named in the answer's `warnings` (issue 19 item 7: a `fbclid` or a typo like `emial` must not
// vanish). One hash look-up per field sent: a lead of known fields costs nothing more.
using FieldSet = std::unordered_set<std::string_view>;

const FieldSet& lead_fields() {
  static const FieldSet fields = [] {
    FieldSet f{"traceID",      "name",       "number",
               "email",        "pax",        "leadSource",
               "sourceMeta",   "page",       "destination",
               "eventTime",    "remarks",    "customRemark",
               "actionSource", "travelDate", "tripType",
               "paxType",      "tags",       "salesPersonToBeAssigned",
               "referral",     "language"};
    f.insert(kAttributionFields.begin(), kAttributionFields.end());
    return f;
  }();
  return fields;
}
const FieldSet kLeadSourceFields{"platform", "primarySource", "secondarySource"};
const FieldSet kSourceMetaFields{"formName", "fromId", "subSource"};
const FieldSet kDestinationFields{"_id", "name"};
const FieldSet kReferralFields{"source_url",    "source_id",  "source_type", "headline",
                               "body",          "media_type", "image_url",   "video_url",
                               "thumbnail_url", "ctwa_clid"};

// Appends each field of `o` not in `known` to `extra`, named `prefix` + its name.
void keep_unknown(const json::object& o, const FieldSet& known, std::string_view prefix,
                  std::vector<ExtraField>& extra) {
  for (const auto& [key, value] : o)
    if (!known.contains(key))
      extra.push_back({std::string(prefix) + std::string(key), json::serialize(value)});
}

// The fields of `body` that a lead does not have, nested ones included ("leadSource.colour").
std::vector<ExtraField> unknown_fields(const json::object& body) {
  std::vector<ExtraField> extra;
  keep_unknown(body, lead_fields(), "", extra);
  auto nested = [&](std::string_view field, const FieldSet& known) {
    if (auto it = body.find(field); it != body.end() && it->value().is_object())
      keep_unknown(it->value().get_object(), known, std::string(field) + ".", extra);
  };
  nested("leadSource", kLeadSourceFields);
  nested("sourceMeta", kSourceMetaFields);
  nested("destination", kDestinationFields);
  nested("referral", kReferralFields);
  return extra;
}

}  // namespace

LeadInput decode_lead(const json::object& body) {
  LeadInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.trace_id = r.string("traceID");
  in.name = r.string("name");
  // A number sent as a JSON number is taken as its digits.
  if (auto it = body.find("number");
      it != body.end() && (it->value().is_int64() || it->value().is_uint64()))
    in.number = json::serialize(it->value());
  else
    in.number = r.string("number");
  in.email = r.string("email");
  if (auto pax = r.pax("pax")) in.pax = *pax;
  if (const auto* source = r.object("leadSource")) {
    codec::FieldReader s(*source, in.decode_errors, "leadSource.");
    if (auto p = s.string("platform")) {
      in.platform = parse_platform(*p);
      if (!in.platform) {
        std::string allowed;
        for (auto v : all_platforms()) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
        s.fail("platform", "must be one of " + allowed);
      }
    }
    in.primary_source = s.string("primarySource");
    in.secondary_source = s.string("secondarySource");
  }
  if (const auto* meta = r.object("sourceMeta")) {
    codec::FieldReader m(*meta, in.decode_errors, "sourceMeta.");
    in.source_meta.form_name = m.string("formName");
    in.source_meta.from_id = m.string("fromId");
    in.source_meta.sub_source = m.string("subSource");
  }
  in.page = r.string("page");
  in.language = r.string("language");
  if (auto it = body.find("destination"); it != body.end() && it->value().is_object()) {
    codec::FieldReader d(it->value().get_object(), in.decode_errors, "destination.");
    in.destination = d.string("_id");
    if (!in.destination) in.destination = d.string("name");
    // An object naming neither is a mistake of the sender, not "no destination".
    if (!d.has("_id") && !d.has("name"))
      r.fail("destination", "must be a destination name or id, or an object with its _id or name");
  } else {
    in.destination = r.string("destination");
  }
  for (auto name : kAttributionFields)
    if (auto v = r.string(name)) in.attribution[std::string(name)] = *v;
  in.event_time = r.integer("eventTime");
  in.remarks = r.string("remarks");
  in.custom_remark = r.string("customRemark");
  in.action_source = r.string("actionSource");
  in.travel_date = r.string("travelDate");
  in.trip_type = r.string("tripType");
  in.pax_type = r.string("paxType");
  if (auto tags = r.strings("tags")) in.tags = *tags;
  in.sales_person_to_be_assigned = r.string("salesPersonToBeAssigned");
  if (const auto* referral = r.object("referral")) decode_referral(*referral, in);
  in.extra = unknown_fields(body);
  return in;
}

}  // namespace leadproc::http
