// Users: the people who sign in (agents, sales people, admins).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

struct UserFilter {
  std::optional<Department> department;
  std::optional<bool> is_active;
  bool include_deleted = false;
};

class UserReads {
 public:
  virtual Result<std::optional<User>> get_user(const Id& id) = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;
  virtual Result<std::vector<User>> list_users(const UserFilter& filter) = 0;

 protected:
  ~UserReads() = default;
};

class UserWrites {
 public:
  virtual Status insert_user(const User& u) = 0;
  virtual Status update_user(const User& u) = 0;

 protected:
  ~UserWrites() = default;
};

}  // namespace leadproc
