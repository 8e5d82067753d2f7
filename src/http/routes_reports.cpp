// The reports a manager steers by (docs/reports.md, issue 18): the funnel
// (GET /api/v1/reports/funnel) and its CSV (GET /api/v1/exports/funnel.csv, the same query and
// numbers). Every number of the funnel carries the query of the opportunities list
// that lists exactly its opportunities (http/opportunity_query.h).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <memory>
#include <variant>

#include "app/funnel_report.h"
#include "codec/csv.h"
#include "domain/object_id.h"
#include "domain/time_format.h"
#include "http/opportunity_query.h"
#include "http/report_period.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The funnel's query parameters: the period, the grouping and the report's own filters.
std::vector<std::string_view> funnel_params() {
  return {"from", "to", "groupBy", "platform", "campaign", "noCampaign", "destination", "person"};
}

// The request's FunnelQuery; field errors are added to `errors`.
Result<FunnelQuery> funnel_query_from(AppContext& ctx, const Request& req,
                                      std::vector<FieldError>& errors) {
  FunnelQuery q;
  auto period = report_period(ctx, req, errors);
  if (!period) return period.error();
  if (*period) {
    q.from = (*period)->start;
    q.to = (*period)->end;
  }
  if (auto g = query_string(req, "groupBy")) {
    auto parsed = parse_funnel_group_by(*g);
    if (!parsed)
      errors.push_back(
          {"groupBy", "must be none, platform, campaign, destination, agent, day or week"});
    else
      q.group_by = *parsed;
  }
  // The report's filters are the list's own (so its links carry them as they are).
  const OpportunityFilter f = opportunity_filter_from(req, errors);
  q.platform = f.platform;
  q.campaign = f.campaign;
  q.destination_id = f.destination_id;
  if (auto person = query_string(req, "person")) {
    if (!is_object_id(*person))
      errors.push_back({"person", "must be a 24-hex-digit id"});
    else
      q.person = *person;
  }
  return q;
}

// (previous − this) / previous in percent, to one decimal; null when previous is 0.
json::value drop_off(std::int64_t previous, std::int64_t count) {
  if (previous == 0) return nullptr;
  const double percent = static_cast<double>(previous - count) * 100.0 / previous;
  return std::round(percent * 10.0) / 10.0;
}

json::object number(std::int64_t count, OpportunityFilter filter) {
  return {{"count", count}, {"query", opportunity_filter_query(filter)}};
}

json::object funnel_row(const FunnelRow& row) {
  const FunnelFigures& f = row.figures;
  auto with = [&row](auto set) {
    OpportunityFilter filter = row.filter;
    set(filter);
    return filter;
  };
  json::array steps;
  for (const FunnelStep step : all_funnel_steps()) {
    const auto i = static_cast<std::size_t>(step);
    json::object s = number(f.reached[i], with([&](OpportunityFilter& x) {
                              x.kind = FunnelKind::kLead;
                              if (step != FunnelStep::kCaptured) x.reached = step;
                            }));
    s["step"] = to_string(step);
    s["dropOffPercent"] = i == 0 ? json::value(nullptr) : drop_off(f.reached[i - 1], f.reached[i]);
    steps.emplace_back(std::move(s));
  }
  auto of_kind = [&](FunnelKind k) { return with([k](OpportunityFilter& x) { x.kind = k; }); };
  auto with_outcome = [&](FunnelOutcome o) {
    return with([o](OpportunityFilter& x) {
      x.kind = FunnelKind::kLead;
      x.outcome = o;
    });
  };
  return {{"key", row.key},
          {"label", row.label},
          {"total", number(f.total(), row.filter)},
          {"steps", std::move(steps)},
          {"lost", number(f.lost, with_outcome(FunnelOutcome::kLost))},
          {"disqualified", number(f.disqualified, with_outcome(FunnelOutcome::kDisqualified))},
          {"duplicates", number(f.duplicates, of_kind(FunnelKind::kDuplicate))},
          {"unknown", number(f.unknown, of_kind(FunnelKind::kUnknown))}};
}

Response bad(std::vector<FieldError> errors, const Request& req) {
  return problem_response(Error::validation(std::move(errors), "bad query parameters"),
                          req.trace_id);
}

// The report the request asks for, or the problem response that says why not.
std::variant<FunnelReport, Response> run_funnel(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, funnel_params(), errors);
  auto query = funnel_query_from(ctx, req, errors);
  if (!query) return problem_response(query.error(), req.trace_id);
  if (!errors.empty()) return bad(std::move(errors), req);
  auto report = funnel_report(ctx, *query);
  if (!report) return problem_response(report.error(), req.trace_id);
  return std::move(*report);
}

Response get_funnel(AppContext& ctx, Request& req) {
  auto run = run_funnel(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<FunnelReport>(run);
  json::array rows;
  for (const auto& row : report.rows) rows.emplace_back(funnel_row(row));
  json::array steps;
  for (const FunnelStep step : all_funnel_steps()) steps.emplace_back(to_string(step));
  return json_response(200, json::object{{"from", format_iso8601(report.from)},
                                         {"to", format_iso8601(report.to)},
                                         {"timezone", ctx.config.timezone},
                                         {"groupBy", to_string(report.group_by)},
                                         {"steps", std::move(steps)},
                                         {"rows", std::move(rows)},
                                         {"total", funnel_row(report.total)}});
}

std::vector<std::string> csv_header() {
  std::vector<std::string> h{"group", "label", "total"};
  for (const FunnelStep step : all_funnel_steps()) h.emplace_back(to_string(step));
  for (const FunnelStep step : all_funnel_steps())
    if (step != FunnelStep::kCaptured) h.push_back(std::string(to_string(step)) + " drop-off %");
  for (const char* c : {"lost", "disqualified", "duplicates", "unknown destination"})
    h.emplace_back(c);
  return h;
}

std::vector<std::string> csv_row(const std::string& group, const FunnelRow& row) {
  const FunnelFigures& f = row.figures;
  std::vector<std::string> r{group, row.label, std::to_string(f.total())};
  for (const auto n : f.reached) r.push_back(std::to_string(n));
  for (std::size_t i = 1; i < f.reached.size(); ++i) {
    const json::value d = drop_off(f.reached[i - 1], f.reached[i]);
    r.push_back(d.is_null() ? "" : json::serialize(d));
  }
  for (const auto n : {f.lost, f.disqualified, f.duplicates, f.unknown})
    r.push_back(std::to_string(n));
  return r;
}

// A CSV answer streamed one row per chunk (the header first), as the opportunities export is.
Response csv_response(const std::string& name, Timestamp day,
                      std::vector<std::vector<std::string>> rows) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "-" +
                                                    format_iso8601(day).substr(0, 10) + ".csv\"");
  auto shared = std::make_shared<std::vector<std::vector<std::string>>>(std::move(rows));
  r.next_chunk = [shared, next = std::size_t{0}]() mutable -> std::optional<std::string> {
    if (next == shared->size()) return std::nullopt;
    std::string out;
    codec::append_csv_row(out, (*shared)[next++]);
    return out;
  };
  return r;
}

Response export_funnel(AppContext& ctx, Request& req) {
  auto run = run_funnel(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<FunnelReport>(run);
  std::vector<std::vector<std::string>> rows{csv_header()};
  const std::string group(to_string(report.group_by));
  for (const auto& row : report.rows) rows.push_back(csv_row(group, row));
  rows.push_back(csv_row("total", report.total));
  return csv_response("funnel", report.from, std::move(rows));
}

}  // namespace

void register_report_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/reports/funnel", "reports.funnel", Access::admin(),
             [&ctx](Request& req) { return get_funnel(ctx, req); });
  router.add("GET", "/api/v1/exports/funnel.csv", "exports.funnel", Access::admin(),
             [&ctx](Request& req) { return export_funnel(ctx, req); });
}

}  // namespace leadproc::http
