#include "http/decode_conversions.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "codec/field_reader.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

void only_keys(const json::object& o, std::initializer_list<std::string_view> known,
               const std::string& prefix, std::vector<FieldError>& errors) {
  for (const auto& kv : o) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end())
      errors.push_back({prefix + std::string(kv.key()), "is not a setting"});
  }
}

// A map of names when `key` holds an object (nullopt when absent or null); a value that is not a
// string is passed on as nullopt, for the use case to name with its rule.
std::optional<NamesInput> names(codec::FieldReader& r, const json::object& section,
                                std::string_view key) {
  if (!section.contains(key)) return std::nullopt;
  const json::object* o = r.object(key);
  if (!o) return std::nullopt;
  NamesInput out;
  for (const auto& kv : *o) {
    std::optional<std::string> value;
    if (kv.value().is_string()) value = std::string(kv.value().get_string());
    out.emplace_back(std::string(kv.key()), std::move(value));
  }
  return out;
}

MetaConversionChange decode_meta(const json::object& o, std::vector<FieldError>& errors) {
  only_keys(o, {"enabled", "datasetId", "accessToken", "stageEvents"}, "meta.", errors);
  codec::FieldReader r(o, errors, "meta.");
  MetaConversionChange m;
  m.enabled = r.boolean("enabled");
  m.dataset_id = r.string("datasetId");
  m.access_token = r.string("accessToken");
  m.stage_events = names(r, o, "stageEvents");
  return m;
}

GoogleConversionChange decode_google(const json::object& o, std::vector<FieldError>& errors) {
  only_keys(o,
            {"enabled", "customerId", "loginCustomerId", "developerToken", "accessToken",
             "conversionActions"},
            "google.", errors);
  codec::FieldReader r(o, errors, "google.");
  GoogleConversionChange g;
  g.enabled = r.boolean("enabled");
  g.customer_id = r.string("customerId");
  g.login_customer_id.given = o.contains("loginCustomerId");
  g.login_customer_id.value = r.string("loginCustomerId");
  g.developer_token = r.string("developerToken");
  g.access_token = r.string("accessToken");
  g.conversion_actions = names(r, o, "conversionActions");
  return g;
}

}  // namespace

ConversionSettingsChange decode_conversion_settings(const json::object& body) {
  ConversionSettingsChange in;
  only_keys(body, {"meta", "google"}, "", in.decode_errors);
  codec::FieldReader r(body, in.decode_errors);
  if (const json::object* m = r.object("meta")) in.meta = decode_meta(*m, in.decode_errors);
  if (const json::object* g = r.object("google")) in.google = decode_google(*g, in.decode_errors);
  return in;
}

}  // namespace leadproc::http
