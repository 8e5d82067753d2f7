#include "http/decode_users.h"

#include "codec/field_reader.h"
#include "domain/text.h"

namespace leadproc::http {
namespace {

Patch<std::string> name_field(codec::FieldReader& r, std::string_view key) {
  Patch<std::string> p;
  p.given = r.is_null(key);
  if (auto v = r.string(key)) {
    p.given = true;
    p.value = std::move(*v);
  }
  return p;
}

}  // namespace

UserInput decode_user(const boost::json::object& body, bool creating) {
  UserInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.email = r.string("email", creating);
  in.first_name = name_field(r, "firstName");
  in.last_name = name_field(r, "lastName");
  if (r.is_null("phone")) {
    in.phone.given = true;
  } else if (const auto* phone = r.object("phone")) {
    codec::FieldReader pr(*phone, in.decode_errors, "phone.");
    in.phone.given = true;
    in.phone.value = PhoneInput{pr.string("countryCode", true), pr.string("number", true)};
  }
  if (auto d = r.string("department", creating)) {
    in.department = parse_department(*d);
    if (!in.department) r.fail("department", "must be one of: " + join(all_departments()));
  }
  in.is_active = r.boolean("isActive");
  if (!creating) {
    for (auto key : {"email", "department", "isActive"})
      if (r.is_null(key)) r.fail(key, "must not be null");
  }
  if (body.contains("credentials")) r.fail("credentials", "cannot be set through this API");
  in.password = r.string("password");
  if (auto deleted = r.boolean("deleted"); deleted && *deleted)
    r.fail("deleted", "is set by DELETE only");
  return in;
}

}  // namespace leadproc::http
