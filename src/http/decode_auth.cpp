#include "http/decode_auth.h"

#include "codec/field_reader.h"
#include "domain/text.h"

namespace leadproc::http {

ApiKeyInput decode_api_key(const boost::json::object& body) {
  ApiKeyInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.name = r.string("name", true);
  if (auto p = r.string("platform", true)) {
    in.platform = parse_platform(*p);
    if (!in.platform) r.fail("platform", "must be one of " + join(all_platforms()));
  }
  return in;
}

ThrottleClearInput decode_throttle_clear(const boost::json::object& body) {
  ThrottleClearInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.email = r.string("email");
  in.address = r.string("address");
  return in;
}

}  // namespace leadproc::http
