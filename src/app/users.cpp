#include "app/users.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/handover.h"
#include "app/passwords.h"
#include "codec/field_reader.h"

namespace leadproc {
namespace json = boost::json;

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

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string join(const std::vector<std::string_view>& values) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// A field that PATCH may set to a value or clear with null.
template <typename T>
struct Patch {
  bool given = false;
  std::optional<T> value;
};

struct UserInput {
  std::optional<std::string> email;
  Patch<std::string> first_name;
  Patch<std::string> last_name;
  Patch<PhoneParts> phone;
  std::optional<Department> department;
  std::optional<bool> is_active;
  std::optional<std::string> password;  // create only; checked against the policy
};

Patch<std::string> name_field(codec::FieldReader& r, const json::object& body,
                              std::string_view key) {
  Patch<std::string> p;
  if (is_explicit_null(body, key)) {
    p.given = true;
  } else if (auto v = r.string(key)) {
    p.given = true;
    std::string t = trimmed(*v);
    if (t.size() > 100) r.fail(key, "must be at most 100 characters");
    if (!t.empty()) p.value = std::move(t);  // "" clears, like null
  }
  return p;
}

UserInput decode(const json::object& body, bool creating, std::vector<FieldError>& errors) {
  codec::FieldReader r(body, errors);
  UserInput in;
  if (auto email = r.string("email", creating)) {
    std::string e = lower(trimmed(*email));
    if (!looks_like_email(e))
      r.fail("email", "is not an email address");
    else
      in.email = std::move(e);
  }
  in.first_name = name_field(r, body, "firstName");
  in.last_name = name_field(r, body, "lastName");
  if (is_explicit_null(body, "phone")) {
    in.phone.given = true;
  } else if (const auto* phone = r.object("phone")) {
    codec::FieldReader pr(*phone, errors, "phone.");
    auto cc = pr.string("countryCode", true);
    auto number = pr.string("number", true);
    if (cc && trimmed(*cc).empty()) pr.fail("countryCode", "must not be empty");
    if (number && trimmed(*number).empty()) pr.fail("number", "must not be empty");
    in.phone.given = true;
    if (cc && number) in.phone.value = PhoneParts{trimmed(*cc), trimmed(*number)};
  }
  if (auto d = r.string("department", creating)) {
    in.department = parse_department(*d);
    if (!in.department) r.fail("department", "must be one of: " + join(all_departments()));
  }
  in.is_active = r.boolean("isActive");
  if (!creating) {
    for (auto key : {"email", "department", "isActive"})
      if (is_explicit_null(body, key)) r.fail(key, "must not be null");
  }
  if (body.contains("credentials")) r.fail("credentials", "cannot be set through this API");
  if (auto pw = r.string("password")) {
    if (!creating)
      r.fail("password", "is set with POST /api/v1/users/{id}/password");
    else if (auto why = password_policy_violation(*pw))
      r.fail("password", *why);
    else
      in.password = std::move(*pw);
  }
  if (auto deleted = r.boolean("deleted"); deleted && *deleted)
    r.fail("deleted", "is set by DELETE only");
  return in;
}

// 409 if another non-deleted user has this (lower-case) email.
Status check_email_free(ReadTx& tx, const std::string& email, const Id& self) {
  auto users = tx.list_users(UserFilter{});
  if (!users) return users.error();
  for (const auto& u : *users)
    if (!u.deleted && u.id != self && lower(u.email) == email)
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

Result<User> create_user(AppContext& ctx, const json::object& body,
                         const std::optional<Id>& actor) {
  std::vector<FieldError> errors;
  UserInput in = decode(body, true, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the user is invalid");
  std::string credentials;
  if (in.password) {  // hashed before the transaction: bcrypt is slow, the writer is shared
    auto hashed = hash_password(*in.password, ctx.config.auth.bcrypt_cost);
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
    u.department = *in.department;
    u.is_active = in.is_active.value_or(true);
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

Result<User> update_user(AppContext& ctx, const Id& id, const json::object& body,
                         const std::optional<Id>& actor) {
  std::vector<FieldError> errors;
  UserInput in = decode(body, false, errors);
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
    if (in.department && *in.department != u.department) {
      if (auto c = check_department_change(tx, u, *in.department); !c) return c;
      u.department = *in.department;
    }
    int open_count = 0;
    if (in.is_active && u.is_active && !*in.is_active)
      if (auto r = leave(ctx, tx, u, false, Handover{}, actor, open_count); !r) return r;
    if (in.is_active) u.is_active = *in.is_active;
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
