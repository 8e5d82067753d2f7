#include "codec/poc_rules_json.h"

#include <algorithm>

#include "codec/field_reader.h"

namespace leadproc::codec {
namespace json = boost::json;

namespace {

json::value optional_int(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

bool is_null(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_null();
}

// Reads the optional limit `key` (0..kMaxCap; null clears it).
void read_limit(FieldReader& r, const json::object& o, std::string_view key,
                std::optional<std::int64_t>& slot) {
  if (is_null(o, key)) {
    slot.reset();
    return;
  }
  if (auto n = r.integer(key)) {
    if (*n < 0 || *n > kMaxCap)
      r.fail(key, "must be an integer from 0 to " + std::to_string(kMaxCap) + ", or null");
    else
      slot = *n;
  }
}

}  // namespace

void put_rules(json::object& out, const PocRules& r) {
  json::array languages;
  for (const auto& l : r.languages) languages.emplace_back(l);
  out["cap"] = optional_int(r.cap);
  out["dailyQuota"] = optional_int(r.daily_quota);
  out["weight"] = r.weight;
  out["languages"] = std::move(languages);
  out["nightDesk"] = r.night_desk;
}

void read_rules(const json::object& o, PocRules& r, std::vector<FieldError>& errors) {
  FieldReader reader(o, errors);
  read_limit(reader, o, "cap", r.cap);
  read_limit(reader, o, "dailyQuota", r.daily_quota);
  if (auto w = reader.integer("weight")) {
    if (*w < 1 || *w > kMaxWeight)
      reader.fail("weight", "must be an integer from 1 to " + std::to_string(kMaxWeight));
    else
      r.weight = static_cast<int>(*w);
  }
  if (is_null(o, "languages")) r.languages.clear();
  if (auto tags = reader.strings("languages")) {
    std::vector<std::string> out;
    bool ok = true;
    if (tags->size() > kMaxLanguages) {
      reader.fail("languages", "at most " + std::to_string(kMaxLanguages) + " items");
      ok = false;
    }
    for (std::size_t i = 0; tags->size() <= kMaxLanguages && i < tags->size(); ++i) {
      auto tag = normalize_language((*tags)[i]);
      if (!tag) {
        reader.fail("languages[" + std::to_string(i) + "]",
                    "must be a language tag such as \"en\", \"hi\" or \"pt-BR\"");
        ok = false;
      } else if (std::find(out.begin(), out.end(), *tag) == out.end()) {
        out.push_back(*tag);
      }
    }
    if (ok) r.languages = std::move(out);
  }
  if (auto desk = reader.boolean("nightDesk")) r.night_desk = *desk;
}

}  // namespace leadproc::codec
