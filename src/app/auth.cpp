#include "app/auth.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "app/destinations.h"
#include "app/input.h"
#include "app/passwords.h"
#include "crypto/bcrypt.h"
#include "crypto/secrets.h"
#include "domain/object_id.h"
#include "domain/text.h"

namespace leadproc {

namespace {

constexpr std::size_t kMaxSecretLength = 512;
constexpr auto kLastUsedResolution = std::chrono::minutes(1);

Error unauthorized(std::string detail) {
  return Error{ErrorCode::kUnauthorized, std::move(detail), {}, {}, 0};
}

std::string normalized_email(std::string_view email) {
  return lower_ascii(trim(email));
}

// A bcrypt hash of a random password at `cost`, made once per cost: what an unknown email's
// password is checked against, so that it takes as long as a known one's.
const std::string& dummy_hash(int cost) {
  static std::mutex mu;
  static std::map<int, std::string> hashes;
  std::lock_guard lock(mu);
  auto it = hashes.find(cost);
  if (it == hashes.end()) {
    auto h = hash_password(random_token("dummy-"), cost);
    it = hashes.emplace(cost, h ? *h : std::string()).first;
  }
  return it->second;
}

bool usable(const std::optional<User>& u) {
  return u && u->is_active && !u->deleted && !u->credentials.empty();
}

ThrottlePolicy throttle_policy(const AuthConfig& cfg, int limit) {
  return ThrottlePolicy{limit, cfg.login_delay, cfg.max_login_delay, cfg.forget_failures_after};
}

constexpr int kMaxThrottlesListed = 200;

}  // namespace

std::string_view to_string(LoginOutcome o) {
  switch (o) {
    case LoginOutcome::kSucceeded:
      return "succeeded";
    case LoginOutcome::kFailed:
      return "failed";
    case LoginOutcome::kThrottledPair:
      return "throttled_account";
    case LoginOutcome::kThrottledAddress:
      return "throttled_address";
    case LoginOutcome::kInvalid:
      return "invalid";
    case LoginOutcome::kError:
      break;
  }
  return "error";
}

namespace {

// A password attempt admitted by the throttles and counted as a failure in advance.
struct ReservedAttempt {
  std::optional<User> user;     // the account the email names, if any
  ThrottleDecision by_address;  // to give the address its count back on success
};

// Counts an attempt at `email`'s password from `address` as a failure on the pair's throttle,
// then the address's (the store's lock order), before the password is checked and only if
// neither is delayed; kTooManyRequests (with Retry-After) while one is. Fills `audit`.
Result<ReservedAttempt> reserve_password_attempt(AppContext& ctx, const std::string& email,
                                                 const std::string& address, LoginAudit& audit) {
  const AuthConfig& cfg = ctx.config.auth;
  const Timestamp now = ctx.now();
  ReservedAttempt out;
  ThrottleDecision pair;
  auto reserved = ctx.store.write([&](WriteTx& tx) -> Status {
    auto u = tx.find_user_by_email(email);
    if (!u) return u.error();
    out.user = std::move(*u);
    auto p = tx.login_throttle_for_update(email, address);
    if (!p) return p.error();
    pair = reserve_attempt(*p, throttle_policy(cfg, cfg.max_failed_logins), now);
    if (!pair.admitted) return ok_status();
    auto a = tx.login_throttle_for_update("", address);
    if (!a) return a.error();
    out.by_address =
        reserve_attempt(*a, throttle_policy(cfg, cfg.max_failed_logins_per_address), now);
    if (!out.by_address.admitted) return ok_status();
    if (auto s = tx.save_login_throttle(pair.next); !s) return s;
    return tx.save_login_throttle(out.by_address.next);
  });
  if (!reserved) return reserved.error();
  if (out.user) audit.user_id = out.user->id;
  audit.pair_failures = pair.next.failures;
  audit.address_failures = out.by_address.next.failures;
  if (!pair.admitted || !out.by_address.admitted) {
    audit.outcome = pair.admitted ? LoginOutcome::kThrottledAddress : LoginOutcome::kThrottledPair;
    audit.retry_after_seconds =
        pair.admitted ? out.by_address.retry_after_seconds : pair.retry_after_seconds;
    return Error{ErrorCode::kTooManyRequests,
                 "too many failed logins; try again later",
                 {},
                 {},
                 audit.retry_after_seconds};
  }
  return out;
}

// Inside the write transaction of a successful attempt: resets the pair and gives the address
// its reservation back.
Status settle_password_attempt(WriteTx& tx, const std::string& email, const std::string& address,
                               const ReservedAttempt& attempt) {
  if (auto p = tx.login_throttle_for_update(email, address); !p) return p.error();
  auto a = tx.login_throttle_for_update("", address);
  if (!a) return a.error();
  if (auto c = tx.clear_login_throttles({email, address}); !c) return c.error();
  return tx.save_login_throttle(refund_attempt(*a, attempt.by_address));
}

}  // namespace

Result<LoginResult> login(AppContext& ctx, std::string_view email_in, std::string_view password,
                          std::string_view client_address, LoginAudit& audit) {
  audit = LoginAudit{};
  audit.outcome = LoginOutcome::kInvalid;
  const std::string email = normalized_email(email_in);
  std::vector<FieldError> errors;
  if (email.empty()) errors.push_back({"email", "is required"});
  if (password.empty()) errors.push_back({"password", "is required"});
  if (!errors.empty()) return Error::validation(std::move(errors), "email and password required");
  audit.outcome = LoginOutcome::kError;

  const AuthConfig& cfg = ctx.config.auth;
  const Timestamp now = ctx.now();
  const std::string address(client_address);
  auto attempt = reserve_password_attempt(ctx, email, address, audit);
  if (!attempt) return attempt.error();
  const std::optional<User>& user = attempt->user;

  // Outside any transaction: bcrypt takes a while.
  bool matches = false;
  if (usable(user))
    matches = verify_password(password, user->credentials);
  else
    (void)verify_password(password, dummy_hash(cfg.bcrypt_cost));  // the same time, no match
  audit.password_checked = true;
  if (!matches) {  // already counted
    audit.outcome = LoginOutcome::kFailed;
    return unauthorized("invalid email or password");
  }

  LoginResult out;
  out.token = random_token(kSessionTokenPrefix);
  out.session.id = ctx.new_id();
  out.session.user_id = user->id;
  out.session.token_hash = sha256_hex(out.token);
  out.session.created_at = now;
  out.session.expiry = now + std::chrono::duration_cast<std::chrono::milliseconds>(cfg.session_ttl);
  out.session.is_active = true;
  auto w = ctx.store.write([&](WriteTx& tx) -> Status {
    // Deactivated while bcrypt ran? Then no session (and the attempt stays counted).
    auto fresh = tx.get_user(user->id);
    if (!fresh) return fresh.error();
    if (!usable(*fresh)) return unauthorized("invalid email or password");
    out.user = **fresh;
    if (auto ins = tx.insert_session(out.session); !ins) return ins;
    return settle_password_attempt(tx, email, address, *attempt);
  });
  if (!w) {
    audit.outcome =
        w.error().code == ErrorCode::kUnauthorized ? LoginOutcome::kFailed : LoginOutcome::kError;
    return w.error();
  }
  audit.outcome = LoginOutcome::kSucceeded;
  return out;
}

Status change_own_password(AppContext& ctx, const Principal& principal,
                           std::string_view current_password, std::string_view new_password,
                           std::string_view client_address, LoginAudit& audit) {
  audit = LoginAudit{};
  audit.outcome = LoginOutcome::kInvalid;
  std::vector<FieldError> errors;
  if (current_password.empty()) errors.push_back({"currentPassword", "is required"});
  if (auto why = password_policy_violation(new_password)) errors.push_back({"newPassword", *why});
  if (!errors.empty())
    return Error::validation(std::move(errors), "the password cannot be changed");
  if (!principal.is_user() || principal.session_id.empty())
    return unauthorized("sign in to change your password");
  audit.outcome = LoginOutcome::kError;

  // The current password is guessed like a login's: counted on the same throttles first.
  const std::string email = normalized_email(principal.email);
  const std::string address(client_address);
  auto attempt = reserve_password_attempt(ctx, email, address, audit);
  if (!attempt) return attempt.error();
  const std::optional<User>& user = attempt->user;
  if (!usable(user) || user->id != principal.id)
    return unauthorized("the session's user cannot sign in any more");
  const bool matches = verify_password(current_password, user->credentials);  // outside a tx
  audit.password_checked = true;
  if (!matches) {  // already counted
    audit.outcome = LoginOutcome::kFailed;
    return Error::validation({{"currentPassword", "is not your current password"}},
                             "the current password is wrong");
  }
  auto hashed = hash_password(new_password, ctx.config.auth.bcrypt_cost);
  if (!hashed) return hashed.error();
  auto w = ctx.store.write([&](WriteTx& tx) -> Status {
    auto fresh = tx.get_user(principal.id);
    if (!fresh) return fresh.error();
    if (!usable(*fresh)) return unauthorized("the session's user cannot sign in any more");
    User u = **fresh;
    u.credentials = *hashed;
    u.modified_by = principal.id;
    u.updated_at = ctx.now();
    if (auto up = tx.update_user(u); !up) return up;
    // Every other session ends (a thief's among them); this one stays signed in.
    if (auto ended = tx.end_other_sessions(u.id, principal.session_id); !ended)
      return ended.error();
    return settle_password_attempt(tx, email, address, *attempt);
  });
  if (!w) return w.error();
  audit.outcome = LoginOutcome::kSucceeded;
  return ok_status();
}

Result<LoginResult> login(AppContext& ctx, std::string_view email, std::string_view password,
                          std::string_view client_address) {
  LoginAudit ignored;
  return login(ctx, email, password, client_address, ignored);
}

Result<std::vector<LoginThrottle>> list_login_throttles(AppContext& ctx) {
  const Timestamp now = ctx.now();
  std::vector<LoginThrottle> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_login_throttles(now, kMaxThrottlesListed);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<int> clear_login_throttles(AppContext& ctx, const ThrottleClearInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  ThrottleSelector which;
  if (in.email) {
    which.email = normalized_email(*in.email);
    if (which.email->empty()) errors.push_back({"email", "must not be empty"});
  }
  if (in.address) {
    which.address = trim(*in.address);
    if (which.address->empty()) errors.push_back({"address", "must not be empty"});
  }
  if (errors.empty() && !which.email && !which.address) {
    errors.push_back({"email", "is required unless address is given"});
    errors.push_back({"address", "is required unless email is given"});
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "nothing to clear");
  int cleared = 0;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto n = tx.clear_login_throttles(which);
    if (!n) return n.error();
    cleared = *n;
    return ok_status();
  });
  if (!s) return s.error();
  return cleared;
}

Result<Principal> authenticate_token(AppContext& ctx, std::string_view token) {
  if (token.empty() || token.size() > kMaxSecretLength)
    return unauthorized("the token is invalid or has expired");
  const std::string hash = sha256_hex(token);
  const Timestamp now = ctx.now();
  Principal p;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto session = tx.find_session(hash);
    if (!session) return session.error();
    if (!*session || !(*session)->is_active || (*session)->expiry <= now)
      return unauthorized("the token is invalid or has expired");
    auto user = tx.get_user((*session)->user_id);
    if (!user) return user.error();
    if (!*user || !(*user)->is_active || (*user)->deleted)
      return unauthorized("the token is invalid or has expired");
    p.kind = Principal::Kind::kUser;
    p.id = (*user)->id;
    p.department = (*user)->department;
    p.email = (*user)->email;
    p.session_id = (*session)->id;
    p.session_expiry = (*session)->expiry;
    return ok_status();
  });
  if (!s) return s.error();
  return p;
}

Result<Principal> authenticate_api_key(AppContext& ctx, std::string_view key) {
  if (key.empty() || key.size() > kMaxSecretLength) return unauthorized("invalid API key");
  const std::string hash = sha256_hex(key);
  std::optional<ApiKey> found = ctx.api_keys->find(hash);
  if (!found) {
    auto s = ctx.store.read([&](ReadTx& tx) -> Status {
      auto k = tx.find_api_key(hash);
      if (!k) return k.error();
      found = std::move(*k);
      return ok_status();
    });
    if (!s) return s.error();
    if (found && !found->revoked) ctx.api_keys->put(hash, *found);
  }
  if (!found || found->revoked) return unauthorized("invalid API key");

  const Timestamp now = ctx.now();
  if (!found->last_used_at || now - *found->last_used_at >= kLastUsedResolution) {
    // Best effort: a failure to record the time does not refuse the lead.
    (void)ctx.store.write([&](WriteTx& tx) -> Status {
      auto k = tx.get_api_key(found->id);
      if (!k) return k.error();
      if (!*k) return ok_status();
      ApiKey updated = **k;
      updated.last_used_at = now;
      return tx.update_api_key(updated);
    });
    found->last_used_at = now;  // the cached copy too, so the next minute's leads do not write
    ctx.api_keys->put(hash, *found);
  }
  Principal p;
  p.kind = Principal::Kind::kApiKey;
  p.id = found->id;
  p.key_name = found->name;
  p.platform = found->platform;
  return p;
}

Status logout(AppContext& ctx, const Principal& principal) {
  if (!principal.is_user() || principal.session_id.empty()) return ok_status();
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto ended = tx.end_session(principal.session_id);
    if (!ended && ended.error().code == ErrorCode::kNotFound) return ok_status();  // purged
    return ended;
  });
}

Result<IssuedApiKey> install_api_key(AppContext& ctx, std::string name, Platform platform,
                                     std::string secret, const std::optional<Id>& actor) {
  IssuedApiKey out;
  out.secret = std::move(secret);
  out.key.id = ctx.new_id();
  out.key.name = std::move(name);
  out.key.key_hash = sha256_hex(out.secret);
  out.key.platform = platform;
  out.key.created_by = actor;
  out.key.created_at = ctx.now();
  auto s = ctx.store.write([&](WriteTx& tx) { return tx.insert_api_key(out.key); });
  if (!s) return s.error();
  return out;
}

Result<IssuedApiKey> issue_api_key(AppContext& ctx, const ApiKeyInput& in,
                                   const std::optional<Id>& actor) {
  std::vector<FieldError> errors = in.decode_errors;
  std::string name;
  if (in.name) {
    name = trim(*in.name);
    if (name.empty() || name.size() > 100)
      errors.push_back({"name", "must be 1 to 100 characters"});
  }
  require_field(errors, in.name.has_value(), "name");
  require_field(errors, in.platform.has_value(), "platform");
  if (!errors.empty()) return Error::validation(std::move(errors), "the API key is invalid");
  return install_api_key(ctx, std::move(name), *in.platform, random_token(kApiKeyPrefix), actor);
}

Result<std::vector<ApiKey>> list_api_keys(AppContext& ctx) {
  std::vector<ApiKey> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_api_keys();
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ApiKey> get_api_key(AppContext& ctx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no API key with _id '" + raw_id + "'");
  std::optional<ApiKey> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto k = tx.get_api_key(*id);
    if (!k) return k.error();
    out = std::move(*k);
    return ok_status();
  });
  if (!s) return s.error();
  if (!out) return Error::not_found("no API key with _id '" + raw_id + "'");
  return *out;
}

Result<ApiKey> revoke_api_key(AppContext& ctx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no API key with _id '" + raw_id + "'");
  ApiKey out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto k = tx.get_api_key(*id);
    if (!k) return k.error();
    if (!*k) return Error::not_found("no API key with _id '" + raw_id + "'");
    out = **k;
    if (out.revoked) return ok_status();
    out.revoked = true;
    return tx.update_api_key(out);
  });
  if (!s) return s.error();
  ctx.api_keys->clear();  // after the commit: no request authenticates by the old row again
  return out;
}

Result<PurgeResult> purge_expired_auth(AppContext& ctx) {
  const Timestamp now = ctx.now();
  PurgeResult out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto sessions = tx.purge_sessions(now);
    if (!sessions) return sessions.error();
    auto failures = tx.purge_login_throttles(now - ctx.config.auth.forget_failures_after, now);
    if (!failures) return failures.error();
    out = PurgeResult{*sessions, *failures};
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
