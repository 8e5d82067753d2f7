// A thin RAII layer over libpq, private to the PostgreSQL adapter: a Connection owns one PGconn
// and the names of the statements prepared on it (keyed by SQL text, each prepared once per
// connection); Params collects the bound values of one statement; Rows owns one PGresult.
//
// Values travel in libpq's text format: integers and doubles as decimal text (doubles with
// round-trip precision), booleans as "t"/"f", NULL as a null pointer.
//
// Every failure comes back as a domain Error (see translate()); nothing throws except bad_alloc.
// A Connection is not thread-safe: the pool hands each one to a single thread at a time.
// libpq-fe.h stays out of this header (only the two opaque struct names are declared).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/result.h"
#include "storage/postgres/pg_store.h"  // StatementObserver
#include "storage/sql/handles.h"

struct pg_conn;
struct pg_result;

namespace leadproc::postgres {

// SQLSTATE classes the store reacts to.
enum class Failure {
  kNone,
  kStatement,      // the statement failed; the connection is fine (the transaction is aborted)
  kRetryable,      // 40001 serialization failure or 40P01 deadlock: run the transaction again
  kConnectionLost  // the connection is unusable (08xxx, 57P01..57P03, no answer): drop it
};

// Maps a SQLSTATE to a domain error, as the Store contract requires: 23505 unique violation ->
// kConflict (the detail is the server's message alone, which names the index); 22021 and 22P05
// (a character the database encoding cannot hold) -> kValidation; 40001, 40P01,
// 57014 (statement timeout), 55P03 (lock timeout), 53xxx (out of resources), 08xxx and 57P0x
// (connection lost, server shutting down or starting) -> kUnavailable with Retry-After 1;
// anything else -> kInternal (a bug or a schema mismatch). `context` (the statement) is appended
// to the detail of non-conflict errors.
Error translate(std::string_view sqlstate, std::string_view message, std::string_view context);
// The Failure class of a SQLSTATE ("" means no answer from the server: kConnectionLost).
Failure classify(std::string_view sqlstate);

struct PgConnDeleter {
  void operator()(pg_conn* c) const;
};
struct PgResultDeleter {
  void operator()(pg_result* r) const;
};
using ResultPtr = std::unique_ptr<pg_result, PgResultDeleter>;

// The parameters of one statement, bound in order as $1, $2, ... (or from a position: at()).
class Params {
 public:
  // The next value goes to 1-based `position` (positions skipped are NULL).
  Params& at(int position);
  Params& null();
  Params& text(std::string_view v);
  Params& opt_text(const std::optional<std::string>& v);
  Params& integer(std::int64_t v);
  Params& opt_integer(const std::optional<std::int64_t>& v);
  Params& boolean(bool v);
  Params& real(double v);

  int size() const { return static_cast<int>(values_.size()); }
  // True iff a text value holds a NUL character, which PostgreSQL text cannot store (and libpq
  // would silently cut the value at); query() refuses such parameters with kValidation.
  bool has_nul() const { return has_nul_; }
  // The values in order (nullopt: NULL).
  const std::vector<std::optional<std::string>>& values() const { return values_; }
  // Pointers into this object: valid while it lives and is not changed.
  std::vector<const char*> pointers() const;
  std::vector<int> lengths() const;

 private:
  Params& put(std::optional<std::string> v);

  std::vector<std::optional<std::string>> values_;
  std::size_t next_ = 0;  // where the next value goes
  bool has_nul_ = false;
};

class Rows;

// One row of a Rows; the column getters take 0-based indexes and are named like the SQLite
// adapter's Query getters. A value that does not parse as the type asked for reads as 0 / false
// (the schema's column types make that a bug).
class Row {
 public:
  Row(const Rows& rows, int index) : rows_(&rows), index_(index) {}
  bool is_null(int col) const;
  std::string_view view_at(int col) const;  // "" for NULL
  std::string text_at(int col) const { return std::string(view_at(col)); }
  std::optional<std::string> opt_text_at(int col) const;
  std::int64_t int_at(int col) const;
  std::optional<std::int64_t> opt_int_at(int col) const;
  bool bool_at(int col) const;
  double double_at(int col) const;

 private:
  const Rows* rows_;
  int index_;
};

// The result of one statement: its rows and the number of rows it changed.
class Rows {
 public:
  explicit Rows(ResultPtr r);
  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int i) const { return Row(*this, i); }
  // Rows inserted, updated or deleted (PQcmdTuples); 0 for a SELECT's command tag parse failure.
  int affected() const;
  pg_result* raw() const { return r_.get(); }

 private:
  ResultPtr r_;
};

// What a connection is opened with. `conninfo` is a postgresql:// URL or a key=value string;
// its own settings win over the defaults below (which only fill what it leaves out).
struct ConnectSettings {
  std::string conninfo;
  int connect_timeout_s = 5;
  std::chrono::milliseconds statement_timeout{15000};
  std::string application_name = "leadproc";
  // Optional: exec() and query() call it with each statement and its bound values just before
  // sending it (PgOptions::statement_observer states the contract).
  StatementObserver observer{};
};

class Connection {
 public:
  // Connects and applies the session settings (statement_timeout, UTF8). kUnavailable when the
  // server cannot be reached or refuses the connection; kValidation for a malformed conninfo.
  static Result<std::unique_ptr<Connection>> open(const ConnectSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements with the simple query protocol (DDL, BEGIN/COMMIT); not prepared.
  Status exec(std::string_view sql);

  // `text` as an SQL string literal for exec() (PQescapeLiteral: quotes and backslashes escaped
  // for this connection's encoding); kValidation when it is not valid in that encoding.
  Result<std::string> literal(std::string_view text);

  // Runs `sql` as a prepared statement (prepared on first use on this connection, by name, and
  // reused), with `params` bound as $1.. in text format. `sql` may be written with ?N
  // placeholders (the shared SQL layer's form): they are rewritten to $N when it is prepared.
  Result<Rows> query(std::string_view sql, const Params& params = {});

  // LISTEN support (live_listener.h): the connection's socket, to wait on with poll(2) (-1 when
  // it has none), and the payloads of `channel`'s notifications that have arrived, read without
  // blocking. kUnavailable when the connection is lost.
  int socket() const;
  Result<std::vector<std::string>> take_notifications(std::string_view channel);

  // The class of the last failure of exec()/query() (kNone after a success).
  Failure last_failure() const { return last_failure_; }
  // True once the connection was found unusable: the pool drops it instead of reusing it.
  bool broken() const { return broken_; }
  // True iff a transaction is open, failed or not (PQtransactionStatus INTRANS or INERROR).
  bool in_transaction() const;
  // True iff the open transaction has failed (a statement error aborted it).
  bool in_failed_transaction() const;
  // ROLLBACK if a transaction is open and the connection is not broken (a broken one is dropped
  // by the pool), for RollbackGuard; a failure is ignored.
  void rollback_open_transaction();

 private:
  struct Tag {
    explicit Tag() = default;
  };

 public:
  Connection(Tag, pg_conn* conn);

 private:
  // The error for `res` (null: no result at all), recording its Failure class.
  Error fail(pg_result* res, std::string_view context);

  std::unique_ptr<pg_conn, PgConnDeleter> conn_;
  struct Prepared {
    std::string name;  // the server-side statement name
    std::string text;  // the SQL as prepared (placeholders $N)
    int parameters;    // how many it takes
  };
  std::unordered_map<std::string, Prepared> prepared_;  // SQL text as given -> its statement
  StatementObserver observer_;                          // ConnectSettings::observer
  Failure last_failure_ = Failure::kNone;
  bool broken_ = false;
};

using RollbackGuard = sql::RollbackGuard<Connection>;

}  // namespace leadproc::postgres
