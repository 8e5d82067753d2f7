// Passwords: bcrypt through libcrypt (libxcrypt), and the password policy.
//
// Hashing and checking are slow on purpose (cost 12 takes ~220 ms on one core): call them only
// from worker threads or the command line, never on a network thread, and never inside a store
// transaction (it would hold the writer that long).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace leadproc {

inline constexpr int kMinBcryptCost = 4;
inline constexpr int kMaxBcryptCost = 31;

// A new `$2b$` bcrypt hash of `password` with a random salt, at `cost` (kMinBcryptCost..
// kMaxBcryptCost, else kValidation). kInternal if libcrypt fails.
Result<std::string> hash_password(std::string_view password, int cost);

// True iff `password` matches `hash`. Takes the bcrypt variants of other implementations
// (`$2a$`, `$2b$`, `$2y$`, as PHP, Node's bcrypt and OpenBSD write them); the comparison is
// constant-time. False for an empty or malformed hash and for a password containing NUL.
bool verify_password(std::string_view password, const std::string& hash);

// The minimum policy for a new password; nullopt when acceptable, else the reason:
// - 10 to 72 bytes (bcrypt ignores what follows byte 72; refusing is clearer than truncating);
// - no control characters (NUL would end the string libcrypt sees);
// - not one of the most common passwords, whatever its case (common_passwords.h);
// - at least two kinds of character among lower-case letters, upper-case letters, digits and
//   others (spaces, punctuation and non-ASCII characters count as others).
std::optional<std::string> password_policy_violation(std::string_view password);

}  // namespace leadproc
