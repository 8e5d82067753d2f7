// Webhook signatures per Standard Webhooks 1.0 (https://www.standardwebhooks.com; docs/events.md
// "Verifying a delivery"). A secret is "whsec_" + base64 of its key bytes; the signature of a
// delivery is "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), one per
// secret that signs, separated by spaces (during a rotation the new and the old secret both sign,
// so a subscriber holding either verifies it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc {

inline constexpr std::string_view kWebhookSecretPrefix = "whsec_";

// A new secret: "whsec_" + base64 of 32 random bytes.
std::string new_webhook_secret();

// The key bytes of "whsec_<base64>" (the prefix is optional, as in the reference libraries);
// nullopt when the rest is not base64 or decodes to fewer than 24 bytes or more than 64 (the
// range the standard gives).
std::optional<std::string> webhook_secret_key(std::string_view secret);

// The webhook-signature header for `body` sent as `id` at `timestamp` (Unix seconds), signed
// with each of `keys` (key bytes, from webhook_secret_key) in order.
std::string webhook_signature(const std::vector<std::string>& keys, std::string_view id,
                              std::int64_t timestamp, std::string_view body);

// True iff one of the space-separated "v1,<base64>" signatures of `header` is `key`'s signature
// of (id, timestamp, body), compared in constant time: what a subscriber does (the tests do it).
bool verify_webhook_signature(std::string_view key, std::string_view header, std::string_view id,
                              std::int64_t timestamp, std::string_view body);

}  // namespace leadproc
