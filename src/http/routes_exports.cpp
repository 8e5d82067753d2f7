// GET /api/v1/exports/{opportunities,followups,sla}.csv (docs/api.md "Exports"): a list as a CSV
// file a spreadsheet opens, with every filter of the list and the caller's scope, so that it holds
// exactly the rows of the same list (http/opportunity_query.h, followup_query.h,
// report_period.h). Streamed: one page of rows per chunk (Response::next_chunk), so an export of a
// million rows holds one page in memory.
#include <cmath>
#include <functional>
#include <map>
#include <memory>

#include "app/access.h"
#include "app/followups.h"
#include "app/queries.h"
#include "app/sla_report.h"
#include "app/users.h"
#include "codec/csv.h"
#include "domain/funnel.h"
#include "domain/time_format.h"
#include "http/followup_query.h"
#include "http/opportunity_query.h"
#include "http/report_period.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

namespace {

// Rows read and sent together: one page of the list, one chunk on the wire.
constexpr int kRowsPerChunk = 500;

const std::vector<std::string> kColumns = {
    "id",     "created",     "name",         "number",         "email",
    "status", "stage",       "destination",  "platform",       "campaign",
    "owner",  "PSV agent",   "WEST agent",   "next follow-up", "score",
    "pax",    "travel date", "re-inquiries", "duplicate of",   "remarks"};

std::string text(const std::optional<std::string>& s) {
  return s.value_or("");
}

std::string time_text(const std::optional<Timestamp>& t) {
  return t ? format_iso8601(*t) : "";
}

std::string stage_of(const Opportunity& o) {
  if (o.crm_stage_meta) {
    std::string s(to_string(o.crm_stage_meta->stage));
    if (o.crm_stage_meta->sub_stage) s += " / " + *o.crm_stage_meta->sub_stage;
    return s;
  }
  return o.filtration_status ? o.filtration_status->stage : "";
}

// The people directory: a name where a record holds a user id.
class Names {
 public:
  Status load(AppContext& ctx) {
    auto people = list_people(ctx);
    if (!people) return people.error();
    for (const auto& p : *people) names_[p.id] = p.name.value_or("user " + p.id.substr(18));
    return ok_status();
  }
  std::string operator()(const std::optional<Id>& id) const {
    if (!id) return "";
    auto it = names_.find(*id);
    return it == names_.end() ? *id : it->second;
  }

 private:
  std::map<Id, std::string> names_;
};

// A CSV download named `<name>-<date>.csv`: the header row, then the chunks `next` answers until
// nullopt. The first chunk is read here, so that a store that does not answer is a 503 problem,
// not a cut file; `next` throws on a store error later (the connection is then closed: the
// client sees an incomplete file, never a short one).
Response csv_download(AppContext& ctx, const Request& req, std::string_view name,
                      const std::vector<std::string>& header,
                      std::function<std::optional<std::string>()> next) {
  std::string first;
  codec::append_csv_row(first, header);
  try {
    first += next().value_or("");
  } catch (const std::exception&) {
    return problem_response(Error::unavailable("the database does not answer"), req.trace_id);
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + std::string(name) +
                                                    "-" + format_iso8601(ctx.now()).substr(0, 10) +
                                                    ".csv\"");
  r.next_chunk = [next = std::move(next), first = std::move(first),
                  sent = false]() mutable -> std::optional<std::string> {
    if (!sent) {
      sent = true;
      return std::move(first);
    }
    return next();
  };
  return r;
}

// opportunities

struct OpportunityExport {
  AppContext& ctx;
  OpportunityFilter filter;
  Page page;
  Names names;
  bool done = false;

  std::vector<std::string> row(const Opportunity& o) const {
    return {o.id,
            format_iso8601(o.created_at),
            o.name,
            o.number,
            text(o.email),
            std::string(to_string(o.status)),
            stage_of(o),
            o.destination ? o.destination->name : "",
            std::string(to_string(o.lead_source.platform)),
            campaign_of(o),
            names(o.opportunity_owner),
            o.assigned_psv ? o.assigned_psv->name : "",
            o.assigned_west ? o.assigned_west->name : "",
            time_text(o.next_follow_up_date),
            std::to_string(static_cast<long long>(o.opportunity_score)),
            text(o.pax),
            text(o.travel_date),
            std::to_string(o.re_inquiries),
            text(o.duplicate_of),
            text(o.remarks)};
  }

  // The next page as CSV rows; nullopt after the last.
  std::optional<std::string> next() {
    if (done) return std::nullopt;
    auto items = query_opportunities(ctx, filter, page, Freshness::kMayLag);
    if (!items) throw std::runtime_error("export: " + items.error().detail);
    std::string out;
    for (const auto& o : *items) codec::append_csv_row(out, row(o));
    if (static_cast<int>(items->size()) < page.limit)
      done = true;
    else
      page.after = items->back().id;
    return out;
  }
};

Response export_opportunities(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, opportunity_filter_params(), errors);
  auto state = std::make_shared<OpportunityExport>(
      OpportunityExport{ctx, opportunity_filter_from(req, ctx.now(), errors), {}, {}});
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  state->page.limit = kRowsPerChunk;
  // Somebody else's leads: the header alone, as the list answers nothing.
  auto visible = scope_opportunity_filter(req, state->filter);
  if (!visible) return problem_response(visible.error(), req.trace_id);
  if (!*visible) state->done = true;
  if (auto s = state->names.load(ctx); !s) return problem_response(s.error(), req.trace_id);
  return csv_download(ctx, req, "opportunities", kColumns, [state] { return state->next(); });
}

// follow-ups (the due list)

const std::vector<std::string> kFollowupColumns = {
    "when",   "overdue",     "follow-up",   "kind", "opportunity id", "name", "number",
    "status", "destination", "assigned to", "note"};

struct FollowupExport {
  AppContext& ctx;
  DueQuery query;
  Names names;
  std::optional<DueCursor> after;
  bool done = false;

  std::vector<std::string> row(const DueItem& item) const {
    const Opportunity& o = item.opportunity;
    std::string what;
    if (item.followup) {
      what = std::string(to_string(item.followup->stage));
      if (item.followup->sub_stage)
        what += " / " + std::string(to_string(*item.followup->sub_stage));
    } else if (o.filtration_status) {
      what = o.filtration_status->stage;
    }
    return {format_iso8601(item.reminder_date),
            item.overdue ? "yes" : "no",
            what,
            item.followup ? "CRM follow-up" : "PSV/WEST follow-up date",
            o.id,
            o.name,
            o.number,
            std::string(to_string(o.status)),
            o.destination ? o.destination->name : "",
            names(item.owner),
            item.followup ? text(item.followup->note) : ""};
  }

  // The next page as CSV rows; nullopt after the last (a page with no entry).
  std::optional<std::string> next() {
    if (done) return std::nullopt;
    auto list = due_followups(ctx, query.due, query.owner, kRowsPerChunk, after);
    if (!list) throw std::runtime_error("export: " + list.error().detail);
    if (list->items.empty()) {
      done = true;
      return std::nullopt;
    }
    std::string out;
    for (const auto& item : list->items) codec::append_csv_row(out, row(item));
    after = list->items.back().cursor();
    return out;
  }
};

Response export_followups(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, due_query_params(), errors);
  auto state =
      std::make_shared<FollowupExport>(FollowupExport{ctx, due_query_from(req, errors), {}, {}});
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  if (auto s = scope_due_query(req, state->query); !s)
    return problem_response(s.error(), req.trace_id);
  if (auto s = state->names.load(ctx); !s) return problem_response(s.error(), req.trace_id);
  return csv_download(ctx, req, "followups-" + state->query.due_text, kFollowupColumns,
                      [state] { return state->next(); });
}

// the first-contact SLA report

const std::vector<std::string> kSlaColumns = {"sales person",
                                              "entered CRM",
                                              "first contact within SLA",
                                              "first contact late",
                                              "open past SLA",
                                              "still in time",
                                              "SLA met (%)",
                                              "median time to first contact (s)"};

std::vector<std::string> sla_csv_row(const SlaRow& r, std::string name) {
  const int due = r.within_sla + r.late + r.open_past_sla;
  return {std::move(name),
          std::to_string(r.entered),
          std::to_string(r.within_sla),
          std::to_string(r.late),
          std::to_string(r.open_past_sla),
          std::to_string(r.pending),
          due ? std::to_string((100 * r.within_sla + due / 2) / due) : "",
          r.median_seconds ? std::to_string(std::llround(*r.median_seconds)) : ""};
}

// The report is one row per sales person: small, read whole, sent as one chunk.
Response export_sla(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"from", "to"}, errors);
  auto period = report_period(ctx, req, errors);
  if (!period) return problem_response(period.error(), req.trace_id);
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  auto report = sla_report(ctx, (*period)->start, (*period)->end);
  if (!report) return problem_response(report.error(), req.trace_id);
  std::string body;
  for (const auto& r : report->rows)
    codec::append_csv_row(body, sla_csv_row(r, r.owner ? r.owner_name : "nobody yet"));
  codec::append_csv_row(body, sla_csv_row(report->total, "total"));
  return csv_download(
      ctx, req, "sla", kSlaColumns,
      [body = std::move(body), sent = false]() mutable -> std::optional<std::string> {
        if (sent) return std::nullopt;
        sent = true;
        return std::move(body);
      });
}

}  // namespace

void register_export_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/exports/opportunities.csv", "exports.opportunities", Access::users(),
             [&ctx](Request& req) { return export_opportunities(ctx, req); });
  router.add("GET", "/api/v1/exports/followups.csv", "exports.followups", Access::users(),
             [&ctx](Request& req) { return export_followups(ctx, req); });
  router.add("GET", "/api/v1/exports/sla.csv", "exports.sla", Access::admin(),
             [&ctx](Request& req) { return export_sla(ctx, req); });
}

}  // namespace leadproc::http
