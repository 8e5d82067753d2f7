// Authentication use cases (PRODUCT.md "Users and access"; docs/api-auth.md): logging in and
// out, checking bearer tokens and API keys, issuing and revoking API keys, and purging what has
// expired. Secrets are random 32-byte tokens (secrets.h); only their SHA-256 is stored.
//
// Throttling is kept in the store (table of failed logins), not in memory, so that several
// instances behind a load balancer count together.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/context.h"

namespace leadproc {

inline constexpr std::string_view kSessionTokenPrefix = "lps_";
inline constexpr std::string_view kApiKeyPrefix = "lpk_";

struct LoginResult {
  std::string token;  // the bearer token: shown once, never stored
  Session session;
  User user;
};

// Logs in with an email and a password, from `client_address` (the peer's IP):
// - kValidation when the email or the password is missing;
// - kTooManyRequests, with retry_after_seconds, once AuthConfig::max_failed_logins failures were
//   recorded for the email or for the address within failed_login_window (the password is not
//   even checked then);
// - kUnauthorized "invalid email or password" for an unknown, inactive or deleted user, a user
//   without a password, or a wrong password: the same answer in every case, and about the same
//   time (an unknown email is checked against a dummy hash of the same cost). Each records a
//   failure for the email and for the address;
// - otherwise a new session lasting AuthConfig::session_ttl; the email's failures are forgotten.
// Slow (bcrypt): call from a worker thread.
Result<LoginResult> login(AppContext& ctx, std::string_view email, std::string_view password,
                          std::string_view client_address);

// The user behind a bearer token: kUnauthorized unless the session exists, is active, has not
// expired, and its user is active and not deleted. The department is read from the user now, so
// a change of department applies to open sessions at once.
Result<Principal> authenticate_token(AppContext& ctx, std::string_view token);

// The lead source behind an API key: kUnauthorized for an unknown or revoked key. Records when
// the key was last used (at most once a minute, best effort).
Result<Principal> authenticate_api_key(AppContext& ctx, std::string_view key);

// Ends the principal's session (a user's); idempotent.
Status logout(AppContext& ctx, const Principal& principal);

struct IssuedApiKey {
  ApiKey key;
  std::string secret;  // the key itself: shown once, never stored
};

// Body: `name` (required, 1..100 characters), `platform` (required: the leadSource.platform of
// leads sent with the key that name none). The key is a random token prefixed "lpk_".
Result<IssuedApiKey> issue_api_key(AppContext& ctx, const boost::json::object& body,
                                   const std::optional<Id>& actor);
// Stores a key with a chosen secret (demo data, whose key must be printable again); kConflict if
// that secret is already stored.
Result<IssuedApiKey> install_api_key(AppContext& ctx, std::string name, Platform platform,
                                     std::string secret, const std::optional<Id>& actor);
// Every key, revoked ones too, oldest first.
Result<std::vector<ApiKey>> list_api_keys(AppContext& ctx);
// 404 for an unknown id.
Result<ApiKey> get_api_key(AppContext& ctx, const Id& id);
// Revokes the key (it stops working at once); idempotent. 404 for an unknown id.
Result<ApiKey> revoke_api_key(AppContext& ctx, const Id& id);

struct PurgeResult {
  int sessions = 0;        // expired or ended sessions deleted
  int login_failures = 0;  // failures older than the throttling window deleted
};
// Deletes expired and ended sessions and stale failed logins. Run periodically.
Result<PurgeResult> purge_expired_auth(AppContext& ctx);

}  // namespace leadproc
