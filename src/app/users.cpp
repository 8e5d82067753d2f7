#include "app/users.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/handover.h"
#include "app/passwords.h"
#include "domain/text.h"

namespace leadproc {
bool looks_like_email(std::string_view email) {
  if (email.empty() || email.size() > 254) return false;
  if (std::any_of(email.begin(), email.end(),
                  [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); }))
    return false;
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = email.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

namespace {

// The input with the rules of a user applied: names trimmed ("" clears), the email trimmed and
// lower-cased, the phone's parts trimmed; every broken rule added to `errors`.
struct CheckedUser {
  std::optional<std::string> email;
  Patch<std::string> first_name;
  Patch<std::string> last_name;
  Patch<PhoneParts> phone;
};

Patch<std::string> checked_name(const Patch<std::string>& given, std::string_view field,
                                std::vector<FieldError>& errors) {
  Patch<std::string> p;
  p.given = given.given;
  if (!given.value) return p;
  std::string t(trim(*given.value));
  if (t.size() > 100) errors.push_back({std::string(field), "must be at most 100 characters"});
  if (!t.empty()) p.value = std::move(t);  // "" clears, like null
  return p;
}

CheckedUser check(const UserInput& in, bool creating, std::vector<FieldError>& errors) {
  CheckedUser out;
  if (in.email) {
    std::string e = lower_ascii(trim(*in.email));
    if (!looks_like_email(e))
      errors.push_back({"email", "is not an email address"});
    else
      out.email = std::move(e);
  }
  out.first_name = checked_name(in.first_name, "firstName", errors);
  out.last_name = checked_name(in.last_name, "lastName", errors);
  out.phone.given = in.phone.given;
  if (in.phone.value) {
    const auto& cc = in.phone.value->country_code;
    const auto& number = in.phone.value->number;
    if (cc && trim(*cc).empty()) errors.push_back({"phone.countryCode", "must not be empty"});
    if (number && trim(*number).empty()) errors.push_back({"phone.number", "must not be empty"});
    if (cc && number)
      out.phone.value = PhoneParts{std::string(trim(*cc)), std::string(trim(*number))};
  }
  if (creating && in.password)
    if (auto why = password_policy_violation(*in.password)) errors.push_back({"password", *why});
  if (creating) {
    require_field(errors, in.email.has_value(), "email");
    require_field(errors, in.department.has_value(), "department");
  }
  return out;
}

// 409 if another non-deleted user has this (lower-case) email.
Status check_email_free(ReadTx& tx, const std::string& email, const Id& self) {
  auto users = tx.list_users(UserFilter{});
  if (!users) return users.error();
  for (const auto& u : *users)
    if (!u.deleted && u.id != self && lower_ascii(u.email) == email)
      return Error::conflict("a user with email '" + email + "' already exists (_id " + u.id + ")");
  return ok_status();
}

Result<User> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no user with _id '" + raw_id + "'");
  auto u = tx.get_user(*id);
  if (!u) return u.error();
  if (!*u || (*u)->deleted) return Error::not_found("no user with _id '" + raw_id + "'");
  return **u;
}

Result<std::vector<Availability>> pocs_of(ReadTx& tx, const Id& user_id) {
  AvailabilityFilter f;
  f.person_id = user_id;
  return tx.list_availabilities(f);
}

// Takes the user's availabilities out of rotation (isAvailable=false), or soft-deletes them when
// `remove`; refused (409) if a pool routing depends on would be left without an available POC.
Status retire_pocs(AppContext& ctx, WriteTx& tx, const User& u, bool remove,
                   const std::optional<Id>& actor) {
  auto pocs = pocs_of(tx, u.id);
  if (!pocs) return pocs.error();
  std::map<AvailabilityProcess, std::vector<Id>> leaving;
  for (const auto& a : *pocs)
    if (!a.deleted && a.is_available) leaving[a.process].push_back(a.id);
  for (const auto& [pool, ids] : leaving) {
    auto keep = ensure_pool_keeps_a_poc(tx, pool, ids);
    if (!keep)
      return Error::conflict("cannot " + std::string(remove ? "delete" : "deactivate") + " " +
                             u.display_name() + ": " + keep.error().detail);
  }
  // A user leaving (deactivated or deleted) is logged out everywhere at once.
  if (auto ended = tx.end_user_sessions(u.id); !ended) return ended.error();
  for (auto a : *pocs) {
    if (a.deleted || (!remove && !a.is_available)) continue;
    if (remove)
      a.deleted = true;
    else
      a.is_available = false;
    a.modified_by = actor;
    a.updated_at = ctx.now();
    if (auto s = tx.update_availability(a); !s) return s;
  }
  return ok_status();
}

// A user leaving (deactivated or deleted): out of rotation (retire_pocs), then their open
// opportunities handed over as `handover` says (409 without one while they hold any). Round
// robin runs after retire_pocs, so it never chooses the user who leaves.
Status leave(AppContext& ctx, WriteTx& tx, const User& u, bool remove, const Handover& handover,
             const std::optional<Id>& actor, int& open_count) {
  if (auto r = retire_pocs(ctx, tx, u, remove, actor); !r) return r;
  auto handed = hand_over(ctx, tx, u, handover, actor, open_count);
  if (!handed) return handed.error();
  return ok_status();
}

// 409 while the user has availabilities in a pool that department `d` cannot work.
Status check_department_change(ReadTx& tx, const User& u, Department d) {
  auto pocs = pocs_of(tx, u.id);
  if (!pocs) return pocs.error();
  for (const auto& a : *pocs)
    if (!a.deleted && !department_fits(a.process, d))
      return Error::conflict("cannot move " + u.display_name() + " to " +
                             std::string(to_string(d)) + ": the user has an availability in the " +
                             std::string(to_string(a.process)) + " pool (_id " + a.id +
                             "); delete it first");
  return ok_status();
}

Status rename_pocs(AppContext& ctx, WriteTx& tx, const User& u) {
  auto pocs = pocs_of(tx, u.id);
  if (!pocs) return pocs.error();
  for (auto a : *pocs) {
    if (a.deleted || a.person_name == u.display_name()) continue;
    a.person_name = u.display_name();
    a.updated_at = ctx.now();
    if (auto s = tx.update_availability(a); !s) return s;
  }
  return ok_status();
}

// Runs `fn` on the loaded user inside one write transaction and writes what it leaves.
Result<User> modify(AppContext& ctx, const Id& id,
                    const std::function<Status(WriteTx&, User&)>& fn) {
  User out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    User u = *found;
    if (auto f = fn(tx, u); !f) return f;
    if (auto up = tx.update_user(u); !up) return up;
    out = std::move(u);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace

Result<User> create_user(AppContext& ctx, const UserInput& given, const std::optional<Id>& actor) {
  std::vector<FieldError> errors = given.decode_errors;
  CheckedUser in = check(given, true, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the user is invalid");
  std::string credentials;
  if (given.password) {  // hashed before the transaction: bcrypt is slow, the writer is shared
    auto hashed = hash_password(*given.password, ctx.config.auth.bcrypt_cost);
    if (!hashed) return hashed.error();
    credentials = std::move(*hashed);
  }
  User out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    if (auto free = check_email_free(tx, *in.email, ""); !free) return free;
    User u;
    u.id = ctx.new_id();
    u.email = *in.email;
    u.first_name = in.first_name.value;
    u.last_name = in.last_name.value;
    u.phone = in.phone.value;
    u.department = *given.department;
    u.is_active = given.is_active.value_or(true);
    u.credentials = credentials;
    u.created_by = u.modified_by = actor;
    u.created_at = u.updated_at = ctx.now();
    if (auto ins = tx.insert_user(u); !ins) return ins;
    out = std::move(u);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<User>> list_users(AppContext& ctx, UserFilter filter) {
  filter.include_deleted = false;
  std::vector<User> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_users(filter);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<PersonEntry>> list_people(AppContext& ctx) {
  UserFilter filter;
  filter.include_deleted = true;
  std::vector<PersonEntry> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_users(filter);
    if (!all) return all.error();
    out.reserve(all->size());
    for (const auto& u : *all) {
      PersonEntry p{u.id, std::nullopt, u.department, u.is_active && !u.deleted};
      // As display_name(), without its fallback to the email, which the directory never shows.
      std::string name = u.first_name.value_or("");
      if (u.last_name && !u.last_name->empty()) name += (name.empty() ? "" : " ") + *u.last_name;
      if (!name.empty()) p.name = std::move(name);
      out.push_back(std::move(p));
    }
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<User> get_user(AppContext& ctx, const Id& id) {
  User out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto u = load(tx, id);
    if (!u) return u.error();
    out = std::move(*u);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<User> update_user(AppContext& ctx, const Id& id, const UserInput& given,
                         const std::optional<Id>& actor) {
  std::vector<FieldError> errors = given.decode_errors;
  if (given.password)
    errors.push_back({"password", "is set with POST /api/v1/users/{id}/password"});
  CheckedUser in = check(given, false, errors);
  return modify(ctx, id, [&](WriteTx& tx, User& u) -> Status {
    if (!errors.empty()) return Error::validation(errors, "the user is invalid");
    const std::string old_name = u.display_name();
    if (in.email && *in.email != u.email) {
      if (auto free = check_email_free(tx, *in.email, u.id); !free) return free;
      u.email = *in.email;
    }
    if (in.first_name.given) u.first_name = in.first_name.value;
    if (in.last_name.given) u.last_name = in.last_name.value;
    if (in.phone.given) u.phone = in.phone.value;
    if (given.department && *given.department != u.department) {
      if (auto c = check_department_change(tx, u, *given.department); !c) return c;
      u.department = *given.department;
    }
    int open_count = 0;
    if (given.is_active && u.is_active && !*given.is_active)
      if (auto r = leave(ctx, tx, u, false, Handover{}, actor, open_count); !r) return r;
    if (given.is_active) u.is_active = *given.is_active;
    if (u.display_name() != old_name)
      if (auto r = rename_pocs(ctx, tx, u); !r) return r;
    u.modified_by = actor;
    u.updated_at = ctx.now();
    return ok_status();
  });
}

Result<User> deactivate_user(AppContext& ctx, const Id& id, const Handover& handover,
                             const std::optional<Id>& actor, int* open_count) {
  int count = 0;
  auto out = modify(ctx, id, [&](WriteTx& tx, User& u) -> Status {
    if (!u.is_active) {  // idempotent; a handover still clears what an earlier exit left
      if (handover.kind == Handover::Kind::kNone) return ok_status();
      auto handed = hand_over(ctx, tx, u, handover, actor, count);
      if (!handed) return handed.error();
      return ok_status();
    }
    if (auto r = leave(ctx, tx, u, false, handover, actor, count); !r) return r;
    u.is_active = false;
    u.modified_by = actor;
    u.updated_at = ctx.now();
    return ok_status();
  });
  if (open_count) *open_count = count;
  return out;
}

Status delete_user(AppContext& ctx, const Id& id, const std::optional<Id>& actor) {
  auto done = modify(ctx, id, [&](WriteTx& tx, User& u) -> Status {
    int open_count = 0;
    if (auto r = leave(ctx, tx, u, true, Handover{}, actor, open_count); !r) return r;
    u.deleted = true;
    u.is_active = false;
    u.modified_by = actor;
    u.updated_at = ctx.now();
    return ok_status();
  });
  if (!done) return done.error();
  return ok_status();
}

Result<User> set_user_password(AppContext& ctx, const Id& id, std::string_view password,
                               const std::optional<Id>& actor) {
  if (auto why = password_policy_violation(password))
    return Error::validation({{"password", *why}}, "the password is not acceptable");
  auto hashed = hash_password(password, ctx.config.auth.bcrypt_cost);  // outside the transaction
  if (!hashed) return hashed.error();
  return modify(ctx, id, [&](WriteTx& tx, User& u) -> Status {
    u.credentials = *hashed;
    u.modified_by = actor;
    u.updated_at = ctx.now();
    // A new password ends every session opened with the old one.
    if (auto ended = tx.end_user_sessions(u.id); !ended) return ended.error();
    return ok_status();
  });
}

}  // namespace leadproc
