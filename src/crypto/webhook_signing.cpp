#include "crypto/webhook_signing.h"

#include "crypto/secrets.h"

namespace leadproc {
namespace {

constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kMinKeyBytes = 24;
constexpr std::size_t kMaxKeyBytes = 64;

std::string signed_content(std::string_view id, std::int64_t timestamp, std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  return content;
}

}  // namespace

std::string new_webhook_secret() {
  return std::string(kWebhookSecretPrefix) + random_base64(kSecretBytes);
}

std::optional<std::string> webhook_secret_key(std::string_view secret) {
  if (secret.starts_with(kWebhookSecretPrefix)) secret.remove_prefix(kWebhookSecretPrefix.size());
  auto key = base64_decode(secret);
  if (!key || key->size() < kMinKeyBytes || key->size() > kMaxKeyBytes) return std::nullopt;
  return key;
}

std::string webhook_signature(const std::vector<std::string>& keys, std::string_view id,
                              std::int64_t timestamp, std::string_view body) {
  const std::string content = signed_content(id, timestamp, body);
  std::string out;
  for (const std::string& key : keys) {
    if (!out.empty()) out += ' ';
    out += "v1,";
    out += base64(hmac_sha256(key, content));
  }
  return out;
}

bool verify_webhook_signature(std::string_view key, std::string_view header, std::string_view id,
                              std::int64_t timestamp, std::string_view body) {
  const std::string expected =
      "v1," + base64(hmac_sha256(key, signed_content(id, timestamp, body)));
  bool found = false;
  while (!header.empty()) {
    const auto space = header.find(' ');
    const std::string_view one = header.substr(0, space);
    if (constant_time_equals(one, expected)) found = true;
    if (space == std::string_view::npos) break;
    header.remove_prefix(space + 1);
  }
  return found;
}

}  // namespace leadproc
