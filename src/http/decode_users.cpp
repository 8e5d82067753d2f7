#include "http/decode_users.h"

#include "app/destinations.h"
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

Handover decode_handover(const boost::json::object& body, std::vector<FieldError>& errors) {
  Handover out;
  codec::FieldReader r(body, errors);
  const boost::json::object* h = r.object("handover");
  if (!h) return out;
  codec::FieldReader hr(*h, errors, "handover.");
  auto to = hr.string("to");
  auto rr = hr.boolean("roundRobin");
  const bool round_robin = rr.value_or(false);
  if (to && round_robin) {
    hr.fail("to", "give either to or roundRobin, not both");
  } else if (to) {
    if (auto id = canonical_id(*to))
      out = Handover{Handover::Kind::kToPerson, *id};
    else
      hr.fail("to", "must be a 24-hex-digit user id");
  } else if (round_robin) {
    out.kind = Handover::Kind::kRoundRobin;
  } else if (!rr) {
    r.fail("handover", "must give to (a user id) or roundRobin: true");
  } else {
    hr.fail("roundRobin", "must be true (or give to)");
  }
  return out;
}

}  // namespace leadproc::http
