// The adapters every storage contract suite runs against: SQLite always, PostgreSQL when
// LEADPROC_TEST_PG_URL names a server (scripts/pg-test-server.sh starts one; `ctest -R
// storage_pg` runs those cases).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app/store.h"

namespace leadproc::storage_test {

// A unique temporary directory, leadproc-<label>-XXXXXX, removed (with everything in it) when
// destroyed.
class TempDir {
 public:
  explicit TempDir(const std::string& label);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Opens a Store on one test database; called again, it reopens the same data.
using StoreFactory = std::function<std::unique_ptr<Store>()>;

struct Backend {
  std::string name;  // "SQLite" or "PostgreSQL"; gtest names the instantiations after it
  // A new, empty database. Its files go when the last copy of the returned factory goes.
  std::function<StoreFactory()> fresh_database;
};

inline void PrintTo(const Backend& b, std::ostream* os) {
  *os << b.name;
}

// The backends to instantiate a contract suite with; `label` names the temporary databases.
std::vector<Backend> contract_backends(const std::string& label);

}  // namespace leadproc::storage_test
