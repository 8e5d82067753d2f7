// The reports a manager steers by (docs/reports.md, issue 18): the funnel, people and "now"
// (GET /api/v1/reports/{funnel,people,now}) and each as CSV (GET /api/v1/exports/{...}.csv, the
// same query and numbers). Every number of the funnel carries the query of the opportunities list
// that lists exactly its opportunities (http/opportunity_query.h).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <variant>

#include "app/access.h"
#include "app/funnel_report.h"
#include "app/now_report.h"
#include "app/people_report.h"
#include "app/time_in_stage_report.h"
#include "codec/csv.h"
#include "domain/followup.h"
#include "domain/money.h"
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
  const OpportunityFilter f = opportunity_filter_from(req, ctx.now(), errors);
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

// n / d in percent, to one decimal; null when d is 0.
json::value percent(std::int64_t n, std::int64_t d) {
  if (d == 0) return nullptr;
  return std::round(static_cast<double>(n) * 1000.0 / d) / 10.0;
}

json::value optional_number(const std::optional<double>& v) {
  if (!v) return nullptr;
  return std::round(*v * 10.0) / 10.0;
}

// A number as a spreadsheet reads it: integers as they are, fractions in plain decimals (up to
// six places, trailing zeros dropped) — never the exponent form JSON may use ("3.78E4").
std::string text_of(const json::value& v) {
  if (v.is_null()) return "";
  if (!v.is_double()) return json::serialize(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v.get_double());
  std::string out = buf;
  out.erase(out.find_last_not_of('0') + 1);
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

// people

// The period of a people request, or the problem response.
std::variant<PeopleReport, Response> run_people(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"from", "to"}, errors);
  auto period = report_period(ctx, req, errors);
  if (!period) return problem_response(period.error(), req.trace_id);
  if (!errors.empty()) return bad(std::move(errors), req);
  // Admins see everyone; anyone else their own row beside everyone's total.
  std::optional<Id> only;
  if (!req.principal || !req.principal->is_admin())
    only = req.principal ? req.principal->id : Id("-");
  auto report = people_report(ctx, (*period)->start, (*period)->end, only);
  if (!report) return problem_response(report.error(), req.trace_id);
  return std::move(*report);
}

// {"won": {count, query}, "byCurrency": [{currency, amount, deals}]}: the won leads (the list of
// them) and their deal values per currency, by currency code; amounts as decimal strings
// (domain/money.h).
json::object revenue_of(const PersonRow& row) {
  json::array by_currency;
  for (const auto& [currency, r] : row.revenue)
    by_currency.push_back(json::object{{"currency", currency},
                                       {"amount", format_amount(DealValue{r.minor, currency})},
                                       {"deals", r.deals}});
  const auto won = row.received.reached[static_cast<std::size_t>(FunnelStep::kWon)];
  return {{"won", number(won, row.won_filter)}, {"byCurrency", std::move(by_currency)}};
}

// "Open/fresh_lead=3; InPSV=2": what a row holds open by status and stage (open.byStage) in one
// CSV cell.
std::string open_by_stage_text(const PersonRow& row) {
  std::string out;
  for (const auto& [key, n] : row.open_by_stage) {
    if (!out.empty()) out += "; ";
    out += key + "=" + std::to_string(n);
  }
  return out;
}

// "INR 125000.50; USD 300.00": the revenue of a row in one CSV cell.
std::string revenue_text(const PersonRow& row) {
  std::string out;
  for (const auto& [currency, r] : row.revenue) {
    if (!out.empty()) out += "; ";
    out += currency + " " + format_amount(DealValue{r.minor, currency});
  }
  return out;
}

json::object person_row(const PersonRow& row) {
  const FunnelFigures& f = row.received;
  const auto leads = f.reached[static_cast<std::size_t>(FunnelStep::kCaptured)];
  const auto qualified = f.reached[static_cast<std::size_t>(FunnelStep::kQualified)];
  const auto won = f.reached[static_cast<std::size_t>(FunnelStep::kWon)];
  const FirstContactFigures& c = row.first_contact;
  json::object by_status;
  std::int64_t open = 0;
  for (const auto& [status, n] : row.open_by_status) {
    by_status[status] = n;
    open += n;
  }
  json::object by_stage;
  for (const auto& [key, n] : row.open_by_stage) by_stage[key] = n;
  json::value person = nullptr;
  if (!row.person.empty())
    person = json::object{{"_id", row.person},
                          {"name", row.name},
                          {"department", row.department ? json::value(to_string(*row.department))
                                                        : json::value(nullptr)}};
  return {{"person", std::move(person)},
          {"received", number(f.total(), row.filter)},
          {"expectedShare", optional_number(row.expected_share)},
          {"leads", leads},
          {"qualified", qualified},
          {"won", won},
          {"lost", f.lost},
          {"disqualified", f.disqualified},
          {"reInquiries", row.reinquiries},
          {"qualifiedPercent", percent(qualified, leads)},
          {"wonPercent", percent(won, leads)},
          {"firstContact",
           json::object{{"entered", c.entered},
                        {"completed", c.completed},
                        {"breached", c.breached},
                        {"pending", c.pending},
                        {"p50Seconds", optional_number(c.p50_seconds)},
                        {"p90Seconds", optional_number(c.p90_seconds)},
                        {"breachRatePercent", percent(c.breached, c.entered - c.pending)}}},
          {"revenue", revenue_of(row)},
          {"open", json::object{{"total", open},
                                {"byStatus", std::move(by_status)},
                                {"byStage", std::move(by_stage)}}},
          {"overdue", row.overdue}};
}

Response get_people(AppContext& ctx, Request& req) {
  auto run = run_people(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<PeopleReport>(run);
  json::array rows;
  for (const auto& row : report.rows) rows.emplace_back(person_row(row));
  return json_response(200, json::object{{"from", format_iso8601(report.from)},
                                         {"to", format_iso8601(report.to)},
                                         {"asOf", format_iso8601(report.now)},
                                         {"timezone", ctx.config.timezone},
                                         {"firstContactSlaHours", kFirstContactSla.count()},
                                         {"rows", std::move(rows)},
                                         {"total", person_row(report.total)}});
}

Response export_people(AppContext& ctx, Request& req) {
  auto run = run_people(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<PeopleReport>(run);
  std::vector<std::vector<std::string>> rows{{"person",
                                              "name",
                                              "department",
                                              "received",
                                              "expected share",
                                              "leads",
                                              "qualified",
                                              "won",
                                              "lost",
                                              "disqualified",
                                              "re-inquiries",
                                              "qualified %",
                                              "won %",
                                              "first contacts due",
                                              "first contacts done",
                                              "first contacts breached",
                                              "first contact p50 s",
                                              "first contact p90 s",
                                              "breach rate %",
                                              "revenue",
                                              "open now",
                                              "open now by stage",
                                              "overdue now"}};
  auto add = [&](const PersonRow& row) {
    const json::object o = person_row(row);
    const json::value& fc = o.at("firstContact");
    rows.push_back({row.person.empty() ? "total" : row.person,
                    row.name,
                    row.department ? std::string(to_string(*row.department)) : "",
                    text_of(o.at("received").at("count")),
                    text_of(o.at("expectedShare")),
                    text_of(o.at("leads")),
                    text_of(o.at("qualified")),
                    text_of(o.at("won")),
                    text_of(o.at("lost")),
                    text_of(o.at("disqualified")),
                    text_of(o.at("reInquiries")),
                    text_of(o.at("qualifiedPercent")),
                    text_of(o.at("wonPercent")),
                    text_of(fc.at("entered")),
                    text_of(fc.at("completed")),
                    text_of(fc.at("breached")),
                    text_of(fc.at("p50Seconds")),
                    text_of(fc.at("p90Seconds")),
                    text_of(fc.at("breachRatePercent")),
                    revenue_text(row),
                    text_of(o.at("open").at("total")),
                    open_by_stage_text(row),
                    text_of(o.at("overdue"))});
  };
  for (const auto& row : report.rows) add(row);
  add(report.total);
  return csv_response("people", report.from, std::move(rows));
}

// now

constexpr int kUnmarkedUrls = 10;

json::value time_or_null(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}

json::object waiting(const Waiting& w, std::optional<std::string> query = std::nullopt) {
  json::object o{{"count", w.count}, {"oldest", time_or_null(w.oldest)}};
  if (query) o["query"] = *query;
  return o;
}

std::variant<NowReport, Response> run_now(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return std::move(*refused);
  auto report = now_report(ctx, kUnmarkedUrls);
  if (!report) return problem_response(report.error(), req.trace_id);
  return std::move(*report);
}

Response get_now(AppContext& ctx, Request& req) {
  auto run = run_now(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<NowReport>(run);
  const NowCounts& n = report.counts;
  json::array pools;
  Waiting all{"", 0, std::nullopt};
  for (const auto& w : n.unassigned) {
    json::object o = waiting(w);
    o["pool"] = w.what;
    pools.emplace_back(std::move(o));
    all.count += w.count;
    if (w.oldest && (!all.oldest || *w.oldest < *all.oldest)) all.oldest = w.oldest;
  }
  json::object unassigned = waiting(all, "unassigned=true");
  unassigned["byPool"] = std::move(pools);
  json::array urls;
  for (const auto& u : report.unmarked_urls)
    urls.emplace_back(json::object{{"_id", u.id}, {"url", u.url}, {"hits", u.hits}});
  return json_response(200, json::object{{"asOf", format_iso8601(report.now)},
                                         {"unassigned", std::move(unassigned)},
                                         {"overdueFollowUps", waiting(n.overdue_followups)},
                                         {"overdueAttempts", waiting(n.overdue_attempts)},
                                         {"resolvingUnknown",
                                          waiting(n.resolving_unknown, "status=ResolvingUnknown")},
                                         {"unmarkedUrls", std::move(urls)}});
}

Response export_now(AppContext& ctx, Request& req) {
  auto run = run_now(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<NowReport>(run);
  const NowCounts& n = report.counts;
  std::vector<std::vector<std::string>> rows{{"what", "which", "count", "oldest"}};
  auto add = [&](const std::string& what, const std::string& which, const Waiting& w) {
    rows.push_back(
        {what, which, std::to_string(w.count), w.oldest ? format_iso8601(*w.oldest) : ""});
  };
  for (const auto& w : n.unassigned) add("unassigned", w.what, w);
  add("overdue follow-ups", "", n.overdue_followups);
  add("overdue next attempts", "", n.overdue_attempts);
  add("resolving unknown", "", n.resolving_unknown);
  for (const auto& u : report.unmarked_urls)
    rows.push_back({"unmarked URL", u.url, std::to_string(u.hits), ""});
  return csv_response("now", report.now, std::move(rows));
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

// time in stage

json::object durations_json(const Durations& d) {
  return {{"count", d.count},
          {"p50Seconds", optional_number(d.p50_seconds)},
          {"p90Seconds", optional_number(d.p90_seconds)}};
}

json::object time_in_stage_row(const TimeInStageRow& row) {
  json::array stages;
  for (const auto& s : row.stages) {
    json::object o = durations_json(s.time);
    o["status"] = s.status;
    o["stage"] = s.stage;
    stages.emplace_back(std::move(o));
  }
  return {{"key", row.key},
          {"label", row.label},
          {"query", opportunity_filter_query(row.filter)},
          {"stages", std::move(stages)},
          {"toContacted", durations_json(row.to_contacted)},
          {"toQualified", durations_json(row.to_qualified)},
          {"toWon", durations_json(row.to_won)}};
}

std::variant<TimeInStageReport, Response> run_time_in_stage(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, funnel_params(), errors);
  auto query = funnel_query_from(ctx, req, errors);
  if (!query) return problem_response(query.error(), req.trace_id);
  if (!errors.empty()) return bad(std::move(errors), req);
  auto report = time_in_stage_report(ctx, *query);
  if (!report) return problem_response(report.error(), req.trace_id);
  return std::move(*report);
}

Response get_time_in_stage(AppContext& ctx, Request& req) {
  auto run = run_time_in_stage(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<TimeInStageReport>(run);
  json::array rows;
  for (const auto& row : report.rows) rows.emplace_back(time_in_stage_row(row));
  return json_response(200, json::object{{"from", format_iso8601(report.from)},
                                         {"to", format_iso8601(report.to)},
                                         {"timezone", ctx.config.timezone},
                                         {"groupBy", to_string(report.group_by)},
                                         {"rows", std::move(rows)},
                                         {"total", time_in_stage_row(report.total)}});
}

// One CSV row per group and measure: the stays of each status and stage, then the milestones.
Response export_time_in_stage(AppContext& ctx, Request& req) {
  auto run = run_time_in_stage(ctx, req);
  if (auto* r = std::get_if<Response>(&run)) return std::move(*r);
  const auto& report = std::get<TimeInStageReport>(run);
  std::vector<std::vector<std::string>> rows{
      {"group", "label", "measure", "status", "stage", "count", "p50 seconds", "p90 seconds"}};
  auto add = [&rows](const std::string& group, const TimeInStageRow& row) {
    auto line = [&](std::string measure, std::string status, std::string stage,
                    const Durations& d) {
      rows.push_back({group, row.label, std::move(measure), std::move(status), std::move(stage),
                      std::to_string(d.count), text_of(optional_number(d.p50_seconds)),
                      text_of(optional_number(d.p90_seconds))});
    };
    for (const auto& s : row.stages) line("in stage", s.status, s.stage, s.time);
    line("to contacted", "", "", row.to_contacted);
    line("to qualified", "", "", row.to_qualified);
    line("to won", "", "", row.to_won);
  };
  const std::string group(to_string(report.group_by));
  for (const auto& row : report.rows) add(group, row);
  add("total", report.total);
  return csv_response("time-in-stage", report.from, std::move(rows));
}

}  // namespace

void register_report_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/reports/funnel", "reports.funnel", Access::admin(),
             [&ctx](Request& req) { return get_funnel(ctx, req); });
  router.add("GET", "/api/v1/exports/funnel.csv", "exports.funnel", Access::admin(),
             [&ctx](Request& req) { return export_funnel(ctx, req); });
  router.add("GET", "/api/v1/reports/people", "reports.people", Access::users(),
             [&ctx](Request& req) { return get_people(ctx, req); });
  router.add("GET", "/api/v1/exports/people.csv", "exports.people", Access::users(),
             [&ctx](Request& req) { return export_people(ctx, req); });
  router.add("GET", "/api/v1/reports/time-in-stage", "reports.timeInStage", Access::admin(),
             [&ctx](Request& req) { return get_time_in_stage(ctx, req); });
  router.add("GET", "/api/v1/exports/time-in-stage.csv", "exports.timeInStage", Access::admin(),
             [&ctx](Request& req) { return export_time_in_stage(ctx, req); });
  router.add("GET", "/api/v1/reports/now", "reports.now", Access::admin(),
             [&ctx](Request& req) { return get_now(ctx, req); });
  router.add("GET", "/api/v1/exports/now.csv", "exports.now", Access::admin(),
             [&ctx](Request& req) { return export_now(ctx, req); });
}

}  // namespace leadproc::http
