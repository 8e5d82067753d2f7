// bcrypt through libcrypt (libxcrypt): hashing a password and checking one against a hash. What
// a password must be (the policy) and how a bad one is reported are app/passwords.h's.
//
// Both are slow on purpose (cost 12 takes ~220 ms on one core): call them only from worker
// threads or the command line, never on a network thread, and never inside a store transaction
// (it would hold the writer that long).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadproc {

inline constexpr int kMinBcryptCost = 4;
inline constexpr int kMaxBcryptCost = 31;

// A new `$2b$` bcrypt hash of `password` with a random salt, at `cost`. nullopt when the cost is
// outside kMinBcryptCost..kMaxBcryptCost, the password contains NUL (libcrypt would see a shorter
// one) or libcrypt fails.
std::optional<std::string> bcrypt_hash(std::string_view password, int cost);

// True iff `password` matches `hash`. Takes the bcrypt variants of other implementations
// (`$2a$`, `$2b$`, `$2y$`, as PHP, Node's bcrypt and OpenBSD write them); the comparison is
// constant-time. False for an empty or malformed hash and for a password containing NUL.
bool verify_password(std::string_view password, const std::string& hash);

}  // namespace leadproc
