#include "http/decode_opportunity_edit.h"

#include <algorithm>
#include <array>

#include "codec/field_reader.h"
#include "domain/field_limits.h"

namespace leadproc::http {
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

// A nullable text field: absent, null (cleared) or a string.
Patch<std::string> text_field(const json::object& body, std::string_view key,
                              std::vector<FieldError>& errors) {
  Patch<std::string> p;
  auto it = body.find(key);
  if (it == body.end()) return p;
  const json::value& v = it->value();
  if (v.is_string()) {
    p = {true, std::string(v.get_string())};
  } else if (v.is_null()) {
    p.given = true;
  } else {
    errors.push_back({std::string(key), "must be a string or null"});
  }
  return p;
}

Patch<AlternatePhoneInput> phone_field(const json::object& body, std::vector<FieldError>& errors) {
  Patch<AlternatePhoneInput> p;
  auto it = body.find("alternatePhone");
  if (it == body.end()) return p;
  const json::value& v = it->value();
  p.given = true;
  if (v.is_null()) return p;
  AlternatePhoneInput in;
  if (v.is_string()) {
    in.text = std::string(v.get_string());
  } else if (v.is_object()) {
    const auto& o = v.get_object();
    auto number = o.find("number");
    if (number == o.end() || !number->value().is_string()) {
      errors.push_back({"alternatePhone.number", "is required (a string)"});
      return p;
    }
    in.number = std::string(number->value().get_string());
    if (auto cc = o.find("countryCode"); cc != o.end() && !cc->value().is_null()) {
      if (!cc->value().is_string()) {
        errors.push_back({"alternatePhone.countryCode", "must be a string such as \"+91\""});
        return p;
      }
      in.country_code = std::string(cc->value().get_string());
    }
  } else {
    errors.push_back({"alternatePhone", "must be {countryCode, number}, a string or null"});
    return p;
  }
  p.value = std::move(in);
  return p;
}

Patch<std::vector<std::optional<std::string>>> tags_field(const json::object& body,
                                                          std::vector<FieldError>& errors) {
  Patch<std::vector<std::optional<std::string>>> p;
  auto it = body.find("tags");
  if (it == body.end()) return p;
  const json::value& v = it->value();
  if (v.is_null()) {
    p.given = true;
    return p;
  }
  if (!v.is_array()) {
    errors.push_back({"tags", "must be an array of strings or null"});
    return p;
  }
  const auto& a = v.get_array();
  const FieldLimit& limit = limit_of("tags");
  if (a.size() > limit.max_entries) {  // before the entries: 100,000 of them cost nothing
    errors.push_back({"tags", too_many_reason(limit)});
    return p;
  }
  p.given = true;
  p.value.emplace();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_string()) {
      p.value->emplace_back(std::string(a[i].get_string()));
    } else {
      errors.push_back({"tags[" + std::to_string(i) + "]", "must be a non-empty string"});
      p.value->emplace_back();
    }
  }
  return p;
}

}  // namespace

OpportunityEdit decode_opportunity_edit(const json::object& body) {
  OpportunityEdit in;
  auto& errors = in.decode_errors;
  for (const auto& kv : body) {
    if (std::find(kEditable.begin(), kEditable.end(), kv.key()) == kEditable.end())
      errors.push_back({std::string(kv.key()), hint_for(kv.key())});
  }
  if (auto it = body.find("_id"); it != body.end()) {
    if (it->value().is_string())
      in.id = std::string(it->value().get_string());
    else
      errors.push_back({"_id", "cannot change (it names another opportunity)"});
  }
  if (auto it = body.find("name"); it != body.end()) {
    if (it->value().is_string())
      in.name = std::string(it->value().get_string());
    else
      errors.push_back({"name", "is required and must be a non-empty string"});
  }
  if (auto it = body.find("email"); it != body.end()) {
    if (it->value().is_null())
      in.email.given = true;
    else if (it->value().is_string())
      in.email = {true, std::string(it->value().get_string())};
    else
      errors.push_back({"email", "is not an email address"});
  }
  if (auto it = body.find("pax"); it != body.end()) {
    if (it->value().is_null()) {
      in.pax.given = true;
    } else {
      codec::FieldReader r(body, errors);
      if (auto pax = r.pax("pax")) in.pax = {true, *pax};
    }
  }
  in.alternate_phone = phone_field(body, errors);
  in.travel_date = text_field(body, "travelDate", errors);
  in.trip_type = text_field(body, "tripType", errors);
  in.pax_type = text_field(body, "paxType", errors);
  in.tags = tags_field(body, errors);
  in.remarks = text_field(body, "remarks", errors);
  in.custom_remark = text_field(body, "customRemark", errors);
  in.agent_notes = text_field(body, "agentNotes", errors);
  in.junk_remarks = text_field(body, "junKRemarks", errors);
  return in;
}

}  // namespace leadproc::http
