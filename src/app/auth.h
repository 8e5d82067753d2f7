// Authentication use cases (PRODUCT.md "Users and access"; docs/api-auth.md): logging in and
// out, checking bearer tokens and API keys, issuing and revoking API keys, and purging what has
// expired. Secrets are random 32-byte tokens (secrets.h); only their SHA-256 is stored.
//
// Throttling (domain/login_throttle.h) is kept in the store (login_throttles), not in memory, so
// that several instances behind a load balancer count together.
#pragma once

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

// What a login attempt came to, for the log and /metrics (the HTTP layer logs and counts it; app
// code knows neither).
enum class LoginOutcome {
  kSucceeded,
  kFailed,            // wrong password, unknown or unusable account
  kThrottledPair,     // refused unchecked: this account from this address is delayed
  kThrottledAddress,  // refused unchecked: this address is delayed
  kInvalid,           // email or password missing
  kError,             // the store failed
};
std::string_view to_string(LoginOutcome o);

struct LoginAudit {
  LoginOutcome outcome = LoginOutcome::kError;
  bool password_checked = false;  // a bcrypt check ran (the account's hash or the dummy one)
  std::optional<Id> user_id;      // the account the email names, if any (never the email typed)
  int pair_failures = 0;          // failures counted for (account, address), this one included
  int address_failures = 0;       // failures counted for the address, this one included
  int retry_after_seconds = 0;    // when throttled
};

// Logs in with an email and a password, from `client_address` (the client's IP), filling `audit`:
// - kValidation when the email or the password is missing;
// - kTooManyRequests, with retry_after_seconds, while a delay runs for the (email, address) pair
//   or for the address (AuthConfig: max_failed_logins failures per pair, and
//   max_failed_logins_per_address per address, before delays start; see login_throttle.h). The
//   password is not checked then. Another address is not delayed by this pair's failures;
// - kUnauthorized "invalid email or password" for an unknown, inactive or deleted user, a user
//   without a password, or a wrong password: the same answer in every case, and about the same
//   time (an unknown email is checked against a dummy hash of the same cost);
// - otherwise a new session lasting AuthConfig::session_ttl.
// Every checked attempt is counted on both throttles in one transaction BEFORE the check, so
// concurrent guesses (on any instance) never exceed the limits; a success gives the address's
// count back and resets the pair.
// Slow (bcrypt): call from a worker thread.
Result<LoginResult> login(AppContext& ctx, std::string_view email, std::string_view password,
                          std::string_view client_address, LoginAudit& audit);
Result<LoginResult> login(AppContext& ctx, std::string_view email, std::string_view password,
                          std::string_view client_address);

// A signed-in user changes their own password (POST /api/v1/auth/password): 422 naming
// `currentPassword` when it is missing or wrong, `newPassword` when it breaks the password policy
// (passwords.h; checked first, so a bad new password costs no attempt). The current password is
// an attempt at the account like a login's: counted on the same throttles before it is checked
// (429 while a delay runs; a success resets them). On success every OTHER session of the user
// ends; the principal's own stays. Slow (bcrypt twice): call from the hash pool.
Status change_own_password(AppContext& ctx, const Principal& principal,
                           std::string_view current_password, std::string_view new_password,
                           std::string_view client_address, LoginAudit& audit);

// The throttles with a delay running now, most recently failed first (at most 200).
Result<std::vector<LoginThrottle>> list_login_throttles(AppContext& ctx);
// Which throttles to clear (the HTTP body is decoded by http/decode_auth.h).
struct ThrottleClearInput {
  std::optional<std::string> email;    // trimmed and lower-cased here; must not be empty
  std::optional<std::string> address;  // trimmed here; must not be empty
  std::vector<FieldError> decode_errors;
};
// `email` and/or `address` (at least one; 422 naming both otherwise): clears the pair, every pair
// of the email, or the address's throttle and every pair from it (store.h ThrottleSelector), so
// that the next attempt is checked. Returns how many throttles were cleared.
Result<int> clear_login_throttles(AppContext& ctx, const ThrottleClearInput& in);

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

// A key to issue (the HTTP body is decoded by http/decode_auth.h): `name` (required, 1..100
// characters once trimmed), `platform` (required: the leadSource.platform of leads sent with the
// key that name none).
struct ApiKeyInput {
  std::optional<std::string> name;
  std::optional<Platform> platform;
  std::vector<FieldError> decode_errors;
};
// The key is a random token prefixed "lpk_".
Result<IssuedApiKey> issue_api_key(AppContext& ctx, const ApiKeyInput& in,
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
  int login_failures = 0;  // login throttles idle for AuthConfig::forget_failures_after deleted
};
// Deletes expired and ended sessions and idle login throttles. Run periodically.
Result<PurgeResult> purge_expired_auth(AppContext& ctx);

}  // namespace leadproc
