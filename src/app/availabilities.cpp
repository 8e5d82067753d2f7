#include "app/availabilities.h"

#include <algorithm>

#include "app/assignment.h"
#include "app/business_day.h"
#include "app/destinations.h"
#include "domain/round_robin.h"

namespace leadproc {

void PocRulesPatch::apply_to(PocRules& r) const {
  if (cap.given) r.cap = cap.value;
  if (daily_quota.given) r.daily_quota = daily_quota.value;
  if (weight) r.weight = *weight;
  if (languages.given) r.languages = languages.value.value_or(std::vector<std::string>{});
  if (night_desk) r.night_desk = *night_desk;
}
bool department_fits(AvailabilityProcess p, Department d) {
  auto wanted = department_for(p);
  return !wanted || *wanted == d;
}

namespace {

// The first active entry of a non-deleted map, if any.
const ProcessMapEntry* first_active(const ProcessDestinationMap& m) {
  if (m.deleted) return nullptr;
  for (const auto& e : m.destinations)
    if (e.is_active) return &e;
  return nullptr;
}

bool feeds(FiltrationProcess map_process, AvailabilityProcess pool) {
  switch (map_process) {
    case FiltrationProcess::kPsv:
    case FiltrationProcess::kUnknown:
    case FiltrationProcess::kUpcoming:
      return pool == AvailabilityProcess::kPsv;
    case FiltrationProcess::kWest:
      return pool == AvailabilityProcess::kWest;
    case FiltrationProcess::kNoFilter:
      return pool == AvailabilityProcess::kSales;
  }
  return false;
}

}  // namespace

std::optional<std::string> routing_dependency(AvailabilityProcess pool,
                                              const std::vector<ProcessDestinationMap>& maps) {
  if (pool == AvailabilityProcess::kJunkAutomation) return std::nullopt;
  for (const auto& m : maps) {
    const ProcessMapEntry* e = first_active(m);
    if (e && feeds(m.process, pool))
      return "the " + std::string(to_string(m.process)) + " process map routes '" + e->name +
             "' to it";
  }
  if (pool == AvailabilityProcess::kSales) {
    for (const auto& m : maps) {
      if (const ProcessMapEntry* e = first_active(m))
        return "leads qualified from the " + std::string(to_string(m.process)) + " process map ('" +
               e->name + "') enter the CRM phase";
    }
  }
  return std::nullopt;
}

bool pool_keeps_a_poc(const std::vector<Availability>& pool, const std::vector<Id>& leaving) {
  return std::any_of(pool.begin(), pool.end(), [&](const Availability& a) {
    return a.is_available && !a.deleted &&
           std::find(leaving.begin(), leaving.end(), a.id) == leaving.end();
  });
}

Status ensure_pool_keeps_a_poc(WriteTx& tx, AvailabilityProcess pool,
                               const std::vector<Id>& leaving) {
  auto members = tx.pool_for_update(pool);
  if (!members) return members.error();
  const bool any_leaving =
      std::any_of(members->begin(), members->end(), [&](const Availability& a) {
        return a.is_available && !a.deleted &&
               std::find(leaving.begin(), leaving.end(), a.id) != leaving.end();
      });
  if (!any_leaving || pool_keeps_a_poc(*members, leaving)) return ok_status();
  auto maps = tx.list_process_maps(false);
  if (!maps) return maps.error();
  auto reason = routing_dependency(pool, *maps);
  if (!reason) return ok_status();
  return Error::conflict("this would leave the " + std::string(to_string(pool)) +
                         " pool without an available POC, and routing depends on it (" + *reason +
                         "); make another POC of the pool available first");
}

namespace {

// The input with the rules of an availability applied: the person's id canonical, the sources
// de-duplicated; every broken rule added to `errors`.
struct CheckedAvailability {
  std::optional<Id> person_id;
  std::optional<std::vector<Platform>> source;
};

CheckedAvailability check(const AvailabilityInput& in, bool creating,
                          std::vector<FieldError>& errors) {
  CheckedAvailability out;
  if (in.person_id) {
    if (auto id = canonical_id(*in.person_id))
      out.person_id = *id;
    else
      errors.push_back({"personId", "must be a user _id (24 hex digits)"});
  }
  if (in.source) {
    out.source.emplace();
    for (auto p : *in.source)
      if (std::find(out.source->begin(), out.source->end(), p) == out.source->end())
        out.source->push_back(p);
  }
  if (creating) {
    require_field(errors, in.person_id.has_value(), "personId");
    require_field(errors, in.process.has_value(), "process");
  }
  return out;
}

// Applies the shifts and leave given to `s`.
void apply_schedule(const AvailabilityInput& in, WorkSchedule& s) {
  if (in.shifts) s.shifts = *in.shifts;
  if (in.leave) s.leave = *in.leave;
}

// Adds a FieldError at personId unless the user exists, is active, is not deleted and (when the
// process is known) fits the process; returns the user when found.
Result<std::optional<User>> check_person(ReadTx& tx, const Id& person_id,
                                         std::optional<AvailabilityProcess> process,
                                         std::vector<FieldError>& errors) {
  auto user = tx.get_user(person_id);
  if (!user) return user.error();
  if (!*user || (*user)->deleted) {
    errors.push_back({"personId", "no user has this _id"});
    return std::optional<User>();
  }
  const User& u = **user;
  if (!u.is_active)
    errors.push_back({"personId", "the user is not active"});
  else if (process && !department_fits(*process, u.department))
    errors.push_back({"personId", "a user of department " + std::string(to_string(u.department)) +
                                      " cannot work the " + std::string(to_string(*process)) +
                                      " pool (needs " +
                                      std::string(to_string(*department_for(*process))) + ")"});
  return user;
}

// Resolves the destination references, de-duplicated by _id.
Result<std::vector<NamedRef>> resolve_destinations(
    ReadTx& tx, const std::vector<std::optional<DestinationRef>>& refs,
    std::vector<FieldError>& errors) {
  std::vector<NamedRef> out;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (!refs[i]) continue;
    auto d =
        resolve_destination_ref(tx, *refs[i], "destinations[" + std::to_string(i) + "]", errors);
    if (!d) return d.error();
    if (!*d) continue;
    const Id& id = (*d)->id;
    if (std::none_of(out.begin(), out.end(), [&](const NamedRef& r) { return r.id == id; }))
      out.push_back(NamedRef{id, (*d)->name});
  }
  return out;
}

Result<Availability> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no availability with _id '" + raw_id + "'");
  auto a = tx.get_availability(*id);
  if (!a) return a.error();
  if (!*a || (*a)->deleted) return Error::not_found("no availability with _id '" + raw_id + "'");
  return **a;
}

// Sets leadCount to the pool's least count (the POC is entering rotation).
Status catch_up(WriteTx& tx, Availability& a) {
  auto pool = tx.pool_for_update(a.process);
  if (!pool) return pool.error();
  a.lead_count = catch_up_lead_count(a, *pool);
  return ok_status();
}

}  // namespace

Result<Availability> create_availability(AppContext& ctx, const AvailabilityInput& given,
                                         const std::optional<Id>& actor) {
  std::vector<FieldError> decode_errors = given.decode_errors;
  const CheckedAvailability in = check(given, true, decode_errors);
  Availability out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    std::vector<FieldError> errors = decode_errors;
    std::optional<User> person;
    if (in.person_id) {
      auto u = check_person(tx, *in.person_id, given.process, errors);
      if (!u) return u.error();
      person = *u;
    }
    std::vector<NamedRef> destinations;
    if (given.destinations) {
      auto d = resolve_destinations(tx, *given.destinations, errors);
      if (!d) return d.error();
      destinations = std::move(*d);
    }
    if (!errors.empty()) return Error::validation(std::move(errors), "the availability is invalid");

    auto same = tx.list_availabilities(AvailabilityFilter{given.process, in.person_id, false});
    if (!same) return same.error();
    if (!same->empty())
      return Error::conflict(person->display_name() + " already has an availability in the " +
                             std::string(to_string(*given.process)) + " pool (_id " +
                             same->front().id + "); change that one");

    Availability a;
    a.id = ctx.new_id();
    a.person_id = *in.person_id;
    a.person_name = person->display_name();
    a.process = *given.process;
    a.is_available = given.is_available.value_or(true);
    a.source = in.source.value_or(std::vector<Platform>{});
    a.destinations = std::move(destinations);
    a.seq = given.seq.value;
    apply_schedule(given, a.schedule);
    given.rules.apply_to(a.rules);
    a.created_by = a.modified_by = actor;
    a.created_at = a.updated_at = ctx.now();
    if (a.is_available)
      if (auto c = catch_up(tx, a); !c) return c;
    if (auto ins = tx.insert_availability(a); !ins) return ins;
    if (a.is_available)
      if (auto w = assign_waiting(ctx, tx, a.process, actor); !w) return w.error();
    out = std::move(a);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Availability>> list_availabilities(AppContext& ctx, AvailabilityFilter filter) {
  filter.include_deleted = false;
  std::vector<Availability> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_availabilities(filter);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<Availability> get_availability(AppContext& ctx, const Id& id) {
  Availability out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto a = load(tx, id);
    if (!a) return a.error();
    out = std::move(*a);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<Availability> update_availability(AppContext& ctx, const Id& id,
                                         const AvailabilityInput& given,
                                         const std::optional<Id>& actor) {
  std::vector<FieldError> decode_errors = given.decode_errors;
  const CheckedAvailability in = check(given, false, decode_errors);
  Availability out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    const Availability before = *found;
    Availability a = before;
    std::vector<FieldError> errors = decode_errors;
    if (in.person_id && *in.person_id != a.person_id)
      errors.push_back({"personId", "cannot change; create an availability for the other user"});
    if (given.process && *given.process != a.process)
      errors.push_back({"process", "cannot change; create an availability in the other pool"});
    if (given.destinations) {
      auto d = resolve_destinations(tx, *given.destinations, errors);
      if (!d) return d.error();
      a.destinations = std::move(*d);
    }
    if (!errors.empty()) return Error::validation(std::move(errors), "the availability is invalid");

    if (given.is_available) a.is_available = *given.is_available;
    if (in.source) a.source = *in.source;
    if (given.seq.given) a.seq = given.seq.value;
    apply_schedule(given, a.schedule);
    given.rules.apply_to(a.rules);
    if (!before.is_available && a.is_available) {
      auto user = tx.get_user(a.person_id);
      if (!user) return user.error();
      if (!*user || (*user)->deleted || !(*user)->is_active)
        return Error::conflict("cannot enable: the user " + a.person_name +
                               " is not active; activate the user first");
      a.person_name = (*user)->display_name();
      if (auto c = catch_up(tx, a); !c) return c;
    }
    if (before.is_available && !a.is_available)
      if (auto keep = ensure_pool_keeps_a_poc(tx, a.process, {a.id}); !keep) return keep;
    a.modified_by = actor;
    a.updated_at = ctx.now();
    if (auto up = tx.update_availability(a); !up) return up;
    if (a.is_available)
      if (auto w = assign_waiting(ctx, tx, a.process, actor); !w) return w.error();
    out = std::move(a);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<WorkStatus>> work_status(const AppContext& ctx, std::vector<Availability> pocs) {
  auto at = work_time_at(ctx, ctx.now());
  if (!at) return at.error();
  std::vector<WorkStatus> out;
  for (auto& a : pocs) {
    auto why = not_working(a.schedule, *at);
    out.push_back(WorkStatus{std::move(a), why});
  }
  return out;
}

namespace {

Error in_no_pool() {
  return Error::not_found("you are in no pool (an admin adds you with an availability)");
}

// Sets (until) or clears (nullopt) the check-out of every POC of the person, then assigns the
// leads waiting for the pools of those now working.
Result<std::vector<WorkStatus>> set_check_out(AppContext& ctx, const Id& person_id,
                                              std::optional<Timestamp> until) {
  std::vector<Availability> pocs;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto mine = tx.list_availabilities(AvailabilityFilter{std::nullopt, person_id, false});
    if (!mine) return mine.error();
    if (mine->empty()) return in_no_pool();
    for (auto& a : *mine) {
      // Lock the pool, then read the POC again: its last writer may have changed it meanwhile.
      auto fresh = tx.get_availability(a.id);
      if (!fresh) return fresh.error();
      if (!*fresh) continue;
      a = std::move(**fresh);
      a.schedule.checked_out_until = until;
      a.modified_by = person_id;
      a.updated_at = ctx.now();
      if (auto up = tx.update_availability(a); !up) return up;
    }
    if (!until) {
      for (const auto& a : *mine)
        if (a.is_available)
          if (auto w = assign_waiting(ctx, tx, a.process, person_id); !w) return w.error();
    }
    pocs = std::move(*mine);
    return ok_status();
  });
  if (!s) return s.error();
  return work_status(ctx, std::move(pocs));
}

}  // namespace

Result<std::vector<WorkStatus>> my_work(AppContext& ctx, const Id& person_id) {
  auto mine = list_availabilities(ctx, AvailabilityFilter{std::nullopt, person_id, false});
  if (!mine) return mine.error();
  if (mine->empty()) return in_no_pool();
  return work_status(ctx, std::move(*mine));
}

Result<std::vector<WorkStatus>> check_out(AppContext& ctx, const Id& person_id) {
  auto day = business_day(ctx.now(), ctx.config.timezone);
  if (!day) return day.error();
  return set_check_out(ctx, person_id, day->end);
}

Result<std::vector<WorkStatus>> check_in(AppContext& ctx, const Id& person_id) {
  return set_check_out(ctx, person_id, std::nullopt);
}

Status delete_availability(AppContext& ctx, const Id& id, const std::optional<Id>& actor) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    Availability a = *found;
    if (a.is_available)
      if (auto keep = ensure_pool_keeps_a_poc(tx, a.process, {a.id}); !keep) return keep;
    a.deleted = true;
    a.modified_by = actor;
    a.updated_at = ctx.now();
    return tx.update_availability(a);
  });
}

}  // namespace leadproc
