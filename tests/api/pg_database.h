// Throwaway databases on a test PostgreSQL server (scripts/pg-test-server.sh), so that every test
// server, or every storage contract case, starts from an empty database while sharing one
// PostgreSQL process. Used by the API harness, the multi-instance and fault tests, and the
// storage contract tests.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace leadproc::pgtest {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

// True iff `url` names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgres_url(std::string_view url);

// The API suite's PostgreSQL server URL when it runs on PostgreSQL (LEADPROC_TEST_DATABASE=
// postgresql and a postgresql:// LEADPROC_TEST_DATABASE_URL), else nullopt: for the tests of
// several instances on one database, which skip on SQLite.
std::optional<std::string> suite_postgres_url();

// Returns the URL of a new, empty database namespace on the server `server_url` points at: a new
// schema "<prefix>_<pid>_<n>_<random>" of that database, selected by the URL's
// `options=-csearch_path=<schema>` parameter (leadproc's SQL names no schema, so everything it
// creates and reads lives there). A schema costs milliseconds; CREATE DATABASE ~0.4 s with
// fsync on. Throws std::runtime_error if the server refuses.
std::string fresh_database(const std::string& server_url, std::string_view prefix = "lp");

// Drops what fresh_database() created (DROP SCHEMA ... CASCADE). Best effort: failures are
// ignored (the server is thrown away anyway).
void drop_fresh_database(const std::string& url);

// Runs one SQL statement on `url` and returns the first column of the first row ("" if none).
// Throws std::runtime_error on failure.
std::string query_value(const std::string& url, const std::string& sql);

}  // namespace leadproc::pgtest
