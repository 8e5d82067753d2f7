// What both adapters need around their own connection types, written once: two small RAII
// handles and the shape of a schema migration.
#pragma once

#include <memory>
#include <string_view>
#include <utility>

#include "domain/result.h"

namespace leadproc::sql {

// Rolls back the connection's open transaction when destroyed unless dismissed, so that error
// paths and exceptions of a transaction body leave nothing half-done. `Connection` provides
// rollback_open_transaction(), which must not throw (its failure leaves nothing to do: the
// database rolls back when the connection closes, and the error that brought us here is what
// the caller reports).
template <typename Connection>
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection& c) : c_(c) {}
  ~RollbackGuard() {
    if (active_) c_.rollback_open_transaction();
  }
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  void dismiss() { active_ = false; }

 private:
  Connection& c_;
  bool active_ = true;
};

// A connection lent by a pool, given back (Pool::release) when the lease goes away.
template <typename Pool, typename Connection>
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) pool_->release(std::move(conn_));
  }
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

// One numbered block of a store's schema migrations (each adapter's migrations.h).
template <typename Connection>
struct Migration {
  int version;  // increasing; a gap is allowed (each version is applied once, whenever it appears)
  std::string_view name;
  std::string_view sql;
  // Run after `sql`, in the same transaction: a rewrite of existing rows that SQL alone cannot
  // compute (migration 10 indexes the search terms of every stored opportunity). Optional.
  Status (*backfill)(Connection&) = nullptr;
};

}  // namespace leadproc::sql
