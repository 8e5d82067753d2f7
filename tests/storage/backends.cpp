#include "backends.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "../api/pg_database.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc::storage_test {

TempDir::TempDir(const std::string& label) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("leadproc-" + label + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

StoreFactory sqlite_database(const std::string& label) {
  auto dir = std::make_shared<TempDir>(label);
  // A missing subdirectory: open() must create it.
  std::string path = (dir->path() / "data" / "leadproc.db").string();
  return [dir, path]() -> std::unique_ptr<Store> {
    auto store = sqlite::SqliteStore::open(path, sqlite::SqliteOptions{.readers = 2});
    if (!store) {
      ADD_FAILURE() << "open " << path << ": " << store.error().detail;
      return nullptr;
    }
    return std::move(*store);
  };
}

// A fresh database (a schema of its own) on the test server. It is not dropped: the whole
// server is thrown away after the run, and dropping costs ~0.3 s.
StoreFactory postgres_database(const std::string& label) {
  std::string url;
  try {
    url = pgtest::fresh_database(std::getenv("LEADPROC_TEST_PG_URL"), label);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
    return [] { return std::unique_ptr<Store>(); };
  }
  return [url]() -> std::unique_ptr<Store> {
    auto store = postgres::PgStore::open(url, postgres::PgOptions{.pool_size = 4});
    if (!store) {
      ADD_FAILURE() << "open " << url << ": " << store.error().detail;
      return nullptr;
    }
    return std::move(*store);
  };
}

}  // namespace

std::vector<Backend> contract_backends(const std::string& label) {
  std::vector<Backend> out{Backend{"SQLite", [label] { return sqlite_database(label); }}};
  if (const char* url = std::getenv("LEADPROC_TEST_PG_URL"); url && *url)
    out.push_back(Backend{"PostgreSQL", [label] { return postgres_database(label); }});
  return out;
}

}  // namespace leadproc::storage_test
