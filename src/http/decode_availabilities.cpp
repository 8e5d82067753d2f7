#include "http/decode_availabilities.h"

#include "codec/field_reader.h"
#include "codec/poc_rules_json.h"
#include "codec/work_schedule_json.h"
#include "domain/text.h"
#include "http/decode_destinations.h"

namespace leadproc::http {
namespace {

// The rules present in `body`, read (and bounded) by the codec the stored column uses.
PocRulesPatch decode_rules(const boost::json::object& body, std::vector<FieldError>& errors) {
  PocRules read;
  codec::read_rules(body, read, errors);
  PocRulesPatch p;
  p.cap = {body.contains("cap"), read.cap};
  p.daily_quota = {body.contains("dailyQuota"), read.daily_quota};
  if (body.contains("weight")) p.weight = read.weight;
  p.languages = {body.contains("languages"), read.languages};
  if (body.contains("nightDesk")) p.night_desk = read.night_desk;
  return p;
}

}  // namespace

AvailabilityInput decode_availability(const boost::json::object& body, bool creating) {
  AvailabilityInput in;
  auto& errors = in.decode_errors;
  codec::FieldReader r(body, errors);
  in.person_id = r.string("personId", creating);
  if (auto p = r.string("process", creating)) {
    in.process = parse_availability_process(*p);
    if (!in.process) r.fail("process", "must be one of: " + join(all_availability_processes()));
  }
  if (!creating) {
    for (auto key : {"personId", "process"})
      if (r.is_null(key)) r.fail(key, "must not be null");
  }
  in.is_available = r.boolean("isAvailable");
  if (auto src = r.strings("source")) {
    in.source.emplace();
    for (std::size_t i = 0; i < src->size(); ++i) {
      if (auto p = parse_platform((*src)[i]))
        in.source->push_back(*p);
      else
        r.fail("source[" + std::to_string(i) + "]", "must be one of: " + join(all_platforms()));
    }
  }
  if (r.is_null("source")) in.source = std::vector<Platform>{};
  if (const auto* dests = r.array("destinations")) {
    in.destinations.emplace();
    for (std::size_t i = 0; i < dests->size(); ++i)
      in.destinations->push_back(
          decode_destination_ref((*dests)[i], "destinations[" + std::to_string(i) + "]", errors));
  }
  if (r.is_null("destinations")) in.destinations.emplace();
  if (r.is_null("seq")) {
    in.seq.given = true;  // cleared
  } else if (auto seq = r.integer("seq")) {
    in.seq = {true, seq};
  }
  WorkSchedule schedule;
  codec::read_schedule(body, schedule, errors, false);
  if (body.contains("shifts")) in.shifts = schedule.shifts;
  if (body.contains("leave")) in.leave = schedule.leave;
  in.rules = decode_rules(body, errors);
  if (body.contains("checkedOutUntil"))
    r.fail("checkedOutUntil", "is set by the agent's check-in and check-out");
  for (auto key : {"leadCount", "totalCount"})
    if (body.contains(key)) r.fail(key, "is maintained by the system and cannot be set");
  if (auto deleted = r.boolean("deleted"); deleted && *deleted)
    r.fail("deleted", "is set by DELETE only");
  return in;
}

}  // namespace leadproc::http
