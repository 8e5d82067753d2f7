#include "app/passwords.h"

#include "app/common_passwords.h"

namespace leadproc {

Result<std::string> hash_password(std::string_view password, int cost) {
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost)
    return Error::validation({{"bcryptCost", "must be from 4 to 31"}}, "bad bcrypt cost");
  if (password.find('\0') != std::string_view::npos)
    return Error::validation({{"password", "must not contain NUL"}});
  auto hashed = bcrypt_hash(password, cost);
  if (!hashed) return Error::internal("bcrypt hashing failed");
  return std::move(*hashed);
}

std::optional<std::string> password_policy_violation(std::string_view password) {
  if (password.size() < 10) return "must be at least 10 characters";
  if (password.size() > 72) return "must be at most 72 bytes";
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7f) return "must not contain control characters";
    if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      other = true;
  }
  if (is_common_password(password)) return "is one of the most common passwords; choose another";
  if (int{lower} + int{upper} + int{digit} + int{other} < 2)
    return "must mix at least two kinds of character (lower case, upper case, digits, others)";
  return std::nullopt;
}

}  // namespace leadproc
