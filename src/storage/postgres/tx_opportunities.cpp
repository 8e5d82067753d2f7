// PgTx: opportunities (the spec's rawopportunities). The record is stored whole as `doc`
// (codec::to_json); `version` lives in its column (the document's copy is overridden on read),
// and the other columns are derived from the record on every write for filters and indexes.
#include <algorithm>
#include <boost/json/serialize.hpp>

#include "codec/json_codec.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/search_text.h"
#include "domain/url.h"
#include "storage/sql/columns.h"
#include "storage/postgres/search_terms.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, lead_id, trace_id, number, destination_key, status, filteration_process, platform, "
    "assigned_psv, assigned_west, owner, is_duplicate, closed, awaiting_pool, "
    "next_follow_up_date, created_at, updated_at, version, doc, crm_entry_at, score, page_url, "
    "travel_month, score_travel_at, search_terms";

std::string destination_key(const std::optional<Id>& destination_id) {
  return destination_id.value_or("");
}

Result<Opportunity> read_opportunity(const Row& r) {  // columns: version, doc
  auto doc = parse_object(r.view_at(1), "opportunities.doc");
  if (!doc) return doc.error();
  Opportunity o = codec::opportunity_from_json(*doc);
  o.version = r.int_at(0);
  return o;
}

template <typename E>
std::optional<std::string> opt_enum(const std::optional<E>& v) {
  return v ? std::optional<std::string>(to_string(*v)) : std::nullopt;
}

// kColumns as $1..$25, storing `version` in the column and in the document; `terms`:
// search_terms(o), stored as search_terms.
Params opportunity_params(const Opportunity& o, std::int64_t version,
                          const std::vector<std::string>& terms) {
  auto doc = codec::to_json(o);
  doc["version"] = version;
  Params p;
  p.text(o.id)
      .opt_text(o.lead_id)
      .text(o.trace_id)
      .text(o.number)
      .text(destination_key(o.destination ? std::optional(o.destination->id) : std::nullopt))
      .text(to_string(o.status))
      .opt_text(opt_enum(o.filteration_process))
      .text(to_string(o.lead_source.platform))
      .opt_text(o.assigned_psv ? std::optional(o.assigned_psv->id) : std::nullopt)
      .opt_text(o.assigned_west ? std::optional(o.assigned_west->id) : std::nullopt)
      .opt_text(o.opportunity_owner)
      .boolean(o.is_duplicate)
      .boolean(is_closed(o))
      .opt_text(opt_enum(o.awaiting_pool))
      .opt_integer(to_ms(o.next_follow_up_date))
      .integer(to_ms(o.created_at))
      .integer(to_ms(o.updated_at))
      .integer(version)
      .text(boost::json::serialize(doc))
      .opt_integer(to_ms(o.crm_stage_meta ? o.crm_stage_meta->crm_entry_at : std::nullopt))
      .real(o.opportunity_score)
      .opt_text(o.page ? normalize_url(*o.page) : std::nullopt)
      .opt_integer(to_ms(o.travel_month_date_format))
      .opt_integer(to_ms(o.score_updated_for_trave_month_at))
      .text(join_terms(terms));
  return p;
}

}  // namespace

Result<std::optional<Opportunity>> PgTx::get_opportunity(const Id& id) {
  auto rows = run(cat("SELECT version, doc FROM opportunities WHERE id = $1", for_update()),
                  Params().text(id));
  if (!rows) return rows.error();
  return first<Opportunity>(*rows, read_opportunity);
}

Result<std::vector<Opportunity>> PgTx::list_opportunities(const OpportunityFilter& f,
                                                          const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  // The WHERE clause is assembled from fixed fragments, one per filter given, with every value
  // bound; each distinct shape is prepared once per connection. Newest first by id, with the
  // cursor as `id < after`, so the (column, ..., id) indexes serve both the filter and the order.
  std::string where;  // " AND ..." for each filter but the assignee
  Params p;
  auto next = [&] { return "$" + std::to_string(p.size()); };  // the parameter just added
  auto add_text = [&](std::string_view column_op, const std::string& value) {
    p.text(value);
    where += cat(" AND ", column_op, " ", next());
  };
  auto add_int = [&](std::string_view column_op, std::int64_t value) {
    p.integer(value);
    where += cat(" AND ", column_op, " ", next());
  };
  if (f.status) add_text("status =", std::string(to_string(*f.status)));
  if (f.filteration_process)
    add_text("filteration_process =", std::string(to_string(*f.filteration_process)));
  if (f.destination_id) add_text("destination_key =", *f.destination_id);
  if (f.platform) add_text("platform =", std::string(to_string(*f.platform)));
  if (f.created_from) {
    // Also as an id range (store.h OpportunityFilter), which the primary key reads in order.
    auto low = object_id_lower_bound(*f.created_from - kCreatedIdSkew);
    if (!low) return std::vector<Opportunity>{};  // later than any id
    add_text("id >=", *low);
    add_int("created_at >=", to_ms(*f.created_from));
  }
  if (f.created_to) {
    if (auto high = object_id_lower_bound(*f.created_to + kCreatedIdSkew)) add_text("id <", *high);
    add_int("created_at <", to_ms(*f.created_to));
  }
  if (f.unassigned)
    where += *f.unassigned ? " AND awaiting_pool IS NOT NULL" : " AND awaiting_pool IS NULL";

  std::string sql;
  if (f.assignee && !f.by_score) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (IN drops an opportunity listed by two columns).
    // With a status each is read in order from its (column, status, id) index; without one,
    // the column's ids come from the same index and only they are sorted, not whole rows.
    // The page's ids are chosen before any row is read (DISTINCT: one listed by two columns
    // counts once): PostgreSQL would otherwise fetch every candidate's document (up to 3 x
    // limit) and sort them.
    if (page.after) add_text("id <", *page.after);
    p.text(*f.assignee);
    const std::string a = next();
    p.integer(page.limit);
    const std::string limit = next();
    sql = "SELECT version, doc FROM opportunities WHERE id IN (SELECT DISTINCT id FROM (";
    std::string_view union_all;
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"}) {
      sql += cat(union_all, "(SELECT id FROM opportunities WHERE ", column, " = ", a, where,
                 " ORDER BY id DESC LIMIT ", limit, ")");
      union_all = " UNION ALL ";
    }
    sql +=
        cat(") AS candidates ORDER BY id DESC LIMIT ", limit, ") ORDER BY id DESC", for_update());
  } else if (!f.by_score && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged, choosing the page's ids before reading rows (13 x limit candidates, 50 fetched).
    // (An index on (column, id) alone would cost every lead's write an index entry.)
    if (page.after) add_text("id <", *page.after);
    p.integer(page.limit);
    const std::string limit = next();
    sql = "SELECT version, doc FROM opportunities WHERE id IN (SELECT DISTINCT id FROM (";
    std::string_view union_all;
    for (std::string_view status : all_opportunity_statuses()) {
      sql += cat(union_all, "(SELECT id FROM opportunities WHERE status = '", status, "'", where,
                 " ORDER BY id DESC LIMIT ", limit, ")");
      union_all = " UNION ALL ";
    }
    sql +=
        cat(") AS candidates ORDER BY id DESC LIMIT ", limit, ") ORDER BY id DESC", for_update());
  } else {
    if (f.assignee) {
      // By score: every opportunity the person has, by one indexed lookup per assignee column
      // (an OR across columns could not use them); no index holds them in score order, so
      // they are gathered whole.
      p.text(*f.assignee);
      const std::string a = next();
      where += cat(" AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE owner = ", a, ")");
    }
    if (f.by_score) {
      // Keyset paging in (score desc, id desc) order from the cursor row.
      if (page.after) {
        p.text(*page.after);
        const std::string c = next();
        where += cat(" AND (score, id) < (SELECT score, id FROM opportunities WHERE id = ", c, ")");
      }
      p.integer(page.limit);
      where += cat(" ORDER BY score DESC, id DESC LIMIT ", next(), for_update());
    } else {
      if (page.after) add_text("id <", *page.after);
      p.integer(page.limit);
      where += cat(" ORDER BY id DESC LIMIT ", next(), for_update());
    }
    sql = "SELECT version, doc FROM opportunities WHERE true" + where;
  }

  auto rows = run(sql, p);
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity);
}

Result<std::optional<Opportunity>> PgTx::find_open_original_for_update(
    const std::string& e164, const std::optional<Id>& destination_id) {
  // The advisory lock serialises every lead of this number and destination, found or not: a row
  // lock could not, as there is no row yet when the first two arrive together. The second waits
  // here until the first commits, then finds its original.
  const std::string key = destination_key(destination_id);
  if (auto s = advisory_lock(LockKind::kOpenOriginal, e164 + "|" + key); !s) return s.error();
  // Served by the partial unique index opportunities_open_original.
  auto rows = run(cat("SELECT version, doc FROM opportunities WHERE number = $1 AND ",
                      "destination_key = $2 AND NOT is_duplicate AND NOT closed", for_update()),
                  Params().text(e164).text(key));
  if (!rows) return rows.error();
  return first<Opportunity>(*rows, read_opportunity);
}

Status PgTx::insert_opportunity(const Opportunity& opp) {
  auto terms = search_terms(opp);
  auto rows = run(cat("INSERT INTO opportunities (", kColumns,
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ",
                      "$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"),
                  opportunity_params(opp, opp.version, terms));
  if (!rows) return rows.error();
  return reindex_terms(run_sql(), opp.id, {}, terms);
}

Status PgTx::update_opportunity(const Opportunity& opp, std::int64_t expected_version) {
  // The terms it is indexed under now, to rewrite its term rows only if they change (the row
  // lock of the UPDATE below comes after: a racing update fails on its version).
  auto current_terms =
      run("SELECT search_terms FROM opportunities WHERE id = $1", Params().text(opp.id));
  if (!current_terms) return current_terms.error();
  std::vector<std::string> before;
  if (!current_terms->empty()) before = split_terms((*current_terms)[0].view_at(0));
  auto terms = search_terms(opp);
  Params p = opportunity_params(opp, expected_version + 1, terms);
  p.integer(expected_version);
  auto rows = run(
      "UPDATE opportunities SET lead_id = $2, trace_id = $3, number = $4, destination_key = $5, "
      "status = $6, filteration_process = $7, platform = $8, assigned_psv = $9, "
      "assigned_west = $10, owner = $11, is_duplicate = $12, closed = $13, awaiting_pool = $14, "
      "next_follow_up_date = $15, created_at = $16, updated_at = $17, version = $18, doc = $19, "
      "crm_entry_at = $20, score = $21, page_url = $22, travel_month = $23, "
      "score_travel_at = $24, search_terms = $25 WHERE id = $1 AND version = $26",
      p);
  if (!rows) return rows.error();
  if (rows->affected() == 1)
    return before == terms ? ok_status() : reindex_terms(run_sql(), opp.id, before, terms);
  auto current = run("SELECT version FROM opportunities WHERE id = $1", Params().text(opp.id));
  if (!current) return current.error();
  if (current->empty()) return Error::not_found("opportunity " + opp.id + " not found");
  return Error{ErrorCode::kPreconditionFailed,
               "opportunity " + opp.id + " is at version " +
                   std::to_string((*current)[0].int_at(0)) + ", not " +
                   std::to_string(expected_version),
               {},
               {},
               0};
}

Result<std::vector<Opportunity>> PgTx::waiting_for_pool(AvailabilityProcess process, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto rows = run(cat("SELECT version, doc FROM opportunities WHERE awaiting_pool = $1 ",
                      "ORDER BY id LIMIT $2", for_update()),
                  Params().text(to_string(process)).integer(limit));
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity);
}

Result<std::vector<Opportunity>> PgTx::travel_month_due(Timestamp from, Timestamp to,
                                                        Timestamp stamped_before, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto rows = run(
      cat("SELECT version, doc FROM opportunities WHERE travel_month >= $1 AND ",
          "travel_month < $2 AND NOT closed AND NOT is_duplicate AND ",
          "(score_travel_at IS NULL OR score_travel_at < $3) ORDER BY id LIMIT $4", for_update()),
      Params()
          .integer(to_ms(from))
          .integer(to_ms(to))
          .integer(to_ms(stamped_before))
          .integer(limit));
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity);
}

Result<std::vector<Opportunity>> PgTx::resolving_from_url(const std::string& normalized_url,
                                                          int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto rows = run(cat("SELECT version, doc FROM opportunities WHERE page_url = $1 AND ",
                      "status = 'ResolvingUnknown' ORDER BY id LIMIT $2", for_update()),
                  Params().text(normalized_url).integer(limit));
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity);
}

Result<std::vector<Opportunity>> PgTx::search_opportunities(const SearchFilter& f,
                                                            const Page& page) {
  if (page.limit <= 0 || (f.terms.empty() && !f.prefix)) return std::vector<Opportunity>{};
  // One term's rows drive the query in id order from the primary key (term, opp_id): the
  // prefix's range, or the longest exact term (likely the rarest); the other terms are probed
  // by the same key.
  Params params;
  int n = 0;
  auto arg = [&](const std::string& v) {
    params.text(v);
    return "$" + std::to_string(++n);
  };
  std::string sql =
      "SELECT o.version, o.doc FROM opportunity_terms t0 JOIN opportunities o ON o.id = t0.opp_id "
      "WHERE ";
  std::vector<std::string> probes = f.terms;
  if (f.prefix) {
    sql += cat("t0.term >= ", arg(*f.prefix), " AND t0.term < ", arg(prefix_end(*f.prefix)));
  } else {
    auto longest = std::max_element(probes.begin(), probes.end(),
                                    [](auto& a, auto& b) { return a.size() < b.size(); });
    sql += cat("t0.term = ", arg(*longest));
    probes.erase(longest);
  }
  for (const auto& term : probes)
    sql += cat(" AND EXISTS (SELECT 1 FROM opportunity_terms t WHERE t.term = ", arg(term),
               " AND t.opp_id = t0.opp_id)");
  if (f.visible_to) {
    auto me = arg(*f.visible_to);
    sql +=
        cat(" AND (o.assigned_psv = ", me, " OR o.assigned_west = ", me, " OR o.owner = ", me, ")");
  }
  if (page.after) sql += cat(" AND t0.opp_id < ", arg(*page.after));
  params.integer(page.limit);
  sql += cat(" ORDER BY t0.opp_id DESC LIMIT $", std::to_string(++n));
  auto rows = run(sql, params);
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity);
}

}  // namespace leadproc::postgres
