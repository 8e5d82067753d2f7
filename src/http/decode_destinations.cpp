#include "http/decode_destinations.h"

#include "codec/field_reader.h"

namespace leadproc::http {

DestinationInput decode_destination(const boost::json::object& body, bool creating) {
  DestinationInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.name = r.string("name", creating);
  if (!creating && r.is_null("name")) r.fail("name", "must not be null");
  in.slugs = r.strings("slugs");
  if (r.is_null("slugs")) in.slugs = std::vector<std::string>{};
  in.preference.value = r.number("preference");
  in.preference.given = in.preference.value || r.is_null("preference");
  if (auto deleted = r.boolean("deleted"); deleted && *deleted)
    r.fail("deleted", "is set by DELETE only");
  return in;
}

std::optional<DestinationRef> decode_destination_ref(const boost::json::value& v,
                                                     const std::string& field,
                                                     std::vector<FieldError>& errors) {
  if (v.is_string())
    return DestinationRef{DestinationRef::By::kIdOrName, std::string(v.get_string())};
  if (!v.is_object()) {
    errors.push_back({field, "must be a destination name, an _id, or an object with _id or name"});
    return std::nullopt;
  }
  const auto& o = v.get_object();
  for (auto [key, by] :
       {std::pair{"_id", DestinationRef::By::kId}, std::pair{"name", DestinationRef::By::kName}}) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) continue;
    if (!it->value().is_string()) {
      errors.push_back({field + "." + key, "must be a string"});
      return std::nullopt;
    }
    return DestinationRef{by, std::string(it->value().get_string())};
  }
  errors.push_back({field, "needs _id or name"});
  return std::nullopt;
}

}  // namespace leadproc::http
