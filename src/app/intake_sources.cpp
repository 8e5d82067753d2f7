#include "app/intake_sources.h"

#include <algorithm>

#include "app/google_intake.h"
#include "domain/followup.h"  // text_length

namespace leadproc {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxKeyLength = 200;

bool digits(const std::string& s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Checks what `input` sets, whether the source is new (`creating`: its required fields).
void check(const IntakeSourceInput& input, bool creating, std::vector<FieldError>& errors) {
  if (creating && !input.name) errors.push_back({"name", "is required"});
  if (input.name && (input.name->find_first_not_of(" \t") == std::string::npos ||
                     text_length(*input.name) > kMaxNameLength))
    errors.push_back({"name", "must be 1 to 200 characters"});
  if (creating && !input.form_id) errors.push_back({"formId", "is required"});
  if (input.form_id && !digits(*input.form_id))
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

Error taken(const std::string& form_id) {
  return Error::conflict("a Google source for form " + form_id + " exists already");
}

}  // namespace

Result<IntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input) {
  std::vector<FieldError> errors = input.decode_errors;
  if (!input.kind)
    errors.push_back({"kind", "is required"});
  else if (*input.kind != "google")
    errors.push_back({"kind", *input.kind == "meta" || *input.kind == "form"
                                  ? "must be google: " + *input.kind +
                                        " sources are not set up here yet (Meta pages: PUT "
                                        "/api/v1/intake/meta/pages/{pageId})"
                                  : "must be google"});
  check(input, true, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the source is invalid");
  IntakeSource s;
  s.id = ctx.new_id();
  s.kind = *input.kind;
  s.name = *input.name;
  s.key = *input.form_id;
  s.secret = *input.google_key;
  s.mapping_json = input.mapping_json.value_or("{}");
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
  check(input, false, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the source is invalid");
  IntakeSource s;
  auto st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_intake_source(id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("no intake source has id " + id);
    s = **found;
    if (input.name) s.name = *input.name;
    if (input.form_id && *input.form_id != s.key) {
      auto other = tx.find_intake_source(s.kind, *input.form_id);
      if (!other) return other.error();
      if (*other) return taken(*input.form_id);
      s.key = *input.form_id;
    }
    if (input.google_key) s.secret = *input.google_key;
    if (input.mapping_json) s.mapping_json = *input.mapping_json;
    s.updated_at = ctx.now();
    return tx.save_intake_source(s);
  });
  if (!st) return st.error();
  return s;
}

}  // namespace leadproc
