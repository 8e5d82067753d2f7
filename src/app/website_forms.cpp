#include "app/website_forms.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "crypto/secrets.h"
#include "domain/url.h"

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxOrigins = 20;

bool http_url(const std::string& url) {
  return url.size() <= kMaxUrlLength && normalize_url(url).has_value() &&
         (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0);
}

// "https://Example.com:443" -> "https://example.com"; nullopt unless scheme://host[:port].
std::optional<std::string> origin_of(const std::string& text) {
  auto n = normalize_url(text);
  if (!n || text.find('?') != std::string::npos || text.find('#') != std::string::npos)
    return std::nullopt;
  const auto host_start = n->find("://") + 3;
  if (n->find('/', host_start) != std::string::npos) return std::nullopt;
  return n;
}

}  // namespace

Result<FormSettings> form_settings(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  const json::object* o = !ec && doc.is_object() ? &doc.get_object() : nullptr;
  auto str = [&](std::string_view key) -> const json::string* {
    const auto* v = o ? o->if_contains(key) : nullptr;
    return v && v->is_string() ? &v->get_string() : nullptr;
  };
  const auto* thanks = str("thankYouUrl");
  const auto* error = str("errorUrl");
  const auto* origins = o ? o->if_contains("allowedOrigins") : nullptr;
  if (!thanks || !error || !origins || !origins->is_array())
    return Error{ErrorCode::kInternal, "a form source's settings are not readable", {}, {}, 0};
  FormSettings s{std::string(*thanks), std::string(*error), {}};
  for (const auto& v : origins->get_array())
    if (v.is_string()) s.allowed_origins.emplace_back(v.get_string());
  return s;
}

std::string form_settings_json(const FormSettings& s) {
  json::array origins;
  for (const auto& o : s.allowed_origins) origins.emplace_back(o);
  return json::serialize(json::object{{"thankYouUrl", s.thank_you_url},
                                      {"errorUrl", s.error_url},
                                      {"allowedOrigins", std::move(origins)}});
}

std::string new_form_key() {
  return random_token("lpf_", 18);
}

void check_form_settings(const std::optional<std::string>& thank_you_url,
                         const std::optional<std::string>& error_url,
                         const std::optional<std::vector<std::string>>& allowed_origins,
                         bool creating, std::vector<FieldError>& errors,
                         std::vector<std::string>& origins) {
  auto url = [&](const std::optional<std::string>& v, const char* field) {
    if (!v) {
      if (creating) errors.push_back({field, "is required"});
    } else if (!http_url(*v)) {
      errors.push_back({field, "must be an absolute http or https URL (at most 2000 characters)"});
    }
  };
  url(thank_you_url, "thankYouUrl");
  url(error_url, "errorUrl");
  if (!allowed_origins) {
    if (creating) errors.push_back({"allowedOrigins", "is required (an empty list: none)"});
    return;
  }
  if (allowed_origins->size() > kMaxOrigins)
    errors.push_back({"allowedOrigins", "must list at most 20 origins"});
  for (std::size_t i = 0; i < allowed_origins->size(); ++i) {
    auto o = origin_of((*allowed_origins)[i]);
    if (!o) {
      errors.push_back({"allowedOrigins[" + std::to_string(i) + "]",
                        "must be an origin: http(s)://host[:port], without a path"});
    } else if (std::find(origins.begin(), origins.end(), *o) == origins.end()) {
      origins.push_back(*o);
    }
  }
}

std::string error_redirect(const std::string& error_url, const std::vector<FieldError>& errors) {
  std::string names;
  std::vector<std::string_view> named;
  for (const auto& e : errors) {
    if (std::find(named.begin(), named.end(), e.field) != named.end()) continue;
    named.push_back(e.field);
    if (!names.empty()) names += "%2C";
    for (unsigned char c : e.field) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        names += static_cast<char>(c);
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        names += '%';
        names += kHex[c >> 4];
        names += kHex[c & 15];
      }
    }
  }
  const auto hash = error_url.find('#');
  std::string base = error_url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : error_url.substr(hash);
  base += base.find('?') == std::string::npos ? '?' : '&';
  return base + "errors=" + names + fragment;
}

Result<IntakeSource> find_form(AppContext& ctx, const std::string& form_key) {
  std::optional<IntakeSource> found;
  auto read = ctx.store.read([&](ReadTx& tx) -> Status {
    auto s = tx.find_intake_source("form", form_key);
    if (!s) return s.error();
    found = std::move(*s);
    return ok_status();
  });
  if (!read) return read.error();
  if (!found) return Error::not_found("no website form has this form key");
  return std::move(*found);
}

Status receive_form_lead(AppContext& ctx, const IntakeSource& form, LeadInput input) {
  input.source_meta.form_name = form.name;
  input.source_meta.from_id = form.id;
  if (!input.primary_source) input.primary_source = "website_form";
  const Timestamp now = ctx.now();
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string(); };
  auto note = [&](WriteTx& tx, const Lead&, const Opportunity&) -> Status {
    return tx.note_intake_source(form.id, now, std::nullopt);
  };
  auto ingested = ingest_lead(ctx, input, IdempotencyInput{}, render, note);
  if (ingested) return ok_status();
  const Error& e = ingested.error();
  if (e.code == ErrorCode::kValidation) {
    std::string why = "a post was refused:";
    for (const auto& f : e.fields) why += " " + f.field + " " + f.reason + ";";
    (void)ctx.store.write([&](WriteTx& tx) { return tx.note_intake_source(form.id, {}, why); });
  }
  return e;
}

}  // namespace leadproc
