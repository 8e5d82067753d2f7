#include "http/decode_process_maps.h"

#include "codec/field_reader.h"
#include "domain/text.h"
#include "http/decode_destinations.h"

namespace leadproc::http {
namespace {

ProcessMapEntryInput decode_entry(const boost::json::value& v, const std::string& field,
                                  std::vector<FieldError>& errors) {
  ProcessMapEntryInput e;
  e.destination = decode_destination_ref(v, field, errors);
  if (!v.is_object()) return e;
  codec::FieldReader r(v.get_object(), errors, field + ".");
  e.is_active = r.boolean("isActive");
  e.load_share = r.integer("loadShare");
  e.counter = r.integer("counter");
  e.sheet_name = r.string("sheetName");
  e.waba_number = r.string("wabaNumber");
  return e;
}

}  // namespace

ProcessMapInput decode_process_map(const boost::json::object& body, bool whole) {
  ProcessMapInput in;
  codec::FieldReader r(body, in.decode_errors);
  if (auto p = r.string("process", whole)) {
    in.process = parse_filtration_process(*p);
    if (!in.process) r.fail("process", "must be one of: " + join(all_filtration_processes()));
  } else if (!whole && r.is_null("process")) {
    r.fail("process", "must not be null");
  }
  if (const auto* items = r.array("destinations", whole)) {
    in.destinations.emplace();
    for (std::size_t i = 0; i < items->size(); ++i)
      in.destinations->push_back(
          decode_entry((*items)[i], "destinations[" + std::to_string(i) + "]", in.decode_errors));
  } else if (!whole && r.is_null("destinations")) {
    in.destinations.emplace();
  }
  if (auto deleted = r.boolean("deleted"); deleted && *deleted)
    r.fail("deleted", "is set by DELETE only");
  return in;
}

}  // namespace leadproc::http
