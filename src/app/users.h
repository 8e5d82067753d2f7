// Configuration API: users (the spec's `users`): the profile, department, activity and password.
// Every function runs one store transaction (passwords are hashed before it starts).
//
// The input (UserInput; the HTTP body is decoded by http/decode_users.h, the CLI's `user create`
// fills it in): `email` (required on create; trimmed, lower-cased, an address shape, unique among
// non-deleted users, else 409), `firstName`, `lastName` (trimmed, at most 100 characters; "" or
// null clears), `phone` ({countryCode, number}, each trimmed and non-empty, or null),
// `department` (required on create), `isActive` (default true), `password` (create only, checked
// against password_policy_violation() in passwords.h and stored as a bcrypt hash; PATCH refuses
// it: use set_user_password).
//
// Leaving rotation with the user: deactivating a user (POST .../deactivate, or PATCH isActive
// false) sets isAvailable=false on their availabilities; deleting one soft-deletes them. Both end
// every session of the user at once (they are logged out everywhere). Neither leaves a lead with
// someone who cannot work it: while the user holds open opportunities, PATCH and DELETE are
// refused (409) and POST .../deactivate needs a handover (deactivate_user). Either
// is refused with 409 when it would leave a pool that routing depends on without an available
// POC (ensure_pool_keeps_a_poc, as for availabilities). Changing the department is refused with
// 409 while the user has availabilities in a pool the new department cannot work. A changed name
// is carried into the availabilities' personName.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/handover.h"
#include "app/input.h"

namespace leadproc {

// A phone as given: each part checked (trimmed, non-empty) when present.
struct PhoneInput {
  std::optional<std::string> country_code;
  std::optional<std::string> number;
};

// A user to create, or the changes of a PATCH (absent: nullopt, or Patch::given false).
struct UserInput {
  std::optional<std::string> email;
  Patch<std::string> first_name;
  Patch<std::string> last_name;
  Patch<PhoneInput> phone;
  std::optional<Department> department;
  std::optional<bool> is_active;
  std::optional<std::string> password;    // create only
  std::vector<FieldError> decode_errors;  // what the decoder found (types, refused fields)
};

Result<User> create_user(AppContext& ctx, const UserInput& in,
                         const std::optional<Id>& actor = std::nullopt);
// Non-deleted users, filtered by department and isActive (include_deleted is ignored).
Result<std::vector<User>> list_users(AppContext& ctx, UserFilter filter);
// 404 if the id is not 24 hex digits, unknown, or deleted.
Result<User> get_user(AppContext& ctx, const Id& id);
// PATCH: only the given fields change.
Result<User> update_user(AppContext& ctx, const Id& id, const UserInput& in,
                         const std::optional<Id>& actor = std::nullopt);
// isActive=false (idempotent: an inactive user is returned unchanged), with the user's open
// opportunities handed over in the same transaction (app/handover.h): while they hold any, a
// handover is required (409 naming how many; `*open_count` is set to it), and if one lead cannot
// be handed over nothing changes (422 naming why). An inactive user's leftovers can be handed
// over the same way.
Result<User> deactivate_user(AppContext& ctx, const Id& id, const Handover& handover = {},
                             const std::optional<Id>& actor = std::nullopt,
                             int* open_count = nullptr);
// Soft delete (deleted=true, isActive=false).
Status delete_user(AppContext& ctx, const Id& id, const std::optional<Id>& actor = std::nullopt);

// Sets the user's password (policy: 422 on field `password`) and ends all their sessions.
// 404 as for get_user.
Result<User> set_user_password(AppContext& ctx, const Id& id, std::string_view password,
                               const std::optional<Id>& actor = std::nullopt);

// The people directory (GET /api/v1/people): what every signed-in user may know of a colleague,
// so that a client can show a name where a record holds a user id (opportunityOwner,
// activityBy, createdBy, owner) and offer colleagues to hand work to. Nothing else of the user:
// no email, phone, password data or audit fields.
struct PersonEntry {
  Id id;
  // "First Last" as elsewhere (User::display_name), but never the email: nullopt when the user
  // has neither a first nor a last name.
  std::optional<std::string> name;
  Department department = Department::kSales;
  bool is_active = true;  // false for deactivated and deleted users
};
// Every user, deleted ones included (as inactive: the records they wrote still name them), in
// the store's order of users.
Result<std::vector<PersonEntry>> list_people(AppContext& ctx);

// Pure: a plausible address: no spaces, one '@' with text before it, and a domain with a dot
// that neither starts nor ends it; at most 254 characters.
bool looks_like_email(std::string_view email);

}  // namespace leadproc
