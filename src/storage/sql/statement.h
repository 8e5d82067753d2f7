// The statement interface the shared SQL layer runs on, implemented once by each adapter (as
// PowerDNS's generic SQL backend runs on SSqlStatement): a Statement is one use of a prepared
// statement: bind by 1-based position, step through the rows, read the current row's columns by
// 0-based index. Stmt is the handle the adapters hand out; it releases the statement (resets it,
// clears its bindings, returns it to its connection's cache) when it goes away, so a statement
// never holds a read lock or a binding past its scope.
//
// SQL given to an adapter's prepare() is written once for both stores: parameters as ?1, ?2, ...
// (SQLite's own form; the PostgreSQL adapter rewrites them to $1, $2, ... once, when it first
// prepares the text: placeholders.h). A parameter never bound is NULL.
//
// Failures are domain Errors (the adapter translates its driver's); nothing throws except
// bad_alloc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace leadproc::sql {

// The current row of a statement. Getters take 0-based column indexes; a NULL reads as 0, false
// or "" (use is_null or the opt_ getters where NULL means something).
class Row {
 public:
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t int_at(int col) const = 0;
  virtual double double_at(int col) const = 0;
  virtual bool bool_at(int col) const = 0;
  // Valid until the next step() (or the statement's release).
  virtual std::string_view view_at(int col) const = 0;

  std::string text_at(int col) const { return std::string(view_at(col)); }
  std::optional<std::string> opt_text_at(int col) const {
    if (is_null(col)) return std::nullopt;
    return text_at(col);
  }
  std::optional<std::int64_t> opt_int_at(int col) const {
    if (is_null(col)) return std::nullopt;
    return int_at(col);
  }
  std::optional<std::string_view> opt_view_at(int col) const {  // valid as view_at's
    if (is_null(col)) return std::nullopt;
    return view_at(col);
  }

 protected:
  ~Row() = default;
};

class Statement : public Row {
 public:
  virtual ~Statement() = default;

  // Bind by 1-based parameter position. A failed bind (a bug: a wrong position) is remembered
  // and reported by the next step().
  virtual void bind_null(int i) = 0;
  virtual void bind_int(int i, std::int64_t v) = 0;
  virtual void bind_double(int i, double v) = 0;
  virtual void bind_bool(int i, bool v) = 0;
  virtual void bind_text(int i, std::string_view v) = 0;

  // Advances: true when a row is available, false when the statement is done.
  virtual Result<bool> step() = 0;
  // Rows inserted, updated or deleted by the statement, once step() returned false.
  virtual int changes() const = 0;
  // The SQL text, for error messages.
  virtual std::string_view sql() const = 0;
  // Called once by the Stmt that handed this statement out, when it goes away.
  virtual void release() = 0;
};

// The handle of one use of a Statement: either borrowed from a connection's cache or owned.
class Stmt {
 public:
  explicit Stmt(Statement& borrowed) : s_(&borrowed) {}
  explicit Stmt(std::unique_ptr<Statement> owned) : s_(owned.get()), owned_(std::move(owned)) {}
  Stmt(Stmt&& other) noexcept
      : s_(std::exchange(other.s_, nullptr)), owned_(std::move(other.owned_)) {}
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (s_ != nullptr) s_->release();
  }

  const Row& row() const { return *s_; }

  void bind_null(int i) { s_->bind_null(i); }
  void bind_int(int i, std::int64_t v) { s_->bind_int(i, v); }
  void bind_double(int i, double v) { s_->bind_double(i, v); }
  void bind_bool(int i, bool v) { s_->bind_bool(i, v); }
  void bind_text(int i, std::string_view v) { s_->bind_text(i, v); }
  void bind_opt_text(int i, const std::optional<std::string>& v) {
    if (v) {
      bind_text(i, *v);
    } else {
      bind_null(i);
    }
  }
  void bind_opt_int(int i, const std::optional<std::int64_t>& v) {
    if (v) {
      bind_int(i, *v);
    } else {
      bind_null(i);
    }
  }

  Result<bool> step() { return s_->step(); }
  // Steps a statement that returns no rows to completion.
  Status run();
  int changes() const { return s_->changes(); }

  bool is_null(int col) const { return s_->is_null(col); }
  std::int64_t int_at(int col) const { return s_->int_at(col); }
  double double_at(int col) const { return s_->double_at(col); }
  bool bool_at(int col) const { return s_->bool_at(col); }
  std::string_view view_at(int col) const { return s_->view_at(col); }
  std::string text_at(int col) const { return s_->text_at(col); }
  std::optional<std::string> opt_text_at(int col) const { return s_->opt_text_at(col); }
  std::optional<std::int64_t> opt_int_at(int col) const { return s_->opt_int_at(col); }

 private:
  Statement* s_;
  std::unique_ptr<Statement> owned_;
};

// Steps `q` to the end, mapping every row with `map` (a Result<T>(const Row&)).
template <typename T, typename Map>
Result<std::vector<T>> collect(Stmt& q, Map map) {
  std::vector<T> out;
  for (;;) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto v = map(q.row());
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
}

// The first row of `q` mapped with `map`, or nullopt when there is none.
template <typename T, typename Map>
Result<std::optional<T>> first(Stmt& q, Map map) {
  auto row = q.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  auto v = map(q.row());
  if (!v) return v.error();
  return std::optional<T>(std::move(*v));
}

// Concatenates fixed SQL fragments (never user values: those are bound).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

// kNotFound for an update that changed no row.
inline Status require_changed(int changes, std::string_view what, const std::string& id) {
  if (changes == 0) return Error::not_found(std::string(what) + " " + id + " not found");
  return ok_status();
}

}  // namespace leadproc::sql
