// Leads from Google Ads lead forms (issue 19 item 4; docs/intake.md "Google Ads lead forms").
// Google posts the whole lead to the webhook (POST /api/v1/intake/google) with the form's
// `google_key`; there is nothing to fetch, so the lead is ingested in the request: the key is
// checked in constant time against the key an admin saved for that form (a google intake source,
// app/intake_sources.h), the columns are mapped by column_id (never by position), and the
// lead_id is recorded in the lead's own transaction, so Google's redeliveries store one lead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/context.h"
#include "app/intake_answers.h"

namespace leadproc {

// Google's webhook body, decoded: ids as their exact digits (int64 numbers never pass through a
// double), the answers by column_id.
struct GoogleLead {
  std::string lead_id;
  std::string form_id;
  std::optional<std::string> api_version;
  std::optional<std::string> campaign_id;
  std::optional<std::string> adgroup_id;
  std::optional<std::string> creative_id;
  std::optional<std::string> gcl_id;
  std::string google_key;
  bool is_test = false;
  Answers columns;  // column_id -> string_value
};

// Only the caller's proof, read before anything else is judged: kForbidden unless `body` names a
// form_id that a google source has and the source's google_key (compared in constant time; an
// empty key never matches). So a caller without the key learns nothing from field errors.
Status authenticate_google(AppContext& ctx, std::string_view body);

// Decodes the body; a 422 names every bad field ("lead_id", "user_column_data[2].column_id").
Result<GoogleLead> parse_google_lead(std::string_view body);

// Google's standard column ids for the lead's own fields (FULL_NAME, or FIRST_NAME and LAST_NAME
// joined; PHONE_NUMBER; EMAIL); an admin's mapping names the columns of custom questions.
Result<AnswerMapping> google_answer_mapping(std::string_view mapping_json);

struct GoogleOutcome {
  Id opportunity_id;
  bool duplicate = false;  // a redelivery: the lead_id was taken in before; nothing stored
  bool test = false;
};

// Takes in `lead`: kForbidden (nothing stored) unless a google source exists for its form_id and
// its google_key equals the source's (constant time; an empty key never does). Then maps it
// (platform paid_ads, gcl_id as gclid, campaign, ad group and creative as campaignId, adsetId
// and adid, form_id as sourceMeta.fromId, lead_id as traceID; a test lead stored as a test lead,
// never routed) and ingests it with its lead_id recorded in the same transaction. A lead that
// cannot be stored is the ingest's error, also kept as the source's last_error.
Result<GoogleOutcome> receive_google_lead(AppContext& ctx, const GoogleLead& lead);

}  // namespace leadproc
