#include "app/intake_sources.h"

#include "app/google_intake.h"
#include "app/intake_answers.h"
#include "app/website_forms.h"
#include "domain/followup.h"  // text_length

namespace leadproc {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxKeyLength = 200;

// Each field `input` sets that a source of `kind` does not have, as an error.
void refuse_other_kind(const std::string& kind, const IntakeSourceInput& in,
                       std::vector<FieldError>& errors) {
  auto refuse = [&](bool set, const char* field) {
    if (set) errors.push_back({field, "is not a field of a " + kind + " source"});
  };
  if (kind == "form") {
    refuse(in.form_id.has_value(), "formId");
    refuse(in.google_key.has_value(), "googleKey");
    refuse(in.mapping_json.has_value(), "mapping");
  } else {
    refuse(in.thank_you_url.has_value(), "thankYouUrl");
    refuse(in.error_url.has_value(), "errorUrl");
    refuse(in.allowed_origins.has_value(), "allowedOrigins");
  }
}

void check_name(const IntakeSourceInput& input, bool creating, std::vector<FieldError>& errors) {
  if (creating && !input.name) errors.push_back({"name", "is required"});
  if (input.name && (input.name->find_first_not_of(" \t") == std::string::npos ||
                     text_length(*input.name) > kMaxNameLength))
    errors.push_back({"name", "must be 1 to 200 characters"});
}

// Checks what `input` sets of a google source, whether it is new (`creating`: its required
// fields).
void check_google(const IntakeSourceInput& input, bool creating, std::vector<FieldError>& errors) {
  if (creating && !input.form_id) errors.push_back({"formId", "is required"});
  if (input.form_id && !is_id_digits(*input.form_id))
    errors.push_back({"formId", "must be the lead form's id (digits)"});
  if (creating && !input.google_key) errors.push_back({"googleKey", "is required"});
  if (input.google_key && (input.google_key->empty() || input.google_key->size() > kMaxKeyLength))
    errors.push_back({"googleKey", "must be 1 to 200 characters"});
  if (input.mapping_json) {
    auto mapping = google_answer_mapping(*input.mapping_json);
    if (!mapping)
      errors.insert(errors.end(), mapping.error().fields.begin(), mapping.error().fields.end());
  }
}

// Checks the kind's fields of `input` for a source of `kind`; for a form, `settings` gets what
// it sets (the origins as browsers send them).
void check_kind(const std::string& kind, const IntakeSourceInput& input, bool creating,
                std::vector<FieldError>& errors, FormSettings& settings) {
  refuse_other_kind(kind, input, errors);
  if (kind == "google") {
    check_google(input, creating, errors);
    return;
  }
  std::vector<std::string> origins;
  check_form_settings(input.thank_you_url, input.error_url, input.allowed_origins, creating, errors,
                      origins);
  if (input.thank_you_url) settings.thank_you_url = *input.thank_you_url;
  if (input.error_url) settings.error_url = *input.error_url;
  if (input.allowed_origins) settings.allowed_origins = std::move(origins);
}

Error taken(const std::string& form_id) {
  return Error::conflict("a Google source for form " + form_id + " exists already");
}

Error invalid(std::vector<FieldError> errors) {
  return Error::validation(std::move(errors), "the source is invalid");
}

}  // namespace

Result<IntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input) {
  std::vector<FieldError> errors = input.decode_errors;
  const std::string kind = input.kind.value_or("");
  if (!input.kind)
    errors.push_back({"kind", "is required"});
  else if (kind != "google" && kind != "form")
    errors.push_back({"kind", kind == "meta" ? "must be google or form: Meta pages are set up with "
                                               "PUT /api/v1/intake/meta/pages/{pageId}"
                                             : "must be google or form"});
  check_name(input, true, errors);
  // An unknown kind: the fields are still checked, as those of the kind they belong to, so that
  // one 422 names every bad field.
  const bool form_fields = input.thank_you_url || input.error_url || input.allowed_origins;
  FormSettings settings;
  check_kind(kind == "google" || kind == "form" ? kind
             : form_fields                      ? "form"
                                                : "google",
             input, true, errors, settings);
  if (!errors.empty()) return invalid(std::move(errors));
  IntakeSource s;
  s.id = ctx.new_id();
  s.kind = kind;
  s.name = *input.name;
  if (kind == "google") {
    s.key = *input.form_id;
    s.secret = *input.google_key;
    s.mapping_json = input.mapping_json.value_or("{}");
  } else {
    s.key = new_form_key();
    s.mapping_json = form_settings_json(settings);
  }
  s.created_at = s.updated_at = ctx.now();
  auto st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto other = tx.find_intake_source(s.kind, s.key);
    if (!other) return other.error();
    if (*other) return taken(s.key);
    return tx.save_intake_source(s);
  });
  if (!st) return st.error().code == ErrorCode::kConflict ? taken(s.key) : st.error();
  return s;
}

Result<IntakeSource> change_intake_source(AppContext& ctx, const Id& id,
                                          const IntakeSourceInput& input) {
  std::vector<FieldError> errors = input.decode_errors;
  if (input.kind) errors.push_back({"kind", "cannot be changed"});
  check_name(input, false, errors);
  IntakeSource s;
  auto st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_intake_source(id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("no intake source has id " + id);
    s = **found;
    FormSettings settings;
    if (s.kind == "form") {
      auto stored = form_settings(s.mapping_json);
      if (!stored) return stored.error();
      settings = std::move(*stored);
    }
    check_kind(s.kind, input, false, errors, settings);
    if (!errors.empty()) return invalid(errors);
    if (input.name) s.name = *input.name;
    if (input.form_id && *input.form_id != s.key) {
      auto other = tx.find_intake_source(s.kind, *input.form_id);
      if (!other) return other.error();
      if (*other) return taken(*input.form_id);
      s.key = *input.form_id;
    }
    if (input.google_key) s.secret = *input.google_key;
    if (input.mapping_json) s.mapping_json = *input.mapping_json;
    if (s.kind == "form") s.mapping_json = form_settings_json(settings);
    s.updated_at = ctx.now();
    return tx.save_intake_source(s);
  });
  if (!st) return st.error();
  return s;
}

}  // namespace leadproc
