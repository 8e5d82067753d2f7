// Admins' set-up of intake sources (issue 19 item 8; docs/api-intake.md "Sources"):
// POST/GET/PATCH/DELETE /api/v1/intake/sources, of three kinds:
// - "meta", a Facebook page of a Meta app: its app secret (checks the webhook's signature), its
//   verify token (Meta's subscription handshake), its page access token and answer mapping (kept
//   on the page, app/meta_admin.h, where the lead fetcher reads them);
// - "google", a Google Ads lead form, with the google_key Google sends with each lead;
// - "form", a website form (app/website_forms.h), which gets a public form key at creation.
// Secrets (app secret, verify token, access token, google key) are stored to be compared or
// used, are never shown again, and can be replaced.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

// What a request sets; absent members are kept on a change. `kind` only on creation.
struct IntakeSourceInput {
  std::optional<std::string> kind;
  std::optional<std::string> name;
  std::optional<std::string> form_id;        // google: the lead form's id (digits)
  std::optional<std::string> google_key;     // google: the key Google sends with each lead
  std::optional<std::string> mapping_json;   // google: the column mapping; meta: the page's
  std::optional<std::string> thank_you_url;  // form: where a plain post ends
  std::optional<std::string> error_url;      // form: ... or, refused, ends
  std::optional<std::vector<std::string>> allowed_origins;  // form: may fetch() it
  std::optional<std::string> page_id;                       // meta: the page's id (digits)
  std::optional<std::string> app_secret;                    // meta: the Meta app's secret
  std::optional<std::string> verify_token;                  // meta: the webhook's verify token
  std::optional<std::string> page_access_token;             // meta: the page access token
  std::optional<bool> instagram_platform;  // meta: `ig` leads get platform instagram
  // Errors found while decoding (unknown or mistyped fields), so that one 422 names them all.
  std::vector<FieldError> decode_errors;
};

// A source as saved, and how many failed receipts of a Meta page its new access token made
// pending again (they are due now: the caller wakes the lead fetcher).
struct SavedIntakeSource {
  IntakeSource source;
  int requeued = 0;
};

// Creates a source: kind "meta" with name, pageId, appSecret, verifyToken, pageAccessToken (and
// mapping, instagramPlatform); kind "google" with name, formId, googleKey (and mapping); kind
// "form" with name, thankYouUrl, errorUrl, allowedOrigins (its key is made here). A 422 names
// every bad field, the fields of another kind included; kConflict when a source of the kind has
// the page or form id already. A Meta page set up before with PUT /api/v1/intake/meta/pages is
// adopted: its forms, receipts and watermarks stay, its token and mapping are replaced.
Result<SavedIntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input);

// Changes what `input` sets of source `id` (its kind's fields only; a form's key and a Meta
// source's page id never change). kNotFound for an unknown id.
Result<SavedIntakeSource> change_intake_source(AppContext& ctx, const Id& id,
                                               const IntakeSourceInput& input);

// Deletes source `id`; a Meta source's page goes with it (its token and mapping: its receipts
// and forms stay), so its leads are no longer fetched and its app secret no longer accepted.
// kNotFound for an unknown id.
Status delete_intake_source(AppContext& ctx, const Id& id);

// What Meta's webhook is checked against: the configured app secret and verify token
// (LEADPROC_META_APP_SECRET, LEADPROC_META_VERIFY_TOKEN) when set, and those of every Meta
// source. Either list may be empty (Meta intake not set up).
struct MetaAppKeys {
  std::vector<std::string> app_secrets;
  std::vector<std::string> verify_tokens;
};
Result<MetaAppKeys> meta_app_keys(AppContext& ctx);

}  // namespace leadproc
