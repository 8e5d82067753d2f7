// SqlTx: opportunities (the spec's rawopportunities). The record is stored whole as `doc`
// (codec::to_json); `version` lives in its column (the document's copy is overridden on read),
// and the other columns are derived from the record on every write for filters and indexes.
#include <array>

#include <boost/json/serialize.hpp>

#include "codec/json_codec.h"
#include "domain/funnel.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/search_text.h"
#include "domain/url.h"
#include "storage/sql/columns.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, lead_id, trace_id, number, destination_key, status, filteration_process, platform, "
    "assigned_psv, assigned_west, owner, is_duplicate, closed, awaiting_pool, "
    "next_follow_up_date, created_at, updated_at, version, doc, crm_entry_at, score, page_url, "
    "travel_month, score_travel_at, search_terms, deal_amount, deal_currency, campaign, "
    "funnel_step, "
    "funnel_outcome, crm_stage, crm_sub_stage, duplicate_of, filtration_stage";

std::string destination_key(const std::optional<Id>& destination_id) {
  return destination_id.value_or("");
}

template <typename E>
std::optional<std::string> opt_enum(const std::optional<E>& v) {
  return v ? std::optional<std::string>(to_string(*v)) : std::nullopt;
}

// Binds kColumns from parameter 1, storing `version` in the column and in the document.
// `terms`: search_terms(o), stored as search_terms.
void bind_opportunity(Stmt& q, const Opportunity& o, std::int64_t version,
                      const std::vector<std::string>& terms) {
  q.bind_text(1, o.id);
  q.bind_opt_text(2, o.lead_id);
  q.bind_text(3, o.trace_id);
  q.bind_text(4, o.number);
  q.bind_text(5, destination_key(o.destination ? std::optional(o.destination->id) : std::nullopt));
  q.bind_text(6, to_string(o.status));
  q.bind_opt_text(7, opt_enum(o.filteration_process));
  q.bind_text(8, to_string(o.lead_source.platform));
  q.bind_opt_text(9, o.assigned_psv ? std::optional(o.assigned_psv->id) : std::nullopt);
  q.bind_opt_text(10, o.assigned_west ? std::optional(o.assigned_west->id) : std::nullopt);
  q.bind_opt_text(11, o.opportunity_owner);
  q.bind_bool(12, o.is_duplicate);
  q.bind_bool(13, is_closed(o));
  q.bind_opt_text(14, opt_enum(o.awaiting_pool));
  q.bind_opt_int(15, to_ms(o.next_follow_up_date));
  q.bind_int(16, to_ms(o.created_at));
  q.bind_int(17, to_ms(o.updated_at));
  q.bind_int(18, version);
  auto doc = codec::to_json(o);
  doc["version"] = version;
  q.bind_text(19, boost::json::serialize(doc));
  q.bind_opt_int(20, to_ms(o.crm_stage_meta ? o.crm_stage_meta->crm_entry_at : std::nullopt));
  q.bind_double(21, o.opportunity_score);
  q.bind_opt_text(22, o.page ? normalize_url(*o.page) : std::nullopt);
  q.bind_opt_int(23, to_ms(o.travel_month_date_format));
  q.bind_opt_int(24, to_ms(o.score_updated_for_trave_month_at));
  q.bind_text(25, join_terms(terms));
  q.bind_opt_int(26, o.deal_value ? std::optional(o.deal_value->minor) : std::nullopt);
  q.bind_opt_text(27, o.deal_value ? std::optional(o.deal_value->currency) : std::nullopt);
  const auto funnel = funnel_columns(o);
  q.bind_text(28, funnel.campaign);
  q.bind_int(29, funnel.step);
  q.bind_opt_text(30, funnel.outcome);
  q.bind_opt_text(
      31, opt_enum(o.crm_stage_meta ? std::optional(o.crm_stage_meta->stage) : std::nullopt));
  q.bind_opt_text(32, o.crm_stage_meta ? o.crm_stage_meta->sub_stage : std::nullopt);
  q.bind_opt_text(33, o.is_duplicate ? o.duplicate_of : std::nullopt);
  q.bind_opt_text(34, filtration_stage_of(o));
}

}  // namespace

Result<Opportunity> read_opportunity(const Row& r) {
  auto doc = parse_object(r.view_at(1), "opportunities.doc");
  if (!doc) return doc.error();
  Opportunity o = codec::opportunity_from_json(*doc);
  o.version = r.int_at(0);
  return o;
}

Result<std::optional<Opportunity>> SqlTx::get_opportunity(const Id& id) {
  auto q = prepare(cat("SELECT version, doc FROM opportunities WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Opportunity>(*q, read_opportunity);
}

Result<std::optional<Opportunity>> SqlTx::find_open_original_for_update(
    const std::string& e164, const std::optional<Id>& destination_id) {
  // Where the store locks, the key lock serialises every lead of this number and destination,
  // found or not: a row lock could not, as there is no row yet when the first two arrive
  // together. The second waits here until the first commits, then finds its original.
  const std::string key = destination_key(destination_id);
  if (auto s = lock_key(LockKind::kOpenOriginal, e164, key); !s) return s.error();
  // Served by the partial unique index opportunities_open_original.
  auto q = prepare(cat("SELECT version, doc FROM opportunities WHERE number = ?1 AND ",
                       "destination_key = ?2 AND is_duplicate = ", sql_false(),
                       " AND closed = ", sql_false(), for_update()));
  if (!q) return q.error();
  q->bind_text(1, e164);
  q->bind_text(2, key);
  return first<Opportunity>(*q, read_opportunity);
}

Status SqlTx::insert_opportunity(const Opportunity& opp) {
  // closed_at (migration 28): an opportunity stored closed was closed when last changed. Its
  // first contact (migration 37): none, unless an import stored its follow-ups before it.
  auto q = prepare(
      cat("INSERT INTO opportunities (", kColumns,
          ", closed_at, first_contact_at, first_contact_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
          "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
          "?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, CASE WHEN ?13 THEN CAST(?17 AS "
          "BIGINT) ELSE "
          "NULL END, ",
          earliest_first_contact("completed_at"), ", ", earliest_first_contact("owner"), ")"));
  if (!q) return q.error();
  auto terms = search_terms(opp);
  bind_opportunity(*q, opp, opp.version, terms);
  if (auto s = q->run(); !s) return s;
  if (auto s = move_holding(Holding{}, holding_of(opp)); !s) return s;
  return index_terms(opp.id, {}, terms);
}

Status SqlTx::update_opportunity(const Opportunity& opp, std::int64_t expected_version) {
  // The terms it is indexed under now, to rewrite its term rows only if they change; the facets
  // its stays carry (migration 32), to rewrite them only if they change; and its part in the
  // open_counts rollup (migrations 34 and 38), to move it. Locked where the store locks rows, so
  // that what is read here is the row the UPDATE below replaces when its version matches (a racing
  // update fails on its version).
  std::vector<std::string> before;
  std::array<std::string, 3> facets_before;
  Holding held_before;
  {
    auto q = prepare(cat(
        "SELECT search_terms, platform, destination_key, campaign, status, closed, assigned_psv, ",
        "assigned_west, owner, crm_stage, filtration_stage FROM opportunities WHERE id = ?1",
        for_update()));
    if (!q) return q.error();
    q->bind_text(1, opp.id);
    auto row = q->step();
    if (!row) return row.error();
    if (*row) {
      before = split_terms(q->view_at(0));
      for (int i = 0; i < 3; ++i) facets_before[i] = q->text_at(i + 1);
      held_before = holding_of(q->text_at(4), q->opt_text_at(9), q->opt_text_at(10), q->bool_at(5),
                               q->opt_text_at(6), q->opt_text_at(7), q->opt_text_at(8));
    }
  }
  auto terms = search_terms(opp);
  const std::array<std::string, 3> facets{
      std::string(to_string(opp.lead_source.platform)),
      destination_key(opp.destination ? std::optional(opp.destination->id) : std::nullopt),
      campaign_of(opp)};
  {
    auto q = prepare(
        "UPDATE opportunities SET lead_id = ?2, trace_id = ?3, number = ?4, destination_key = ?5, "
        "status = ?6, filteration_process = ?7, platform = ?8, assigned_psv = ?9, "
        "assigned_west = ?10, owner = ?11, is_duplicate = ?12, closed = ?13, awaiting_pool = ?14, "
        "next_follow_up_date = ?15, created_at = ?16, updated_at = ?17, version = ?18, doc = ?19, "
        "crm_entry_at = ?20, score = ?21, page_url = ?22, travel_month = ?23, score_travel_at = "
        "?24, search_terms = ?25, deal_amount = ?26, deal_currency = ?27, campaign = ?28, "
        "funnel_step = ?29, funnel_outcome = ?30, crm_stage = ?31, crm_sub_stage = ?32, "
        "duplicate_of = ?33, filtration_stage = ?34, "
        // closed_at (migration 28): set by the write that closes it, kept while it stays closed,
        // cleared when it reopens (the right-hand side reads the row as it was).
        "closed_at = CASE WHEN ?13 THEN COALESCE(closed_at, CAST(?17 AS BIGINT)) ELSE NULL END "
        "WHERE id = ?1 AND version = ?35");
    if (!q) return q.error();
    bind_opportunity(*q, opp, expected_version + 1, terms);
    q->bind_int(35, expected_version);
    if (auto s = q->run(); !s) return s;
    if (q->changes() == 1) {
      if (auto s = move_holding(held_before, holding_of(opp)); !s) return s;
      if (facets != facets_before) {
        auto stays = prepare(
            "UPDATE stage_periods SET platform = ?2, destination_key = ?3, campaign = ?4 "
            "WHERE opp_id = ?1");
        if (!stays) return stays.error();
        stays->bind_text(1, opp.id);
        for (int i = 0; i < 3; ++i) stays->bind_text(i + 2, facets[i]);
        if (auto s = stays->run(); !s) return s;
      }
      return before == terms ? ok_status() : index_terms(opp.id, before, terms);
    }
  }
  return version_moved("opportunities", "opportunity", opp.id, expected_version);
}

Status SqlTx::version_moved(std::string_view table, std::string_view what, const Id& id,
                            std::int64_t expected_version) {
  auto current = prepare(cat("SELECT version FROM ", table, " WHERE id = ?1"));
  if (!current) return current.error();
  current->bind_text(1, id);
  auto row = current->step();
  if (!row) return row.error();
  const std::string name = cat(what, " ", id);
  if (!*row) return Error::not_found(name + " not found");
  return Error{ErrorCode::kPreconditionFailed,
               name + " is at version " + std::to_string(current->int_at(0)) + ", not " +
                   std::to_string(expected_version),
               {},
               {},
               0};
}

Result<std::vector<Opportunity>> SqlTx::waiting_for_pool(AvailabilityProcess process, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q = prepare(cat("SELECT version, doc FROM opportunities WHERE awaiting_pool = ?1 ",
                       "ORDER BY id LIMIT ?2", for_update()));
  if (!q) return q.error();
  q->bind_text(1, to_string(process));
  q->bind_int(2, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqlTx::travel_month_due(Timestamp from, Timestamp to,
                                                         Timestamp stamped_before, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q = prepare(cat("SELECT version, doc FROM opportunities WHERE travel_month >= ?1 AND ",
                       "travel_month < ?2 AND closed = ", sql_false(), " AND is_duplicate = ",
                       sql_false(), " AND (score_travel_at IS NULL OR score_travel_at < ?3) ",
                       "ORDER BY id LIMIT ?4", for_update()));
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  q->bind_int(3, to_ms(stamped_before));
  q->bind_int(4, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqlTx::resolving_from_url(const std::string& normalized_url,
                                                           int limit,
                                                           const std::optional<Id>& after) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q =
      prepare(cat("SELECT version, doc FROM opportunities WHERE page_url = ?1 AND ",
                  "status = 'ResolvingUnknown' AND id > ?3 ORDER BY id LIMIT ?2", for_update()));
  if (!q) return q.error();
  q->bind_text(1, normalized_url);
  q->bind_int(2, limit);
  q->bind_text(3, after.value_or(""));
  return collect<Opportunity>(*q, read_opportunity);
}

}  // namespace leadproc::sql
