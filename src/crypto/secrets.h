// Random secrets and their digests, for bearer tokens and API keys. Only digests are stored: a
// copy of the database gives nobody a working token or key.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace leadproc {

// `prefix` followed by `bytes` bytes from the kernel's CSPRNG (getrandom), base64url without
// padding (32 bytes -> 43 characters). Throws std::runtime_error if the kernel gives no entropy
// (a broken system, not an expected failure).
std::string random_token(std::string_view prefix, std::size_t bytes = 32);

// Lower-case hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key` (64 characters), e.g. a webhook signature.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// The raw (32-byte) HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Standard base64 (RFC 4648 section 4, '='-padded) of `data`, and back (nullopt: not base64;
// padding is optional).
std::string base64(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);
// `bytes` bytes from the kernel's CSPRNG, in standard base64 (a webhook secret's key).
std::string random_base64(std::size_t bytes);

// Constant-time equality (the time depends on the lengths only).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace leadproc
