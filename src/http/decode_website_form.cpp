#include "http/decode_website_form.h"

#include <boost/json/array.hpp>
#include <utility>

#include "domain/url.h"
#include "domain/utf8.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The fields a website form may not set: they say where a lead came from or who gets it, which
// only leadproc says for a public form (its key is in the page's HTML for anyone to use).
constexpr std::string_view kRefusedFields[] = {"leadSource", "sourceMeta",
                                               "salesPersonToBeAssigned"};

// utm_* as the lead's attribution fields.
constexpr std::pair<std::string_view, std::string_view> kUtm[] = {
    {"utm_source", "utmSource"}, {"utm_medium", "utmMedium"},   {"utm_campaign", "utmCampaign"},
    {"utm_term", "utmTerm"},     {"utm_content", "utmContent"}, {"utm_id", "utmId"}};

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

// The rules of decode_form_post over a body already holding the fields under their own names.
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

FormPost decode_form_post(const codec::FormFields& fields, const FormRequestFacts& facts,
                          Timestamp now) {
  FormPost post;
  json::object body;
  for (const auto& [name, value] : fields) {
    if (name == kHoneypotField && !value.empty()) post.honeypot = true;
    if (!utf8(name) || !utf8(value)) {
      post.errors.push_back({utf8(name) ? name : "body", "is not UTF-8 text"});
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
  post.lead_body = complete(std::move(body), facts, now, post.errors);
  return post;
}

FormPost decode_form_post(const json::object& fields, const FormRequestFacts& facts,
                          Timestamp now) {
  FormPost post;
  const auto* v = member(fields, kHoneypotField);
  post.honeypot = v && !v->is_null() && !(v->is_string() && v->get_string().empty());
  post.lead_body = complete(fields, facts, now, post.errors);
  return post;
}

}  // namespace leadproc::http
