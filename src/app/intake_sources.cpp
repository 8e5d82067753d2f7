#include "app/intake_sources.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "app/google_intake.h"
#include "app/intake_answers.h"
#include "app/meta_admin.h"
#include "app/website_forms.h"
#include "domain/followup.h"  // text_length

namespace leadproc {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxKeyLength = 200;
constexpr std::string_view kKinds = "meta, google or form";

// The field names a Meta source gives save_meta_page's checks.
const MetaPageFieldNames kMetaFieldNames{"pageId", "pageAccessToken"};

bool is_kind(const std::string& kind) {
  return kind == "meta" || kind == "google" || kind == "form";
}

// Each field `input` sets that a source of `kind` does not have, as an error.
void refuse_other_kind(const std::string& kind, const IntakeSourceInput& in,
                       std::vector<FieldError>& errors) {
  struct Field {
    bool set;
    const char* name;
    std::string_view kinds;  // the kinds that have it
  };
  const Field fields[] = {
      {in.form_id.has_value(), "formId", "google"},
      {in.google_key.has_value(), "googleKey", "google"},
      {in.mapping_json.has_value(), "mapping", "google meta"},
      {in.thank_you_url.has_value(), "thankYouUrl", "form"},
      {in.error_url.has_value(), "errorUrl", "form"},
      {in.allowed_origins.has_value(), "allowedOrigins", "form"},
      {in.page_id.has_value(), "pageId", "meta"},
      {in.app_secret.has_value(), "appSecret", "meta"},
      {in.verify_token.has_value(), "verifyToken", "meta"},
      {in.page_access_token.has_value(), "pageAccessToken", "meta"},
      {in.instagram_platform.has_value(), "instagramPlatform", "meta"},
  };
  for (const auto& f : fields)
    if (f.set && f.kinds.find(kind) == std::string_view::npos)
      errors.push_back({f.name, "is not a field of a " + kind + " source"});
}

// The kind whose fields `input` sets, for checking them when its own kind is missing or unknown.
std::string kind_of_fields(const IntakeSourceInput& in) {
  if (in.thank_you_url || in.error_url || in.allowed_origins) return "form";
  if (in.page_id || in.app_secret || in.verify_token || in.page_access_token ||
      in.instagram_platform)
    return "meta";
  return "google";
}

void check_name(const IntakeSourceInput& input, bool creating, std::vector<FieldError>& errors) {
  if (creating && !input.name) errors.push_back({"name", "is required"});
  if (input.name && (input.name->find_first_not_of(" \t") == std::string::npos ||
                     text_length(*input.name) > kMaxNameLength))
    errors.push_back({"name", "must be 1 to 200 characters"});
}

// A required (when `creating`) secret of 1 to 200 characters.
void check_secret(const std::optional<std::string>& value, const char* field, bool creating,
                  std::vector<FieldError>& errors) {
  if (creating && !value) errors.push_back({field, "is required"});
  if (value && (value->empty() || value->size() > kMaxKeyLength))
    errors.push_back({field, "must be 1 to 200 characters"});
}

// Checks what `input` sets of a google source, whether it is new (`creating`: its required
// fields).
void check_google(const IntakeSourceInput& input, bool creating, std::vector<FieldError>& errors) {
  if (creating && !input.form_id) errors.push_back({"formId", "is required"});
  if (input.form_id && !is_id_digits(*input.form_id))
    errors.push_back({"formId", "must be the lead form's id (digits)"});
  check_secret(input.google_key, "googleKey", creating, errors);
  if (input.mapping_json) {
    auto mapping = google_answer_mapping(*input.mapping_json);
    if (!mapping)
      errors.insert(errors.end(), mapping.error().fields.begin(), mapping.error().fields.end());
  }
}

// The change to the page that `input` makes.
MetaPageChange page_change(const IntakeSourceInput& input) {
  MetaPageChange change;
  change.access_token = input.page_access_token;
  change.instagram_platform = input.instagram_platform;
  change.mapping_json = input.mapping_json;
  return change;
}

// Checks what `input` sets of a meta source (`page_id`: the one it has, or is given).
void check_meta(const IntakeSourceInput& input, const std::string& page_id, bool creating,
                std::vector<FieldError>& errors) {
  if (creating && !input.page_id) errors.push_back({"pageId", "is required"});
  check_secret(input.app_secret, "appSecret", creating, errors);
  check_secret(input.verify_token, "verifyToken", creating, errors);
  if (creating && !input.page_access_token) errors.push_back({"pageAccessToken", "is required"});
  if (!creating && input.page_id && *input.page_id != page_id)
    errors.push_back({"pageId", "cannot be changed: delete the source and set the page up anew"});
  // The page's own checks (its id's digits, the token, the mapping); a missing page id is named
  // once, as required above, so they check a valid stand-in for it.
  const std::string checked_id = creating && !input.page_id ? "0" : page_id;
  check_meta_page_change(checked_id, page_change(input), errors, kMetaFieldNames);
}

// Checks the kind's fields of `input` for a source of `kind`; for a form, `settings` gets what
// it sets (the origins as browsers send them).
void check_kind(const std::string& kind, const std::string& key, const IntakeSourceInput& input,
                bool creating, std::vector<FieldError>& errors, FormSettings& settings) {
  refuse_other_kind(kind, input, errors);
  if (kind == "google") return check_google(input, creating, errors);
  if (kind == "meta") return check_meta(input, key, creating, errors);
  std::vector<std::string> origins;
  check_form_settings(input.thank_you_url, input.error_url, input.allowed_origins, creating, errors,
                      origins);
  if (input.thank_you_url) settings.thank_you_url = *input.thank_you_url;
  if (input.error_url) settings.error_url = *input.error_url;
  if (input.allowed_origins) settings.allowed_origins = std::move(origins);
}

// A Meta source's own settings, kept as JSON in its mapping column (the page's answer mapping is
// the page's: app/meta_admin.h): {"verifyToken": "..."}.
std::string meta_settings_json(const std::string& verify_token) {
  return boost::json::serialize(boost::json::object{{"verifyToken", verify_token}});
}

std::string meta_verify_token(std::string_view settings_json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(settings_json, ec);
  if (ec || !v.is_object()) return {};
  const auto* token = v.as_object().if_contains("verifyToken");
  return token && token->is_string() ? std::string(token->as_string()) : std::string();
}

Error taken(const std::string& kind, const std::string& key) {
  return Error::conflict(kind == "meta" ? "a Meta source for page " + key + " exists already"
                                        : "a Google source for form " + key + " exists already");
}

Error invalid(std::vector<FieldError> errors) {
  return Error::validation(std::move(errors), "the source is invalid");
}

// Writes `s` in `tx`, and for a Meta source the change `input` makes to its page.
Result<int> write_source(WriteTx& tx, const IntakeSource& s, const IntakeSourceInput& input,
                         Timestamp now) {
  int requeued = 0;
  if (s.kind == "meta") {
    auto page = write_meta_page(tx, s.key, page_change(input), now, kMetaFieldNames);
    if (!page) return page.error();
    requeued = page->requeued;
  }
  if (auto st = tx.save_intake_source(s); !st) return st.error();
  return requeued;
}

}  // namespace

Result<SavedIntakeSource> create_intake_source(AppContext& ctx, const IntakeSourceInput& input) {
  std::vector<FieldError> errors = input.decode_errors;
  const std::string kind = input.kind.value_or("");
  if (!input.kind)
    errors.push_back({"kind", "is required"});
  else if (!is_kind(kind))
    errors.push_back({"kind", "must be " + std::string(kKinds)});
  check_name(input, true, errors);
  // An unknown kind: the fields are still checked, as those of the kind they belong to, so that
  // one 422 names every bad field.
  const std::string checked = is_kind(kind) ? kind : kind_of_fields(input);
  FormSettings settings;
  check_kind(checked, input.page_id.value_or(""), input, true, errors, settings);
  if (!errors.empty()) return invalid(std::move(errors));
  SavedIntakeSource saved;
  IntakeSource& s = saved.source;
  s.id = ctx.new_id();
  s.kind = kind;
  s.name = *input.name;
  if (kind == "google") {
    s.key = *input.form_id;
    s.secret = *input.google_key;
    s.mapping_json = input.mapping_json.value_or("{}");
  } else if (kind == "meta") {
    s.key = *input.page_id;
    s.secret = *input.app_secret;
    s.mapping_json = meta_settings_json(*input.verify_token);
  } else {
    s.key = new_form_key();
    s.mapping_json = form_settings_json(settings);
  }
  s.created_at = s.updated_at = ctx.now();
  auto st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto other = tx.find_intake_source(s.kind, s.key);
    if (!other) return other.error();
    if (*other) return taken(s.kind, s.key);
    auto requeued = write_source(tx, s, input, s.created_at);
    if (!requeued) return requeued.error();
    saved.requeued = *requeued;
    return ok_status();
  });
  if (!st) return st.error().code == ErrorCode::kConflict ? taken(s.kind, s.key) : st.error();
  return saved;
}

Result<SavedIntakeSource> change_intake_source(AppContext& ctx, const Id& id,
                                               const IntakeSourceInput& input) {
  std::vector<FieldError> errors = input.decode_errors;
  if (input.kind) errors.push_back({"kind", "cannot be changed"});
  check_name(input, false, errors);
  SavedIntakeSource saved;
  auto st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_intake_source(id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("no intake source has id " + id);
    IntakeSource s = **found;
    FormSettings settings;
    if (s.kind == "form") {
      auto stored = form_settings(s.mapping_json);
      if (!stored) return stored.error();
      settings = std::move(*stored);
    }
    check_kind(s.kind, s.key, input, false, errors, settings);
    if (!errors.empty()) return invalid(errors);
    if (input.name) s.name = *input.name;
    if (input.form_id && *input.form_id != s.key) {
      auto other = tx.find_intake_source(s.kind, *input.form_id);
      if (!other) return other.error();
      if (*other) return taken(s.kind, *input.form_id);
      s.key = *input.form_id;
    }
    if (input.google_key) s.secret = *input.google_key;
    if (input.app_secret) s.secret = *input.app_secret;
    if (s.kind == "google" && input.mapping_json) s.mapping_json = *input.mapping_json;
    if (s.kind == "meta" && input.verify_token)
      s.mapping_json = meta_settings_json(*input.verify_token);
    if (s.kind == "form") s.mapping_json = form_settings_json(settings);
    s.updated_at = ctx.now();
    auto requeued = write_source(tx, s, input, s.updated_at);
    if (!requeued) return requeued.error();
    saved = SavedIntakeSource{std::move(s), *requeued};
    return ok_status();
  });
  if (!st) return st.error();
  return saved;
}

Status delete_intake_source(AppContext& ctx, const Id& id) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_intake_source(id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("intake source not found");
    if ((*found)->kind == "meta")
      if (auto page = tx.delete_meta_page((*found)->key); !page) return page.error();
    auto deleted = tx.delete_intake_source(id);
    if (!deleted) return deleted.error();
    return ok_status();
  });
}

Result<MetaAppKeys> meta_app_keys(AppContext& ctx) {
  MetaAppKeys keys;
  if (!ctx.config.meta.app_secret.empty()) keys.app_secrets.push_back(ctx.config.meta.app_secret);
  if (!ctx.config.meta.verify_token.empty())
    keys.verify_tokens.push_back(ctx.config.meta.verify_token);
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto sources = tx.list_intake_sources();
    if (!sources) return sources.error();
    for (const auto& source : *sources) {
      if (source.kind != "meta") continue;
      keys.app_secrets.push_back(source.secret);
      if (auto token = meta_verify_token(source.mapping_json); !token.empty())
        keys.verify_tokens.push_back(std::move(token));
    }
    return ok_status();
  });
  if (!s) return s.error();
  return keys;
}

}  // namespace leadproc
