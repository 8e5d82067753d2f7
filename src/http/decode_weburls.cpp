#include "http/decode_weburls.h"

#include "codec/field_reader.h"
#include "http/decode_destinations.h"

namespace leadproc::http {

WebUrlsInput decode_weburls(const boost::json::object& body) {
  WebUrlsInput in;
  codec::FieldReader r(body, in.decode_errors);
  const boost::json::array* items = r.array("urls", true);
  if (!items) return in;
  if (items->size() > kMaxUrlsPerUpsert) {
    r.fail("urls", too_many_urls_reason());
    return in;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string field = "urls[" + std::to_string(i) + "]";
    const boost::json::value& item = (*items)[i];
    if (item.is_string()) {
      in.urls.emplace_back(std::string(item.get_string()));
    } else if (item.is_object()) {
      codec::FieldReader ir(item.get_object(), in.decode_errors, field + ".");
      in.urls.push_back(ir.string("url", true));
    } else {
      in.decode_errors.push_back({field, "must be a URL string or an object with `url`"});
      in.urls.emplace_back();
    }
  }
  return in;
}

WebUrlMark decode_weburl_mark(const boost::json::object& body) {
  WebUrlMark in;
  auto it = body.find("destination");
  if (it == body.end()) return in;
  in.destination.given = true;
  const boost::json::value& v = it->value();
  if (v.is_null()) return in;
  if (!v.is_string() && !v.is_object())
    in.decode_errors.push_back({"destination", "must be a destination name or _id, or null"});
  else
    in.destination.value = decode_destination_ref(v, "destination", in.decode_errors);
  return in;
}

}  // namespace leadproc::http
