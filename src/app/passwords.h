// Passwords: the policy for a new one, and hashing it as a use case reports problems (the
// hashing and checking themselves, bcrypt through libcrypt, are crypto/bcrypt.h's).
//
// Hashing is slow on purpose (cost 12 takes ~220 ms on one core): call hash_password only from
// worker threads or the command line, never on a network thread, and never inside a store
// transaction (it would hold the writer that long).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/bcrypt.h"
#include "domain/result.h"

namespace leadproc {

// A new `$2b$` bcrypt hash of `password` with a random salt, at `cost` (kMinBcryptCost..
// kMaxBcryptCost, else kValidation naming bcryptCost; a password containing NUL: kValidation
// naming password). kInternal if libcrypt fails.
Result<std::string> hash_password(std::string_view password, int cost);

// The minimum policy for a new password; nullopt when acceptable, else the reason:
// - 10 to 72 bytes (bcrypt ignores what follows byte 72; refusing is clearer than truncating);
// - no control characters (NUL would end the string libcrypt sees);
// - not one of the most common passwords, whatever its case (common_passwords.h);
// - at least two kinds of character among lower-case letters, upper-case letters, digits and
//   others (spaces, punctuation and non-ASCII characters count as others).
std::optional<std::string> password_policy_violation(std::string_view password);

}  // namespace leadproc
