// Authentication (docs/api-auth.md): sessions, API keys and login throttles.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/login_throttle.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// Authentication: which login throttles (domain/login_throttle.h) an admin clears: with both,
// the one pair; with the email only, every pair of that email; with the address only, the
// address's own throttle and every pair from it.
struct ThrottleSelector {
  std::optional<std::string> email;  // lower-case
  std::optional<std::string> address;
};

class AuthReads {
 public:
  // The session whose token hashes to `token_hash` (active or not, expired or not).
  virtual Result<std::optional<Session>> find_session(const std::string& token_hash) = 0;
  virtual Result<std::optional<ApiKey>> get_api_key(const Id& id) = 0;
  // The key (revoked or not) whose secret hashes to `key_hash`.
  virtual Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) = 0;
  // Every key, revoked ones too, ordered by id (oldest first).
  virtual Result<std::vector<ApiKey>> list_api_keys() = 0;
  // The throttles holding a delay that runs past `now`, most recently failed first, at most
  // `limit`.
  virtual Result<std::vector<LoginThrottle>> list_login_throttles(Timestamp now, int limit) = 0;

 protected:
  ~AuthReads() = default;
};

class AuthWrites {
 public:
  // A duplicate token_hash is kConflict.
  virtual Status insert_session(const Session& s) = 0;
  // isActive=false; kNotFound when no session has the id.
  virtual Status end_session(const Id& session_id) = 0;
  // isActive=false on every active session of the user; returns how many were ended.
  virtual Result<int> end_user_sessions(const Id& user_id) = 0;
  // isActive=false on every active session of the user but `keep_session_id` (a password change
  // keeps the session that made it); returns how many were ended.
  virtual Result<int> end_other_sessions(const Id& user_id, const Id& keep_session_id) = 0;
  // Deletes the sessions that expired at or before `now` and the inactive ones; returns how many.
  virtual Result<int> purge_sessions(Timestamp now) = 0;
  // A duplicate key_hash is kConflict.
  virtual Status insert_api_key(const ApiKey& k) = 0;
  // Writes every field but id and key_hash; kNotFound when no key has the id.
  virtual Status update_api_key(const ApiKey& k) = 0;
  // The login throttle of (email, address) (email "" for the address's own), locked until the
  // transaction ends so that concurrent attempts, on any instance, are counted one after the
  // other; a fresh one (no failures) when none is stored. Lock pairs before addresses.
  virtual Result<LoginThrottle> login_throttle_for_update(const std::string& email,
                                                          const std::string& address) = 0;
  // Stores the throttle (inserted or replaced).
  virtual Status save_login_throttle(const LoginThrottle& t) = 0;
  // Deletes the throttles `which` selects (nothing when it selects nothing); returns how many.
  virtual Result<int> clear_login_throttles(const ThrottleSelector& which) = 0;
  // Deletes the throttles whose last failure is before `idle_before` and whose delay has ended by
  // `now`; returns how many.
  virtual Result<int> purge_login_throttles(Timestamp idle_before, Timestamp now) = 0;

 protected:
  ~AuthWrites() = default;
};

}  // namespace leadproc
