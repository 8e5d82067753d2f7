// Admins' set-up of intake sources (issue 19 item 8, kinds "google" and "form";
// docs/api-intake.md "Sources"): POST/GET/PATCH/DELETE /api/v1/intake/sources. A google source's
// secret (the google_key) is stored to be compared with what the platform sends, is never shown
// again, and can be replaced. A form source (app/website_forms.h) gets a public form key at
// creation. Meta pages keep their own routes (app/meta_admin.h).
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
  std::optional<std::string> mapping_json;   // google: the column mapping
  std::optional<std::string> thank_you_url;  // form: where a plain post ends
  std::optional<std::string> error_url;      // form: ... or, refused, ends
  std::optional<std::vector<std::string>> allowed_origins;  // form: may fetch() it
  // Errors found while decoding (unknown or mistyped fields), so that one 422 names them all.
  std::vector<FieldError> decode_errors;
};

// Creates a source: kind "google" with name, formId, googleKey (and mapping), or kind "form" with
// name, thankYouUrl, errorUrl, allowedOrigins (its key is made here). A 422 names every bad
// field, the fields of the other kind included; kConflict when a google source has the form id
// already.
Result<IntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input);

// Changes what `input` sets of source `id` (its kind's fields only; a form's key never changes).
// kNotFound for an unknown id.
Result<IntakeSource> change_intake_source(AppContext& ctx, const Id& id,
                                          const IntakeSourceInput& input);

}  // namespace leadproc
