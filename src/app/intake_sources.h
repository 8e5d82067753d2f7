// Admins' set-up of intake sources (issue 19 item 8, for kind "google" so far; docs/api-intake.md
// "Sources"): POST/GET/PATCH/DELETE /api/v1/intake/sources. A source's secret (the google_key)
// is stored to be compared with what the platform sends, is never shown again, and can be
// replaced. Meta pages keep their own routes (app/meta_admin.h); website forms are not built yet.
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
  std::optional<std::string> form_id;     // google: the lead form's id (digits)
  std::optional<std::string> google_key;  // google: the key Google sends with each lead
  std::optional<std::string> mapping_json;
  // Errors found while decoding (unknown or mistyped fields), so that one 422 names them all.
  std::vector<FieldError> decode_errors;
};

// Creates a source: kind "google" with name, formId, googleKey (and mapping). A 422 names every
// bad field; kConflict when a google source has the form id already.
Result<IntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input);

// Changes name, formId, googleKey or mapping of source `id`. kNotFound for an unknown id.
Result<IntakeSource> change_intake_source(AppContext& ctx, const Id& id,
                                          const IntakeSourceInput& input);

}  // namespace leadproc
