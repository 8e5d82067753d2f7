#include "app/intake_answers.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::string_view kMappableFields[] = {"name",        "number",     "email",
                                                "destination", "travelDate", "pax"};

}  // namespace

bool is_id_digits(std::string_view s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> exact_id(const json::value& v) {
  if (v.is_int64() && v.get_int64() >= 0) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string() && is_id_digits(v.get_string())) return std::string(v.get_string());
  return std::nullopt;
}

void read_id(const json::object& o, std::string_view key, const std::string& path,
             std::optional<std::string>& out, std::vector<FieldError>& errors) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return;
  if (auto id = exact_id(it->value()))
    out = std::move(*id);
  else
    errors.push_back({path + std::string(key), "must be an id (a whole number or its digits)"});
}

Result<AnswerMapping> answer_mapping(std::string_view mapping_json, const AnswerMapping& defaults) {
  auto mapping = defaults;
  boost::system::error_code ec;
  json::value doc = json::parse(mapping_json, ec);
  if (ec || !doc.is_object())
    return Error::validation({{"mapping", "must be an object"}}, "bad mapping");
  std::vector<FieldError> errors;
  for (const auto& [key, value] : doc.get_object()) {
    const std::string field(key);
    if (std::find(std::begin(kMappableFields), std::end(kMappableFields), field) ==
        std::end(kMappableFields)) {
      errors.push_back({"mapping." + field,
                        "is not a lead field (name, number, email, destination, travelDate, pax)"});
      continue;
    }
    if (!value.is_string() || value.get_string().empty()) {
      errors.push_back({"mapping." + field, "must be a question key (a non-empty string)"});
      continue;
    }
    std::erase_if(mapping, [&](const auto& m) { return m.first == field; });
    mapping.emplace_back(field, std::string(value.get_string()));
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "bad mapping");
  return mapping;
}

void apply_answers(const AnswerMapping& mapping, const Answers& answers, LeadInput& in) {
  auto answer = [&](std::string_view field) -> std::optional<std::string> {
    for (const auto& [f, key] : mapping) {
      if (f != field) continue;
      for (const auto& [k, text] : answers)
        if (k == key) return text;
    }
    return std::nullopt;
  };
  in.name = answer("name");
  in.number = answer("number");
  in.email = answer("email");
  in.destination = answer("destination");
  in.travel_date = answer("travelDate");
  if (auto pax = answer("pax")) {
    try {
      std::size_t used = 0;
      double v = std::stod(*pax, &used);
      if (used == pax->size()) in.pax = v;
    } catch (const std::exception&) {
      // Not a number: the answer stays in no field rather than failing the lead.
    }
  }
  for (const auto& [name, text] : answers) {
    const bool mapped = std::any_of(mapping.begin(), mapping.end(), [&](const auto& m) {
      return m.second == name && (m.first != "pax" || in.pax);
    });
    if (!mapped) in.extra.push_back({name, json::serialize(json::value(text))});
  }
}

}  // namespace leadproc
