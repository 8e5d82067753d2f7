#include "pg_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>

namespace leadproc::pgtest {
namespace {

ConnPtr connect(const std::string& url) {
  ConnPtr c(PQconnectdb(url.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to " + url + ": " +
                             (c ? PQerrorMessage(c.get()) : "out of memory"));
  return c;
}

std::string run(PGconn* c, const std::string& sql) {
  ResultPtr r(PQexec(c, sql.c_str()));
  auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw std::runtime_error(sql + ": " + PQerrorMessage(c));
  if (st == PGRES_TUPLES_OK && PQntuples(r.get()) > 0 && PQnfields(r.get()) > 0)
    return PQgetvalue(r.get(), 0, 0);
  return {};
}

const std::string kSchemaParam = "options=-csearch_path%3D";

// The schema a fresh_database() URL selects, "" if none.
std::string schema_of(const std::string& url) {
  auto at = url.find(kSchemaParam);
  if (at == std::string::npos) return {};
  auto begin = at + kSchemaParam.size();
  auto end = url.find('&', begin);
  return url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::optional<std::string> suite_postgres_url() {
  const char* kind = std::getenv("LEADPROC_TEST_DATABASE");
  const char* url = std::getenv("LEADPROC_TEST_DATABASE_URL");
  if (kind == nullptr || std::string_view(kind) != "postgresql" || url == nullptr ||
      !is_postgres_url(url))
    return std::nullopt;
  return std::string(url);
}

std::string fresh_database(const std::string& server_url, std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  const std::string name = std::string(prefix) + "_" + std::to_string(getpid()) + "_" +
                           std::to_string(++counter) + "_" + std::to_string(salt);
  auto c = connect(server_url);
  run(c.get(), "CREATE SCHEMA \"" + name + "\"");
  return server_url + (server_url.find('?') == std::string::npos ? "?" : "&") + kSchemaParam + name;
}

void drop_fresh_database(const std::string& url) {
  try {
    const std::string schema = schema_of(url);
    if (schema.empty()) return;
    auto c = connect(url);
    run(c.get(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  } catch (const std::exception&) {
    // Best effort, as documented.
  }
}

std::string query_value(const std::string& url, const std::string& sql) {
  auto c = connect(url);
  return run(c.get(), sql);
}

}  // namespace leadproc::pgtest
