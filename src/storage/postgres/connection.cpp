#include "storage/postgres/connection.h"

#include "domain/text.h"
#include "storage/sql/placeholders.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <utility>

namespace leadproc::postgres {
namespace {

// libpq prints NOTICEs (e.g. "relation ... already exists, skipping") to stderr by default.
void ignore_notice(void*, const char*) {}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Failure classify(std::string_view sqlstate) {
  if (sqlstate.empty()) return Failure::kConnectionLost;
  if (sqlstate == "40001" || sqlstate == "40P01") return Failure::kRetryable;
  if (starts_with(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03")
    return Failure::kConnectionLost;
  return Failure::kStatement;
}

Error translate(std::string_view sqlstate, std::string_view message, std::string_view context) {
  // A conflict's detail is the server's message alone ("duplicate key value violates unique
  // constraint \"users_email_unique\""): it names the index and may reach a client. Other errors
  // also carry the statement, for the logs.
  if (sqlstate == "23505") return Error::conflict(std::string(trim(message)));
  if (sqlstate == "22021" || sqlstate == "22P05")
    return Error::validation({{"body", "contains a character that cannot be stored"}},
                             std::string(trim(message)));
  std::string detail = "postgresql";
  if (!sqlstate.empty()) detail.append(" ").append(sqlstate);
  detail.append(": ").append(std::string(trim(message)));
  if (!context.empty()) detail.append(" (").append(context).append(")");
  const bool unavailable = classify(sqlstate) != Failure::kStatement || sqlstate == "57014" ||
                           sqlstate == "55P03" || starts_with(sqlstate, "53");
  if (unavailable) return Error::unavailable(std::move(detail), 1);
  return Error::internal(std::move(detail));
}

void PgConnDeleter::operator()(pg_conn* c) const {
  PQfinish(c);
}
void PgResultDeleter::operator()(pg_result* r) const {
  PQclear(r);
}

// Params

Params& Params::at(int position) {
  next_ = static_cast<std::size_t>(position - 1);
  if (values_.size() < next_) values_.resize(next_);
  return *this;
}
Params& Params::put(std::optional<std::string> v) {
  if (next_ < values_.size()) {
    values_[next_] = std::move(v);
  } else {
    values_.push_back(std::move(v));
  }
  ++next_;
  return *this;
}
Params& Params::null() {
  return put(std::nullopt);
}
Params& Params::text(std::string_view v) {
  if (v.find('\0') != std::string_view::npos) has_nul_ = true;
  return put(std::string(v));
}
Params& Params::opt_text(const std::optional<std::string>& v) {
  return v ? text(*v) : null();
}
Params& Params::integer(std::int64_t v) {
  return put(std::to_string(v));
}
Params& Params::opt_integer(const std::optional<std::int64_t>& v) {
  return v ? integer(*v) : null();
}
Params& Params::boolean(bool v) {
  return put(v ? "t" : "f");
}
Params& Params::real(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return put(ec == std::errc() ? std::string(buf, end) : std::to_string(v));
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

std::vector<int> Params::lengths() const {
  std::vector<int> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? static_cast<int>(v->size()) : 0);
  return out;
}

// Rows

Rows::Rows(ResultPtr r) : r_(std::move(r)) {}

int Rows::size() const {
  return PQntuples(r_.get());
}

int Rows::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return (n == nullptr || *n == '\0') ? 0 : std::atoi(n);
}

bool Row::is_null(int col) const {
  return PQgetisnull(rows_->raw(), index_, col) != 0;
}

std::string_view Row::view_at(int col) const {
  if (is_null(col)) return {};
  return std::string_view(PQgetvalue(rows_->raw(), index_, col),
                          static_cast<std::size_t>(PQgetlength(rows_->raw(), index_, col)));
}

std::optional<std::string> Row::opt_text_at(int col) const {
  if (is_null(col)) return std::nullopt;
  return text_at(col);
}

std::int64_t Row::int_at(int col) const {
  auto v = view_at(col);
  std::int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::optional<std::int64_t> Row::opt_int_at(int col) const {
  if (is_null(col)) return std::nullopt;
  return int_at(col);
}

bool Row::bool_at(int col) const {
  auto v = view_at(col);
  return !v.empty() && v[0] == 't';
}

double Row::double_at(int col) const {
  auto v = view_at(col);
  double out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

// Connection

Connection::Connection(Tag, pg_conn* conn) : conn_(conn) {}
Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::open(const ConnectSettings& s) {
  {
    char* err = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(s.conninfo.c_str(), &err);
    std::unique_ptr<char, decltype(&PQfreemem)> err_owner(err, &PQfreemem);
    if (parsed == nullptr) {
      return Error::validation(
          {{"database-url", err ? std::string(trim(err)) : "cannot be parsed"}},
          "bad PostgreSQL connection string");
    }
    PQconninfoFree(parsed);
  }
  // Defaults first, the caller's conninfo last: with expand_dbname its settings override ours.
  const std::string timeout = std::to_string(s.connect_timeout_s);
  const char* keys[] = {"connect_timeout",  "application_name",
                        "client_encoding",  "keepalives",
                        "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout",
                        "dbname",           nullptr};
  const char* values[] = {timeout.c_str(), s.application_name.c_str(), "UTF8", "1", "10", "3", "3",
                          "15000",         s.conninfo.c_str(),         nullptr};
  std::unique_ptr<pg_conn, PgConnDeleter> conn(PQconnectdbParams(keys, values, 1));
  if (conn == nullptr) return Error::unavailable("postgresql: out of memory connecting", 1);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    return Error::unavailable(
        "postgresql: cannot connect: " + std::string(trim(PQerrorMessage(conn.get()))), 1);
  PQsetNoticeProcessor(conn.get(), ignore_notice, nullptr);
  auto c = std::make_unique<Connection>(Tag{}, conn.release());
  c->observer_ = s.observer;
  // statement_timeout bounds every statement, lock waits included, so no request hangs on a
  // stuck lock; a transaction left idle by a crashed caller is ended by the server.
  // random_page_cost 1.1 (the usual setting for SSDs; the default 4.0 assumes spinning disks):
  // with 4.0 the planner served a status's next page by walking the primary key newest-first
  // and filtering, instead of the (status, id) index, 25 ms p99 at 1M rows against 4 ms
  // (docs/benchmarks.md section 3). It is this session's setting only.
  auto settings = "SET statement_timeout = " + std::to_string(s.statement_timeout.count()) +
                  "; SET idle_in_transaction_session_timeout = 60000; SET random_page_cost = 1.1";
  if (auto st = c->exec(settings); !st) return st.error();
  return c;
}

Error Connection::fail(pg_result* res, std::string_view context) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* msg = res ? PQresultErrorMessage(res) : nullptr;
  if (msg == nullptr || *msg == '\0') msg = PQerrorMessage(conn_.get());
  std::string_view sqlstate = state ? std::string_view(state) : std::string_view();
  last_failure_ = classify(sqlstate);
  if (PQstatus(conn_.get()) != CONNECTION_OK) last_failure_ = Failure::kConnectionLost;
  if (last_failure_ == Failure::kConnectionLost) {
    broken_ = true;
    std::string detail = "postgresql: connection lost: " + std::string(trim(msg ? msg : ""));
    return Error::unavailable(std::move(detail), 1);
  }
  return translate(sqlstate, msg ? msg : "", context);
}

Status Connection::exec(std::string_view sql) {
  last_failure_ = Failure::kNone;
  if (observer_) observer_(sql, {});
  std::string text(sql);
  ResultPtr r(PQexec(conn_.get(), text.c_str()));
  auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY))
    return ok_status();
  return fail(r.get(), sql);
}

Result<std::string> Connection::literal(std::string_view text) {
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(
      PQescapeLiteral(conn_.get(), text.data(), text.size()), &PQfreemem);
  if (!quoted)
    return Error::validation({{"body", "is not valid text"}}, PQerrorMessage(conn_.get()));
  return std::string(quoted.get());
}

Result<Rows> Connection::query(std::string_view sql, const Params& params) {
  last_failure_ = Failure::kNone;
  if (params.has_nul()) {
    // Refused before it reaches the server: the transaction stays usable.
    return Error::validation(
        {{"body", "contains a NUL character (\\u0000), which cannot be stored"}},
        "a text value contains a NUL character");
  }
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    // Shared SQL is written with ?N (storage/sql/placeholders.h): rewritten once, here.
    Prepared p{"lp" + std::to_string(prepared_.size() + 1), "", 0};
    p.text = sql::dollar_placeholders(sql, &p.parameters);
    ResultPtr r(PQprepare(conn_.get(), p.name.c_str(), p.text.c_str(), 0, nullptr));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) return fail(r.get(), p.text);
    it = prepared_.emplace(std::move(key), std::move(p)).first;
  }
  if (observer_) observer_(it->second.text, params.values());
  if (params.size() < it->second.parameters) {
    // Parameters left unbound at the end are NULL, as in SQLite.
    Params padded = params;
    padded.at(it->second.parameters).null();
    return query(sql, padded);
  }
  auto values = params.pointers();
  auto lengths = params.lengths();
  ResultPtr r(PQexecPrepared(conn_.get(), it->second.name.c_str(), params.size(), values.data(),
                             lengths.data(), nullptr, 0));
  auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) return Rows(std::move(r));
  return fail(r.get(), it->second.text);
}

int Connection::socket() const {
  return PQsocket(conn_.get());
}

Result<std::vector<std::string>> Connection::take_notifications(std::string_view channel) {
  if (PQconsumeInput(conn_.get()) == 0 || PQstatus(conn_.get()) != CONNECTION_OK) {
    broken_ = true;
    return Error::unavailable("postgresql: the listening connection was lost: " +
                              std::string(trim(PQerrorMessage(conn_.get()))));
  }
  std::vector<std::string> out;
  while (PGnotify* n = PQnotifies(conn_.get())) {
    if (channel == n->relname) out.emplace_back(n->extra);
    PQfreemem(n);
  }
  return out;
}

bool Connection::in_transaction() const {
  auto s = PQtransactionStatus(conn_.get());
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

bool Connection::in_failed_transaction() const {
  return PQtransactionStatus(conn_.get()) == PQTRANS_INERROR;
}

void Connection::rollback_open_transaction() {
  if (!broken() && in_transaction()) (void)exec("ROLLBACK");
}

}  // namespace leadproc::postgres
