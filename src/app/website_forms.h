// Website forms without code (issue 19 item 5; docs/intake.md "Website forms"): an admin sets up
// a form as an intake source of kind "form" (app/intake_sources.h) and gets its public form key;
// a website's plain HTML form (or its fetch()) posts to POST /api/v1/intake/forms/{formKey}. The
// key is public (it is in the page's HTML): it can only create leads for its own form, and a
// deleted form's key creates none. The HTTP layer decodes the body (urlencoded, multipart or
// JSON: codec/form_body.h), enforces CORS and the per-address rate limit; this file holds the
// rules: the form's settings, which fields are taken from where, the honeypot, and the ingest.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/ingest_lead.h"
#include "codec/form_body.h"

namespace leadproc {

// The settings of a form source, kept as JSON in its mapping column.
struct FormSettings {
  std::string thank_you_url;                 // a plain post ends here (303)
  std::string error_url;                     // ... or here, with ?errors=<bad fields>
  std::vector<std::string> allowed_origins;  // "https://example.com": may fetch() and preflight
};

// The name of the honeypot field: hidden from people (CSS), filled in by bots. A post with it
// non-empty is answered as a success and stores nothing.
inline constexpr std::string_view kHoneypotField = "lp_hp";

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

// What the request says besides its fields.
struct FormRequestFacts {
  std::optional<std::string> referer;     // the Referer header: the page the form is on
  std::optional<std::string> client_ip;   // http/client_address.h
  std::optional<std::string> user_agent;  // the User-Agent header
};

// The body of a lead (as POST /api/v1/leads takes it) from a form's fields: the fields under
// their own names (a repeated name becomes an array; a field left empty is absent: a plain form
// sends every field, filled in or not), and then, where the form did not say:
//   - `phone` as `number`; `utm_source`..`utm_id` as utmSource..utmId; `fbclid` as `fbc`
//     ("fb.1.<now ms>.<fbclid>", Meta's documented format; an `fbc` sent wins); `gclid` kept;
//   - `page` from the Referer; utm_*, fbclid and gclid from the page's query string;
//   - `clientIp` and `userAgent` from the request;
//   - `referrer` (document.referrer, where the visitor came from) is kept under extra.
// The honeypot field is dropped (see is_honeypot_post). `leadSource`, `sourceMeta` and
// `salesPersonToBeAssigned` are refused (appended to `errors`): where a lead of a public form
// comes from and who gets it is leadproc's to say, not the page's.
boost::json::object form_lead_body(const codec::FormFields& fields, const FormRequestFacts& facts,
                                   Timestamp now, std::vector<FieldError>& errors);
// The same for a JSON body (a fetch()): its members are the fields, values as sent.
boost::json::object form_lead_body(const boost::json::object& fields, const FormRequestFacts& facts,
                                   Timestamp now, std::vector<FieldError>& errors);

// True iff the fields carry a non-empty honeypot (kHoneypotField).
bool is_honeypot_post(const boost::json::object& fields);

// The form source with public key `form_key`; kNotFound for an unknown key (or a deleted form).
Result<IntakeSource> find_form(AppContext& ctx, const std::string& form_key);

// Ingests `input` (decoded from form_lead_body by the caller) as a lead of `form`: platform
// `website` unless the fields said otherwise, sourceMeta.formName the form's name and fromId its
// id, through the same transaction as every lead (dedupe, destination, routing), noting the
// form's last lead. A 422 names every bad field and stores nothing (kept as the form's
// last_error).
Status receive_form_lead(AppContext& ctx, const IntakeSource& form, LeadInput input);

}  // namespace leadproc
