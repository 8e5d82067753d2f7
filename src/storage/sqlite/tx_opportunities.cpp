// SqliteTx: opportunities (the spec's rawopportunities). The record is stored whole as `doc`
// (codec::to_json); `version` lives in its column (the document's copy is overridden on read),
// and the other columns are derived from the record on every write for filters and indexes.
#include <boost/json/serialize.hpp>
#include <variant>

#include "codec/json_codec.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/search_text.h"
#include "domain/url.h"
#include "storage/sql/columns.h"
#include "storage/sqlite/search_terms.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, lead_id, trace_id, number, destination_key, status, filteration_process, platform, "
    "assigned_psv, assigned_west, owner, is_duplicate, closed, awaiting_pool, "
    "next_follow_up_date, created_at, updated_at, version, doc, crm_entry_at, score, page_url, "
    "travel_month, score_travel_at, search_terms";

std::string destination_key(const std::optional<Id>& destination_id) {
  return destination_id.value_or("");
}

Result<Opportunity> read_opportunity(const sql::Row& q) {  // columns: version, doc
  auto doc = parse_object(q.text_at(1), "opportunities.doc");
  if (!doc) return doc.error();
  Opportunity o = codec::opportunity_from_json(*doc);
  o.version = q.int_at(0);
  return o;
}

template <typename E>
std::optional<std::string> opt_enum(const std::optional<E>& v) {
  return v ? std::optional<std::string>(to_string(*v)) : std::nullopt;
}

// Binds kColumns from parameter 1, storing `version` in the column and in the document.
// `terms`: search_terms(o), stored as search_terms.
void bind_opportunity(Query& q, const Opportunity& o, std::int64_t version,
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
}

// A bound value of a dynamically assembled WHERE clause.
using Arg = std::variant<std::int64_t, std::string>;

}  // namespace

Result<std::optional<Opportunity>> SqliteTx::get_opportunity(const Id& id) {
  auto q = c_.query("SELECT version, doc FROM opportunities WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqliteTx::list_opportunities(const OpportunityFilter& f,
                                                              const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  // The WHERE clause is assembled from fixed fragments, one per filter given, with every value
  // bound; each distinct shape is prepared once and cached. Newest first by id, with the cursor
  // as `id < after`, so the (column, ..., id) indexes serve both the filter and the order.
  std::string where;  // " AND ..." for each filter but the assignee
  std::vector<Arg> where_args;
  auto add = [&](std::string_view fragment, Arg value) {
    where += fragment;
    where_args.push_back(std::move(value));
  };
  if (f.status) add(" AND status = ?", std::string(to_string(*f.status)));
  if (f.filteration_process)
    add(" AND filteration_process = ?", std::string(to_string(*f.filteration_process)));
  if (f.destination_id) add(" AND destination_key = ?", *f.destination_id);
  if (f.platform) add(" AND platform = ?", std::string(to_string(*f.platform)));
  if (f.created_from) {
    // Also as an id range (store.h OpportunityFilter), which the primary key reads in order.
    auto low = object_id_lower_bound(*f.created_from - kCreatedIdSkew);
    if (!low) return std::vector<Opportunity>{};  // later than any id
    add(" AND id >= ?", *low);
    add(" AND created_at >= ?", to_ms(*f.created_from));
  }
  if (f.created_to) {
    if (auto high = object_id_lower_bound(*f.created_to + kCreatedIdSkew))
      add(" AND id < ?", *high);
    add(" AND created_at < ?", to_ms(*f.created_to));
  }
  if (f.unassigned)
    where += *f.unassigned ? " AND awaiting_pool IS NOT NULL" : " AND awaiting_pool IS NULL";

  std::string sql;
  std::vector<Arg> args;
  if (f.assignee && !f.by_score) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (IN drops an opportunity listed by two columns).
    // With a status each is read in order from its (column, status, id) index; without one,
    // the column's ids come from the same index and only they are sorted, not whole rows.
    if (page.after) add(" AND id < ?", *page.after);
    sql = "SELECT version, doc FROM opportunities WHERE id IN (";
    const char* union_all = "";
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"}) {
      sql += cat(union_all, "SELECT id FROM (SELECT id FROM opportunities WHERE ", column, " = ?",
                 where, " ORDER BY id DESC LIMIT ?)");
      union_all = " UNION ALL ";
      args.emplace_back(*f.assignee);
      args.insert(args.end(), where_args.begin(), where_args.end());
      args.emplace_back(std::int64_t{page.limit});
    }
    sql += ") ORDER BY id DESC LIMIT ?";
    args.emplace_back(std::int64_t{page.limit});
  } else if (!f.by_score && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged. (An index on (column, id) alone would cost every lead's write a page of WAL.)
    if (page.after) add(" AND id < ?", *page.after);
    sql = "SELECT version, doc FROM opportunities WHERE id IN (";
    const char* union_all = "";
    for (std::string_view status : all_opportunity_statuses()) {
      sql += cat(union_all, "SELECT id FROM (SELECT id FROM opportunities WHERE status = '", status,
                 "'", where, " ORDER BY id DESC LIMIT ?)");
      union_all = " UNION ALL ";
      args.insert(args.end(), where_args.begin(), where_args.end());
      args.emplace_back(std::int64_t{page.limit});
    }
    sql += ") ORDER BY id DESC LIMIT ?";
    args.emplace_back(std::int64_t{page.limit});
  } else {
    if (f.assignee) {
      // By score: every opportunity the person has, by one indexed lookup per assignee column
      // (an OR across columns could not use them); no index holds them in score order, so
      // they are gathered whole.
      where +=
          " AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ?"
          " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ?"
          " UNION ALL SELECT id FROM opportunities WHERE owner = ?)";
      for (int i = 0; i < 3; ++i) where_args.emplace_back(*f.assignee);
    }
    if (f.by_score) {
      // Keyset paging in (score desc, id desc) order from the cursor row.
      if (page.after) {
        where +=
            " AND (score < (SELECT score FROM opportunities WHERE id = ?) OR (score = (SELECT "
            "score FROM opportunities WHERE id = ?) AND id < ?))";
        for (int i = 0; i < 3; ++i) where_args.emplace_back(*page.after);
      }
      add(" ORDER BY score DESC, id DESC LIMIT ?", std::int64_t{page.limit});
    } else {
      if (page.after) add(" AND id < ?", *page.after);
      add(" ORDER BY id DESC LIMIT ?", std::int64_t{page.limit});
    }
    sql = "SELECT version, doc FROM opportunities WHERE 1 = 1" + where;
    args = std::move(where_args);
  }

  auto q = c_.query(sql);
  if (!q) return q.error();
  int index = 1;
  for (const auto& a : args) {
    if (const auto* n = std::get_if<std::int64_t>(&a)) {
      q->bind_int(index++, *n);
    } else {
      q->bind_text(index++, std::get<std::string>(a));
    }
  }
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::optional<Opportunity>> SqliteTx::find_open_original_for_update(
    const std::string& e164, const std::optional<Id>& destination_id) {
  // Served by the partial unique index opportunities_open_original.
  auto q = c_.query(
      "SELECT version, doc FROM opportunities WHERE number = ?1 AND destination_key = ?2 "
      "AND is_duplicate = 0 AND closed = 0");
  if (!q) return q.error();
  q->bind_text(1, e164);
  q->bind_text(2, destination_key(destination_id));
  return first<Opportunity>(*q, read_opportunity);
}

Status SqliteTx::insert_opportunity(const Opportunity& opp) {
  auto q = c_.query(cat("INSERT INTO opportunities (", kColumns,
                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                        "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"));
  if (!q) return q.error();
  auto terms = search_terms(opp);
  bind_opportunity(*q, opp, opp.version, terms);
  if (auto s = q->run(); !s) return s;
  return reindex_terms(c_, opp.id, {}, terms);
}

Status SqliteTx::update_opportunity(const Opportunity& opp, std::int64_t expected_version) {
  // The terms it is indexed under now, to rewrite its term rows only if they change.
  std::vector<std::string> before;
  {
    auto q = c_.query("SELECT search_terms FROM opportunities WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, opp.id);
    auto row = q->step();
    if (!row) return row.error();
    if (*row) before = split_terms(q->text_at(0));
  }
  auto terms = search_terms(opp);
  {
    auto q = c_.query(
        "UPDATE opportunities SET lead_id = ?2, trace_id = ?3, number = ?4, destination_key = ?5, "
        "status = ?6, filteration_process = ?7, platform = ?8, assigned_psv = ?9, "
        "assigned_west = ?10, owner = ?11, is_duplicate = ?12, closed = ?13, awaiting_pool = ?14, "
        "next_follow_up_date = ?15, created_at = ?16, updated_at = ?17, version = ?18, doc = ?19, "
        "crm_entry_at = ?20, score = ?21, page_url = ?22, travel_month = ?23, score_travel_at = "
        "?24, search_terms = ?25 "
        "WHERE id = ?1 AND version = ?26");
    if (!q) return q.error();
    bind_opportunity(*q, opp, expected_version + 1, terms);
    q->bind_int(26, expected_version);
    if (auto s = q->run(); !s) return s;
    if (q->changes() == 1)
      return before == terms ? ok_status() : reindex_terms(c_, opp.id, before, terms);
  }
  auto current = c_.query("SELECT version FROM opportunities WHERE id = ?1");
  if (!current) return current.error();
  current->bind_text(1, opp.id);
  auto row = current->step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("opportunity " + opp.id + " not found");
  return Error{ErrorCode::kPreconditionFailed,
               "opportunity " + opp.id + " is at version " + std::to_string(current->int_at(0)) +
                   ", not " + std::to_string(expected_version),
               {},
               {},
               0};
}

Result<std::vector<Opportunity>> SqliteTx::waiting_for_pool(AvailabilityProcess process,
                                                            int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q = c_.query(
      "SELECT version, doc FROM opportunities WHERE awaiting_pool = ?1 ORDER BY id LIMIT ?2");
  if (!q) return q.error();
  q->bind_text(1, to_string(process));
  q->bind_int(2, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqliteTx::travel_month_due(Timestamp from, Timestamp to,
                                                            Timestamp stamped_before, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q = c_.query(
      "SELECT version, doc FROM opportunities WHERE travel_month >= ?1 AND travel_month < ?2 "
      "AND closed = 0 AND is_duplicate = 0 AND (score_travel_at IS NULL OR score_travel_at < ?3) "
      "ORDER BY id LIMIT ?4");
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  q->bind_int(3, to_ms(stamped_before));
  q->bind_int(4, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqliteTx::resolving_from_url(const std::string& normalized_url,
                                                              int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  auto q = c_.query(
      "SELECT version, doc FROM opportunities WHERE page_url = ?1 AND status = 'ResolvingUnknown' "
      "ORDER BY id LIMIT ?2");
  if (!q) return q.error();
  q->bind_text(1, normalized_url);
  q->bind_int(2, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<Opportunity>> SqliteTx::search_opportunities(const SearchFilter& f,
                                                                const Page& page) {
  if (page.limit <= 0 || (f.terms.empty() && !f.prefix)) return std::vector<Opportunity>{};
  // One term's rows drive the query in id order from the primary key (term, opp_id): the
  // prefix's range, or the longest exact term (likely the rarest); the other terms are probed
  // by the same key. CROSS JOIN keeps SQLite from starting at the opportunities.
  std::vector<std::string> args;
  std::string sql =
      "SELECT o.version, o.doc FROM opportunity_terms t0 CROSS JOIN opportunities o "
      "WHERE o.id = t0.opp_id";
  std::vector<std::string> probes = f.terms;
  if (f.prefix) {
    sql += " AND t0.term >= ? AND t0.term < ?";
    args = {*f.prefix, prefix_end(*f.prefix)};
  } else {
    auto longest = std::max_element(probes.begin(), probes.end(),
                                    [](auto& a, auto& b) { return a.size() < b.size(); });
    sql += " AND t0.term = ?";
    args.push_back(*longest);
    probes.erase(longest);
  }
  for (const auto& term : probes) {
    sql +=
        " AND EXISTS (SELECT 1 FROM opportunity_terms t WHERE t.term = ? AND t.opp_id = t0.opp_id)";
    args.push_back(term);
  }
  if (f.visible_to) {
    sql += " AND (o.assigned_psv = ? OR o.assigned_west = ? OR o.owner = ?)";
    args.insert(args.end(), 3, *f.visible_to);
  }
  if (page.after) {
    sql += " AND t0.opp_id < ?";
    args.push_back(*page.after);
  }
  sql += " ORDER BY t0.opp_id DESC LIMIT ?";
  auto q = c_.query(sql);
  if (!q) return q.error();
  int index = 1;
  for (const auto& a : args) q->bind_text(index++, a);
  q->bind_int(index, page.limit);
  return collect<Opportunity>(*q, read_opportunity);
}

}  // namespace leadproc::sqlite
