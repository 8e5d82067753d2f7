// The SQLite adapter's transaction object: one class implements both ReadTx and WriteTx over a
// Connection on which the store has already begun a transaction (write(): BEGIN IMMEDIATE on the
// writer; read(): BEGIN on a read-only reader, which a ReadTx& cannot write through anyway).
// What both stores share is sql::SqlTx's (storage/sql); this class adds how statements are
// prepared on its connection, its hooks, and the methods whose SQL is SQLite's own. Because SQLite
// has a single writer, every
// *_for_update method is a plain SELECT: the write transaction already excludes other writers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"
#include "storage/sql/sql_tx.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/pool_cache.h"
#include "storage/sqlite/search_terms.h"

namespace leadproc::sqlite {

class SqliteTx final : public sql::SqlTx {
 public:
  // `pools`: the writer's pool cache (pool_cache.h), kept current by this object's writes; null
  // for readers, which then read pools from their snapshot.
  explicit SqliteTx(Connection& conn, PoolCache* pools = nullptr) : c_(conn), pools_(pools) {}

  // Where the live events written from now on are kept (null: nowhere), for the store to publish
  // once the write that raised them is committed (sqlite_store.cpp).
  void keep_live_events_in(std::vector<LiveEvent>* into) { live_ = into; }

  // The Store methods whose SQL is this database's own; the others are SqlTx's.
  // From opportunity_terms (search_terms.h).
  Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                        const Page& page) override;
  Result<std::vector<RankedPoc>> ranked_pool_for_update(AvailabilityProcess process,
                                                        const std::optional<Id>& destination_id,
                                                        Platform platform) override;
  // A bulk load's indexes built after its rows (deferred_indexes.h).
  Result<int> defer_indexes(RecordKind kind) override;
  Result<int> restore_indexes() override;

 private:
  Result<sql::Stmt> prepare(std::string_view sql) override { return c_.query(sql); }
  void pools_changed() override {
    if (pools_) pools_->invalidate();
  }
  void pool_counted(const Id& availability_id, std::int64_t local_day) override {
    if (pools_) pools_->counted(availability_id, local_day);
  }
  Status live_event_written(const LiveEvent& e) override {
    if (live_) live_->push_back(e);
    return ok_status();
  }
  std::string newest_of(const std::vector<std::string>& arms, std::string_view limit) override;
  std::string after_in_order(std::string_view key, std::string_view cursor,
                             bool descending) override;
  Status index_terms(const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) override {
    return reindex_terms(c_, opp_id, before, after);
  }
  std::string_view sql_false() const override { return "0"; }
  std::string_view json_elements() const override { return "SELECT value FROM json_each(?1)"; }
  std::string_view sql_true() const override { return "1"; }
  // The person's ids of each column, each looked up in opportunities_funnel_cover, which holds
  // every column a count reads (the funnel of one person: 6 ms at 300,000 rows, docs/
  // benchmarks.md section 26). SQLite keeps no statistics of values, so no value changes it.
  sql::AssigneeForm counted_assignee() const override { return sql::AssigneeForm::kIdsPerColumn; }

  Connection& c_;
  PoolCache* pools_;
  std::vector<LiveEvent>* live_ = nullptr;
};

using sql::cat;
using sql::collect;

}  // namespace leadproc::sqlite
