#include "app/google_intake.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "crypto/secrets.h"

namespace leadproc {
namespace json = boost::json;

namespace {

const AnswerMapping kDefaultMapping{
    {"name", "FULL_NAME"}, {"number", "PHONE_NUMBER"}, {"email", "EMAIL"}};

std::optional<std::string> text_of(const json::object& o, std::string_view key,
                                   const std::string& path, std::vector<FieldError>& errors) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string()) {
    errors.push_back({path + std::string(key), "must be a string"});
    return std::nullopt;
  }
  return std::string(it->value().get_string());
}

Error forbidden() {
  return Error{ErrorCode::kForbidden,
               "google_key is not the key saved for this form_id (or no such form is set up)",
               {},
               {},
               0};
}

bool key_matches(const std::optional<IntakeSource>& source, std::string_view key) {
  return source && !source->secret.empty() && !key.empty() &&
         constant_time_equals(key, source->secret);
}

}  // namespace

Result<GoogleLead> parse_google_lead(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object())
    return Error::validation({{"body", "must be a JSON object"}}, "not a Google lead");
  const auto& o = doc.get_object();
  std::vector<FieldError> errors;
  GoogleLead lead;
  std::optional<std::string> lead_id, form_id;
  read_id(o, "lead_id", "", lead_id, errors);
  read_id(o, "form_id", "", form_id, errors);
  read_id(o, "campaign_id", "", lead.campaign_id, errors);
  read_id(o, "adgroup_id", "", lead.adgroup_id, errors);
  read_id(o, "creative_id", "", lead.creative_id, errors);
  if (!lead_id && !o.contains("lead_id")) errors.push_back({"lead_id", "is required"});
  if (!form_id && !o.contains("form_id")) errors.push_back({"form_id", "is required"});
  lead.api_version = text_of(o, "api_version", "", errors);
  lead.gcl_id = text_of(o, "gcl_id", "", errors);
  lead.google_key = text_of(o, "google_key", "", errors).value_or("");
  if (auto it = o.find("is_test"); it != o.end() && !it->value().is_null()) {
    if (it->value().is_bool())
      lead.is_test = it->value().get_bool();
    else
      errors.push_back({"is_test", "must be true or false"});
  }
  if (auto it = o.find("user_column_data"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_array()) {
      errors.push_back({"user_column_data", "must be an array"});
    } else {
      std::size_t i = 0;
      for (const auto& column : it->value().get_array()) {
        const std::string path = "user_column_data[" + std::to_string(i++) + "].";
        if (!column.is_object()) {
          errors.push_back({path.substr(0, path.size() - 1), "must be an object"});
          continue;
        }
        auto id = text_of(column.get_object(), "column_id", path, errors);
        auto value = text_of(column.get_object(), "string_value", path, errors);
        if (!id || id->empty()) {
          errors.push_back({path + "column_id", "is required"});
          continue;
        }
        if (value) lead.columns.emplace_back(*id, *value);
      }
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the Google lead is invalid");
  lead.lead_id = *lead_id;
  lead.form_id = *form_id;
  return lead;
}

Status authenticate_google(AppContext& ctx, std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return forbidden();
  const auto& o = doc.get_object();
  std::optional<std::string> form_id;
  std::vector<FieldError> ignored;
  read_id(o, "form_id", "", form_id, ignored);
  const auto key = o.find("google_key");
  if (!form_id || key == o.end() || !key->value().is_string()) return forbidden();
  std::optional<IntakeSource> source;
  auto read = ctx.store.read([&](ReadTx& tx) -> Status {
    auto s = tx.find_intake_source("google", *form_id);
    if (!s) return s.error();
    source = std::move(*s);
    return ok_status();
  });
  if (!read) return read;
  return key_matches(source, key->value().get_string()) ? ok_status() : Status(forbidden());
}

Result<AnswerMapping> google_answer_mapping(std::string_view mapping_json) {
  return answer_mapping(mapping_json, kDefaultMapping);
}

namespace {

LeadInput google_lead_input(const GoogleLead& lead, const AnswerMapping& mapping) {
  LeadInput in;
  // FIRST_NAME and LAST_NAME fill the name when no FULL_NAME column does.
  Answers columns = lead.columns;
  auto column = [&](std::string_view id) -> std::optional<std::string> {
    for (const auto& [k, v] : columns)
      if (k == id) return v;
    return std::nullopt;
  };
  const bool name_mapped_to_full = std::any_of(mapping.begin(), mapping.end(), [](const auto& m) {
    return m.first == "name" && m.second == "FULL_NAME";
  });
  if (name_mapped_to_full && !column("FULL_NAME")) {
    auto first = column("FIRST_NAME"), last = column("LAST_NAME");
    if (first || last) {
      std::erase_if(
          columns, [](const auto& c) { return c.first == "FIRST_NAME" || c.first == "LAST_NAME"; });
      columns.emplace_back("FULL_NAME", first && last ? *first + " " + *last
                                        : first       ? *first
                                                      : *last);
    }
  }
  apply_answers(mapping, columns, in);
  in.trace_id = lead.lead_id;
  in.platform = Platform::kPaidAds;
  in.primary_source = "google_lead_forms";
  in.secondary_source = "google";
  in.source_meta.from_id = lead.form_id;
  if (lead.gcl_id && !lead.gcl_id->empty()) in.attribution["gclid"] = *lead.gcl_id;
  if (lead.campaign_id) in.attribution["campaignId"] = *lead.campaign_id;
  if (lead.adgroup_id) in.attribution["adsetId"] = *lead.adgroup_id;
  if (lead.creative_id) in.attribution["adid"] = *lead.creative_id;
  in.test = lead.is_test;
  return in;
}

}  // namespace

Result<GoogleOutcome> receive_google_lead(AppContext& ctx, const GoogleLead& lead) {
  std::optional<IntakeSource> source;
  std::optional<GoogleLeadRecord> seen;
  auto read = ctx.store.read([&](ReadTx& tx) -> Status {
    auto s = tx.find_intake_source("google", lead.form_id);
    if (!s) return s.error();
    source = std::move(*s);
    auto g = tx.find_google_lead(lead.lead_id);
    if (!g) return g.error();
    seen = std::move(*g);
    return ok_status();
  });
  if (!read) return read.error();
  // The key first, whatever else is true: a wrong key learns nothing, not even a redelivery.
  if (!key_matches(source, lead.google_key)) return forbidden();
  if (seen) return GoogleOutcome{seen->opportunity_id, true, seen->is_test};

  auto mapping = google_answer_mapping(source->mapping_json);
  if (!mapping) return mapping.error();
  LeadInput input = google_lead_input(lead, *mapping);
  const Timestamp now = ctx.now();
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string(); };
  auto record = [&](WriteTx& tx, const Lead&, const Opportunity& opp) -> Status {
    auto inserted = tx.insert_google_lead(
        GoogleLeadRecord{lead.lead_id, source->id, opp.id, lead.is_test, now});
    if (!inserted) return inserted.error();
    if (!*inserted)  // taken in meanwhile, by a concurrent delivery: this copy is rolled back
      return Error{ErrorCode::kPreconditionFailed, "lead_id taken in already", {}, {}, 0};
    return tx.note_intake_source(source->id, now, std::nullopt);
  };
  auto ingested = ingest_lead(ctx, input, IdempotencyInput{}, render, record);
  if (!ingested) {
    const Error& e = ingested.error();
    if (e.code == ErrorCode::kPreconditionFailed) {
      std::optional<GoogleLeadRecord> winner;
      auto again = ctx.store.read([&](ReadTx& tx) -> Status {
        auto g = tx.find_google_lead(lead.lead_id);
        if (!g) return g.error();
        winner = std::move(*g);
        return ok_status();
      });
      if (again && winner) return GoogleOutcome{winner->opportunity_id, true, winner->is_test};
    }
    if (e.code == ErrorCode::kValidation) {
      std::string why = "lead " + lead.lead_id + " was refused:";
      for (const auto& f : e.fields) why += " " + f.field + " " + f.reason + ";";
      (void)ctx.store.write(
          [&](WriteTx& tx) { return tx.note_intake_source(source->id, {}, why); });
    }
    return e;
  }
  return GoogleOutcome{ingested->opportunity_id, false, lead.is_test};
}

}  // namespace leadproc
