#include "app/auth.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "app/destinations.h"
#include "app/passwords.h"
#include "app/secrets.h"
#include "codec/field_reader.h"
#include "domain/object_id.h"

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxSecretLength = 512;
constexpr auto kLastUsedResolution = std::chrono::minutes(1);

Error unauthorized(std::string detail) {
  return Error{ErrorCode::kUnauthorized, std::move(detail), {}, {}, 0};
}

std::string normalized_email(std::string_view email) {
  std::string e = trimmed(std::string(email));
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

std::string email_subject(const std::string& email) {
  return "email:" + email;
}
std::string address_subject(std::string_view address) {
  return "ip:" + std::string(address);
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

int seconds_until(Timestamp t, Timestamp now) {
  auto ms = (t - now).count();
  return static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

bool usable(const std::optional<User>& u) {
  return u && u->is_active && !u->deleted && !u->credentials.empty();
}

}  // namespace

Result<LoginResult> login(AppContext& ctx, std::string_view email_in, std::string_view password,
                          std::string_view client_address) {
  const std::string email = normalized_email(email_in);
  std::vector<FieldError> errors;
  if (email.empty()) errors.push_back({"email", "is required"});
  if (password.empty()) errors.push_back({"password", "is required"});
  if (!errors.empty()) return Error::validation(std::move(errors), "email and password required");

  const AuthConfig& cfg = ctx.config.auth;
  const Timestamp now = ctx.now();
  // Failures younger than the window count: at now - window + 1 ms the oldest has just left it.
  const Timestamp since = now - cfg.failed_login_window + std::chrono::milliseconds(1);
  const std::string by_email = email_subject(email);
  const std::string by_address = address_subject(client_address);

  std::optional<User> user;
  std::optional<Timestamp> blocked_until;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    for (const auto& subject : {by_email, by_address}) {
      auto f = tx.login_failures(subject, since);
      if (!f) return f.error();
      if (f->count >= cfg.max_failed_logins && f->oldest) {
        Timestamp until = *f->oldest + cfg.failed_login_window;
        if (!blocked_until || until > *blocked_until) blocked_until = until;
      }
    }
    if (blocked_until) return ok_status();
    auto u = tx.find_user_by_email(email);
    if (!u) return u.error();
    user = std::move(*u);
    return ok_status();
  });
  if (!s) return s.error();
  if (blocked_until)
    return Error{ErrorCode::kTooManyRequests,
                 "too many failed logins; try again later",
                 {},
                 {},
                 seconds_until(*blocked_until, now)};

  // Outside any transaction: bcrypt takes a while.
  bool matches = false;
  if (usable(user))
    matches = verify_password(password, user->credentials);
  else
    (void)verify_password(password, dummy_hash(cfg.bcrypt_cost));  // the same time, no match
  if (!matches) {
    auto recorded = ctx.store.write([&](WriteTx& tx) -> Status {
      if (auto r = tx.record_login_failure(by_email, now); !r) return r;
      return tx.record_login_failure(by_address, now);
    });
    if (!recorded) return recorded.error();
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
    // Deactivated while bcrypt ran? Then no session.
    auto fresh = tx.get_user(user->id);
    if (!fresh) return fresh.error();
    if (!usable(*fresh)) return unauthorized("invalid email or password");
    out.user = **fresh;
    if (auto ins = tx.insert_session(out.session); !ins) return ins;
    return tx.clear_login_failures(by_email);
  });
  if (!w) return w.error();
  return out;
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
  std::optional<ApiKey> found;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto k = tx.find_api_key(hash);
    if (!k) return k.error();
    found = std::move(*k);
    return ok_status();
  });
  if (!s) return s.error();
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

Result<IssuedApiKey> issue_api_key(AppContext& ctx, const json::object& body,
                                   const std::optional<Id>& actor) {
  std::vector<FieldError> errors;
  codec::FieldReader r(body, errors);
  std::string name;
  if (auto n = r.string("name", true)) {
    name = trimmed(*n);
    if (name.empty() || name.size() > 100) r.fail("name", "must be 1 to 100 characters");
  }
  std::optional<Platform> platform;
  if (auto p = r.string("platform", true)) {
    platform = parse_platform(*p);
    if (!platform) {
      std::string allowed;
      for (auto v : all_platforms()) allowed += (allowed.empty() ? "" : ", ") + std::string(v);
      r.fail("platform", "must be one of " + allowed);
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the API key is invalid");
  return install_api_key(ctx, std::move(name), *platform, random_token(kApiKeyPrefix), actor);
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
  return out;
}

Result<PurgeResult> purge_expired_auth(AppContext& ctx) {
  const Timestamp now = ctx.now();
  PurgeResult out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto sessions = tx.purge_sessions(now);
    if (!sessions) return sessions.error();
    auto failures = tx.purge_login_failures(now - ctx.config.auth.failed_login_window);
    if (!failures) return failures.error();
    out = PurgeResult{*sessions, *failures};
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
