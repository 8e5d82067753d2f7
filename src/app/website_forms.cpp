#include "app/website_forms.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "crypto/secrets.h"
#include "domain/url.h"
#include "domain/utf8.h"

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxOrigins = 20;

// The fields a website form may not set: they say where a lead came from or who gets it, which
// only leadproc says for a public form (its key is in the page's HTML for anyone to use).
constexpr std::string_view kRefusedFields[] = {"leadSource", "sourceMeta",
                                               "salesPersonToBeAssigned"};

// utm_* as the lead's attribution fields.
constexpr std::pair<std::string_view, std::string_view> kUtm[] = {
    {"utm_source", "utmSource"}, {"utm_medium", "utmMedium"},   {"utm_campaign", "utmCampaign"},
    {"utm_term", "utmTerm"},     {"utm_content", "utmContent"}, {"utm_id", "utmId"}};

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

const json::value* member(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool has_text(const json::object& o, std::string_view key) {
  const auto* v = member(o, key);
  return v && !(v->is_string() && v->get_string().empty()) && !v->is_null();
}

// The query parameters of a URL (after '?', before '#'), decoded; empty if it has none or they
// cannot be read.
codec::FormFields query_of(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  auto query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  auto fields = codec::parse_urlencoded(query);
  return fields ? std::move(*fields) : codec::FormFields{};
}

// True iff `s` is well-formed UTF-8 (what a JSON body is by construction; a form's bytes are
// not).
bool utf8(std::string_view s) {
  std::string again;
  for (std::size_t i = 0; i < s.size();) append_utf8(again, next_code_point(s, i));
  return again == s;
}

std::string fbc_of(std::string_view fbclid, Timestamp now) {
  return "fb.1." + std::to_string(now.time_since_epoch().count()) + "." + std::string(fbclid);
}

// The rules of form_lead_body over a body already holding the fields under their own names.
json::object complete(json::object body, const FormRequestFacts& facts, Timestamp now,
                      std::vector<FieldError>& errors) {
  body.erase(kHoneypotField);
  // A field left empty is a field not filled in (a plain form sends every field): as if absent.
  std::vector<std::string> empty;
  for (const auto& [key, value] : body)
    if (value.is_string() && value.get_string().empty()) empty.emplace_back(key);
  for (const auto& key : empty) body.erase(key);
  for (auto field : kRefusedFields)
    if (body.contains(field))
      errors.push_back({std::string(field), "cannot be set by a website form"});
  // `from` as `to` unless the body has `to` (then `from` stays, and is kept under extra).
  auto take = [&](std::string_view from, std::string_view to) {
    if (has_text(body, to)) return;
    if (const auto* v = member(body, from)) {
      json::value moved = *v;
      body.erase(from);
      body[to] = std::move(moved);
    }
  };
  take("phone", "number");
  for (const auto& [from, to] : kUtm) take(from, to);
  if (!has_text(body, "fbc")) {
    if (const auto* v = member(body, "fbclid"); v && v->is_string() && !v->get_string().empty())
      body["fbc"] = fbc_of(v->get_string(), now);
  }
  body.erase("fbclid");
  if (!has_text(body, "page") && facts.referer && normalize_url(*facts.referer))
    body["page"] = *facts.referer;
  // utm_*, fbclid and gclid from the page's query where no field said them.
  if (const auto* page = member(body, "page"); page && page->is_string()) {
    for (const auto& [name, value] : query_of(page->get_string())) {
      if (value.empty()) continue;
      for (const auto& [from, to] : kUtm)
        if (name == from && !has_text(body, to)) body[to] = value;
      if (name == "gclid" && !has_text(body, "gclid")) body["gclid"] = value;
      if (name == "fbclid" && !has_text(body, "fbc")) body["fbc"] = fbc_of(value, now);
    }
  }
  if (facts.client_ip) body["clientIp"] = *facts.client_ip;
  if (facts.user_agent && !facts.user_agent->empty()) body["userAgent"] = *facts.user_agent;
  return body;
}

}  // namespace

Result<FormSettings> form_settings(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  const json::object* o = !ec && doc.is_object() ? &doc.get_object() : nullptr;
  auto str = [&](std::string_view key) -> const json::string* {
    const auto* v = o ? member(*o, key) : nullptr;
    return v && v->is_string() ? &v->get_string() : nullptr;
  };
  const auto* thanks = str("thankYouUrl");
  const auto* error = str("errorUrl");
  const auto* origins = o ? member(*o, "allowedOrigins") : nullptr;
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

json::object form_lead_body(const codec::FormFields& fields, const FormRequestFacts& facts,
                            Timestamp now, std::vector<FieldError>& errors) {
  json::object body;
  for (const auto& [name, value] : fields) {
    if (!utf8(name) || !utf8(value)) {
      errors.push_back({utf8(name) ? name : "body", "is not UTF-8 text"});
      continue;
    }
    auto it = body.find(name);
    if (it == body.end()) {
      body[name] = value;
    } else if (it->value().is_array()) {
      it->value().get_array().emplace_back(value);
    } else {
      json::array both{it->value(), json::value(value)};
      it->value() = std::move(both);
    }
  }
  return complete(std::move(body), facts, now, errors);
}

json::object form_lead_body(const json::object& fields, const FormRequestFacts& facts,
                            Timestamp now, std::vector<FieldError>& errors) {
  return complete(fields, facts, now, errors);
}

bool is_honeypot_post(const json::object& fields) {
  const auto* v = member(fields, kHoneypotField);
  return v && !v->is_null() && !(v->is_string() && v->get_string().empty());
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
