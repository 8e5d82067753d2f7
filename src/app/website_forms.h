// Website forms without code (issue 19 item 5; docs/intake.md "Website forms"): an admin sets up
// a form as an intake source of kind "form" (app/intake_sources.h) and gets its public form key;
// a website's plain HTML form (or its fetch()) posts to POST /api/v1/intake/forms/{formKey}. The
// key is public (it is in the page's HTML): it can only create leads for its own form, and a
// deleted form's key creates none. The HTTP layer decodes the post into a lead (urlencoded,
// multipart or JSON: http/decode_website_form.h says which fields are taken from where, and the
// honeypot), enforces CORS and the per-address rate limit; this file holds the rules: the form's
// settings, its key, and the ingest.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/ingest_lead.h"

namespace leadproc {

// The settings of a form source, kept as JSON in its mapping column.
struct FormSettings {
  std::string thank_you_url;                 // a plain post ends here (303)
  std::string error_url;                     // ... or here, with ?errors=<bad fields>
  std::vector<std::string> allowed_origins;  // "https://example.com": may fetch() and preflight
};

// The settings read back from the column (kInternal if they are not what form_settings_json
// wrote).
Result<FormSettings> form_settings(std::string_view json);
std::string form_settings_json(const FormSettings& s);

// A new public form key: "lpf_" and 24 characters of base64url (144 random bits).
std::string new_form_key();

// Checks what a request sets for a form (absent: not set); `creating` requires every setting.
// URLs must be absolute http(s) URLs; an origin is "scheme://host[:port]" (no path), and is
// stored as the browser sends it in Origin (lower case, no default port): `origins` receives
// them so.
void check_form_settings(const std::optional<std::string>& thank_you_url,
                         const std::optional<std::string>& error_url,
                         const std::optional<std::vector<std::string>>& allowed_origins,
                         bool creating, std::vector<FieldError>& errors,
                         std::vector<std::string>& origins);

// The error URL with the bad fields named: `errors=<field>,<field>` appended to its query.
std::string error_redirect(const std::string& error_url, const std::vector<FieldError>& errors);

// The form source with public key `form_key`; kNotFound for an unknown key (or a deleted form).
Result<IntakeSource> find_form(AppContext& ctx, const std::string& form_key);

// Ingests `input` (the post, decoded by http/decode_website_form.h and http/lead_body.h) as a
// lead of `form`: platform `website` unless the fields said otherwise, sourceMeta.formName the
// form's name and fromId its id, through the same transaction as every lead (dedupe,
// destination, routing), noting the form's last lead. A 422 names every bad field and stores
// nothing (kept as the form's last_error).
Status receive_form_lead(AppContext& ctx, const IntakeSource& form, LeadInput input);

}  // namespace leadproc
