#include "crypto/bcrypt.h"

#include <crypt.h>

#include <memory>

#include "crypto/secrets.h"

namespace leadproc {

std::optional<std::string> bcrypt_hash(std::string_view password, int cost) {
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) return std::nullopt;
  if (password.find('\0') != std::string_view::npos) return std::nullopt;
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt) ==
      nullptr)
    return std::nullopt;
  // crypt_data is ~32 KiB: on the heap, not on a worker's stack.
  auto data = std::make_unique<crypt_data>();
  const std::string plain(password);
  const char* out = crypt_r(plain.c_str(), salt, data.get());
  if (out == nullptr || out[0] == '*') return std::nullopt;
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (hash.size() < 4 || hash[0] != '$') return false;
  if (password.find('\0') != std::string_view::npos) return false;
  auto data = std::make_unique<crypt_data>();
  const std::string plain(password);
  const char* out = crypt_r(plain.c_str(), hash.c_str(), data.get());
  if (out == nullptr || out[0] == '*') return false;
  return constant_time_equals(out, hash);
}

}  // namespace leadproc
