// The SQLite adapter's transaction object: one class implements both ReadTx and WriteTx over a
// Connection on which the store has already begun a transaction (write(): BEGIN IMMEDIATE on the
// writer; read(): BEGIN on a read-only reader, which a ReadTx& cannot write through anyway).
// Its methods are defined per entity in tx_*.cpp. Because SQLite has a single writer, every
// *_for_update method is a plain SELECT: the write transaction already excludes other writers.
#pragma once

#include <string>
#include <string_view>

#include "app/store.h"
#include "storage/sql/columns.h"
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

  // ---- ReadTx ----

  // A page.limit <= 0 gives an empty page.
  Result<std::vector<Opportunity>> list_opportunities(const OpportunityFilter& filter,
                                                      const Page& page) override;
  // From opportunity_terms (search_terms.h).
  Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                        const Page& page) override;

  // ---- ReadTx: Authentication (tx_sessions.cpp, tx_api_keys.cpp) ----
  // ---- end of Authentication ----

  // ---- ReadTx: Follow-ups and notes (tx_followups.cpp, tx_notes.cpp) ----
  // ---- end of Follow-ups and notes ----

  // ---- WriteTx ----

  Result<std::vector<RankedPoc>> ranked_pool_for_update(AvailabilityProcess process,
                                                        const std::optional<Id>& destination_id,
                                                        Platform platform) override;

  // ---- WriteTx: Authentication (tx_sessions.cpp, tx_api_keys.cpp) ----
  // ---- end of Authentication ----

  // ---- WriteTx: Follow-ups and notes (tx_followups.cpp, tx_notes.cpp) ----
  // ---- end of Follow-ups and notes ----

  // ---- ReadTx: Scoring, URL insight, jobs (tx_scoring.cpp, tx_opportunities.cpp) ----

  // ---- WriteTx: Scoring, URL insight, jobs ----

  // ---- ReadTx: Import (tx_import.cpp) ----

 private:
  Result<sql::Stmt> prepare(std::string_view sql) override { return c_.query(sql); }
  void pools_changed() override {
    if (pools_) pools_->invalidate();
  }
  void pool_counted(const Id& availability_id) override {
    if (pools_) pools_->counted(availability_id);
  }
  Status index_terms(const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) override {
    return reindex_terms(c_, opp_id, before, after);
  }
  std::string_view sql_false() const override { return "0"; }
  std::string_view json_elements() const override { return "SELECT value FROM json_each(?1)"; }
  std::string_view sql_true() const override { return "1"; }

  Connection& c_;
  PoolCache* pools_;
};

using sql::cat;
using sql::collect;
using sql::first;
using sql::require_changed;
// The column conversions (storage/sql/columns.h).
using sql::ascii_lower;
using sql::changes_from_json;
using sql::changes_to_json;
using sql::corrupt;
using sql::from_ms;
using sql::parse_object;
using sql::platforms_from_json;
using sql::platforms_to_json;
using sql::refs_from_json;
using sql::refs_to_json;
using sql::require;
using sql::strings_from_json;
using sql::strings_to_json;
using sql::table_of;
using sql::to_ms;

}  // namespace leadproc::sqlite
