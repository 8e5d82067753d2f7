// The post of a website form (POST /api/v1/intake/forms/{formKey}; docs/intake.md "Website
// forms") as the body of a lead.
//
// The boundary: the posted fields (a plain form's urlencoded or multipart fields, or a fetch()'s
// JSON members) are mapped here to a lead's body in the shape POST /api/v1/leads takes, which
// http/lead_body.h then decodes into the use case's LeadInput, as it decodes POST /api/v1/leads.
// That body stays JSON on purpose: a form's lead and an API lead are read by one decoder (types,
// extra fields, every error named the same way), so the two can never drift. The use case
// (app/website_forms.h receive_form_lead) takes the LeadInput; the form's settings, its key and
// the ingest are app's.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/form_body.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc::http {

// The name of the honeypot field: hidden from people (CSS), filled in by bots. A post with it
// non-empty is answered as a success and stores nothing.
inline constexpr std::string_view kHoneypotField = "lp_hp";

// What the request says besides its fields.
struct FormRequestFacts {
  std::optional<std::string> referer;     // the Referer header: the page the form is on
  std::optional<std::string> client_ip;   // http/client_address.h
  std::optional<std::string> user_agent;  // the User-Agent header
};

// A post, decoded.
struct FormPost {
  boost::json::object lead_body;   // the lead, as POST /api/v1/leads takes it
  bool honeypot = false;           // the honeypot field is filled in: store nothing
  std::vector<FieldError> errors;  // fields refused or unreadable (one 422 names them all)
};

// The lead's body from a form's fields: the fields under their own names (a repeated name becomes
// an array; a field left empty is absent: a plain form sends every field, filled in or not), and
// then, where the form did not say:
//   - `phone` as `number`; `utm_source`..`utm_id` as utmSource..utmId; `fbclid` as `fbc`
//     ("fb.1.<now ms>.<fbclid>", Meta's documented format; an `fbc` sent wins); `gclid` kept;
//   - `page` from the Referer; utm_*, fbclid and gclid from the page's query string;
//   - `clientIp` and `userAgent` from the request;
//   - `referrer` (document.referrer, where the visitor came from) is kept under extra.
// The honeypot field is dropped. A name or value that is not UTF-8 is an error. `leadSource`,
// `sourceMeta` and `salesPersonToBeAssigned` are refused: where a lead of a public form comes
// from and who gets it is leadproc's to say, not the page's (its key is in the page's HTML).
FormPost decode_form_post(const codec::FormFields& fields, const FormRequestFacts& facts,
                          Timestamp now);
// The same for a JSON body (a fetch()): its members are the fields, values as sent.
FormPost decode_form_post(const boost::json::object& fields, const FormRequestFacts& facts,
                          Timestamp now);

}  // namespace leadproc::http
