// GET /api/v1/exports/opportunities.csv (docs/api.md "Exports"): the opportunities list as a CSV
// file a spreadsheet opens, with every filter of the list and the caller's scope, so that it holds
// exactly the rows of the same list (http/opportunity_query.h). Streamed: one page of rows per
// chunk (Response::next_chunk), so an export of a million rows holds one page in memory.
#include <map>
#include <memory>

#include "app/access.h"
#include "app/queries.h"
#include "app/users.h"
#include "codec/csv.h"
#include "domain/time_format.h"
#include "http/opportunity_query.h"
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

std::string attribution(const Opportunity& o, const char* key) {
  auto it = o.attribution.find(key);
  return it == o.attribution.end() ? "" : it->second;
}

struct Export {
  AppContext& ctx;
  OpportunityFilter filter;
  Page page;
  std::map<Id, std::string> names;  // the people directory: a name where a record holds an id
  bool done = false;

  std::string name_of(const std::optional<Id>& id) const {
    if (!id) return "";
    auto it = names.find(*id);
    return it == names.end() ? *id : it->second;
  }

  std::vector<std::string> row(const Opportunity& o) const {
    std::string campaign = attribution(o, "utmCampaign");
    if (campaign.empty()) campaign = attribution(o, "campaignName");
    return {o.id,
            format_iso8601(o.created_at),
            o.name,
            o.number,
            text(o.email),
            std::string(to_string(o.status)),
            stage_of(o),
            o.destination ? o.destination->name : "",
            std::string(to_string(o.lead_source.platform)),
            campaign,
            name_of(o.opportunity_owner),
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

  // The next page as CSV rows; nullopt after the last. An error of the store ends the export
  // (the connection is closed: the client sees an incomplete file, never a short one).
  std::optional<std::string> next() {
    if (done) return std::nullopt;
    auto items = query_opportunities(ctx, filter, page);
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
  auto state = std::make_shared<Export>(Export{ctx, opportunity_filter_from(req, errors), {}, {}});
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  state->page.limit = kRowsPerChunk;
  // Somebody else's leads: the header alone, as the list answers nothing.
  if (!req.principal || !restrict_to_scope(*req.principal, state->filter)) state->done = true;
  auto people = list_people(ctx);
  if (!people) return problem_response(people.error(), req.trace_id);
  for (const auto& p : *people) state->names[p.id] = p.name.value_or("user " + p.id.substr(18));
  // The first page is read here, so that a store that does not answer is a 503 problem, not a
  // cut file.
  std::string first;
  codec::append_csv_row(first, kColumns);
  try {
    first += state->next().value_or("");
  } catch (const std::exception&) {
    return problem_response(Error::unavailable("the database does not answer"), req.trace_id);
  }

  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back(
      "Content-Disposition",
      "attachment; filename=\"opportunities-" + format_iso8601(ctx.now()).substr(0, 10) + ".csv\"");
  r.next_chunk = [state, first = std::move(first),
                  sent = false]() mutable -> std::optional<std::string> {
    if (!sent) {
      sent = true;
      return std::move(first);
    }
    return state->next();
  };
  return r;
}

}  // namespace

void register_export_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/exports/opportunities.csv", "exports.opportunities", Access::users(),
             [&ctx](Request& req) { return export_opportunities(ctx, req); });
}

}  // namespace leadproc::http
