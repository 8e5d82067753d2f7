#include "app/routing_decision.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <limits>
#include <tuple>

#include "app/assignment.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"

namespace leadproc {
namespace json = boost::json;

namespace {

json::value seq_value(const std::optional<std::int64_t>& seq) {
  return seq ? json::value(*seq) : json::value(nullptr);
}

// The candidates in the order round robin weighs them: tier, leadCount, seq (unset last), id.
std::vector<const RankedPoc*> ranked_order(const std::vector<RankedPoc>& candidates) {
  std::vector<const RankedPoc*> out;
  for (const auto& c : candidates) out.push_back(&c);
  auto key = [](const RankedPoc* c) {
    return std::make_tuple(c->tier, c->lead_count,
                           c->seq.value_or(std::numeric_limits<std::int64_t>::max()),
                           std::cref(c->availability_id));
  };
  std::sort(out.begin(), out.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
  return out;
}

}  // namespace

std::string decision_json(const DecisionFacts& f, Timestamp at) {
  static const std::vector<RankedPoc> kNoCandidates;
  static const std::vector<OffDutyPoc> kNoOffDuty;
  static const std::vector<SkippedPoc> kNoSkipped;
  const auto& candidates = f.candidates ? *f.candidates : kNoCandidates;
  const auto& off_duty = f.off_duty ? *f.off_duty : kNoOffDuty;
  const auto& skipped = f.skipped ? *f.skipped : kNoSkipped;

  std::optional<int> tier;
  for (const auto& c : candidates) tier = tier ? std::min(*tier, c.tier) : c.tier;

  json::array listed;
  for (const RankedPoc* c : ranked_order(candidates)) {
    if (listed.size() == kMaxListedPocs) break;
    json::object o{{"personId", c->person_id},
                   {"name", c->person_name},
                   {"tier", c->tier},
                   {"leadCount", c->lead_count},
                   {"seq", seq_value(c->seq)}};
    if (c->rules.weight != 1) o["weight"] = c->rules.weight;
    listed.emplace_back(std::move(o));
  }
  json::array excluded;
  std::size_t excluded_count = off_duty.size();
  for (const auto& o : off_duty) {
    if (excluded.size() == kMaxListedPocs) break;
    excluded.emplace_back(json::object{
        {"personId", o.person_id}, {"name", o.person_name}, {"reason", to_string(o.why)}});
  }
  excluded_count += skipped.size();
  for (const auto& o : skipped) {
    if (excluded.size() == kMaxListedPocs) break;
    excluded.emplace_back(json::object{
        {"personId", o.person_id}, {"name", o.person_name}, {"reason", to_string(o.why)}});
  }
  for (const auto& c : candidates) {
    if (!tier || c.tier == *tier) continue;
    ++excluded_count;
    if (excluded.size() == kMaxListedPocs) continue;
    excluded.emplace_back(
        json::object{{"personId", c.person_id},
                     {"name", c.person_name},
                     {"reason", "source tier " + std::to_string(c.tier) + " (tier " +
                                    std::to_string(*tier) + " took it)"}});
  }

  json::value winner = nullptr;
  std::string outcome = "waiting";
  if (f.preferred) {
    outcome = "preferred";
    winner = json::object{{"personId", f.preferred->id}, {"name", f.preferred->name}};
  } else if (f.winner) {
    outcome = "assigned";
    const RankedPoc& w = candidates[*f.winner];
    winner = json::object{
        {"personId", w.person_id}, {"name", w.person_name}, {"availabilityId", w.availability_id}};
  }
  json::object streak{{"length", f.previous ? f.previous->length : 0}, {"max", f.max_streak}};
  if (f.previous) {
    const auto prev = std::find_if(candidates.begin(), candidates.end(), [&](const RankedPoc& c) {
      return c.availability_id == f.previous->availability_id;
    });
    streak["previousAvailabilityId"] = f.previous->availability_id;
    if (prev != candidates.end()) streak["previousPersonId"] = prev->person_id;
  }
  json::object o{{"at", format_iso8601(at)},
                 {"pool", to_string(f.pool)},
                 {"why", f.why},
                 {"outcome", outcome},
                 {"winner", std::move(winner)},
                 {"tier", tier ? json::value(*tier) : json::value(nullptr)},
                 {"streak", std::move(streak)},
                 {"candidates", std::move(listed)},
                 {"candidateCount", candidates.size()},
                 {"excluded", std::move(excluded)},
                 {"excludedCount", excluded_count}};
  if (f.night_desk) o["nightDesk"] = true;
  if (f.waiting_reason) o["waitingReason"] = *f.waiting_reason;
  return json::serialize(o);
}

namespace {

Result<json::array> parse_records(const std::vector<std::string>& docs) {
  json::array out;
  for (const auto& d : docs) {
    boost::system::error_code ec;
    json::value v = json::parse(d, ec);
    if (ec || !v.is_object()) return Error::internal("a stored routing record is not JSON");
    out.emplace_back(std::move(v));
  }
  return out;
}

json::value assignee_of(const Opportunity& o) {
  if (o.assigned_psv)
    return json::object{{"personId", o.assigned_psv->id}, {"name", o.assigned_psv->name}};
  if (o.assigned_west)
    return json::object{{"personId", o.assigned_west->id}, {"name", o.assigned_west->name}};
  if (o.opportunity_owner) return json::object{{"personId", *o.opportunity_owner}};
  return nullptr;
}

}  // namespace

Result<json::array> routing_records(AppContext& ctx, const Id& opp_id) {
  std::vector<std::string> docs;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto opp = tx.get_opportunity(opp_id);
    if (!opp) return opp.error();
    if (!*opp) return Error::not_found("opportunity not found");
    auto r = tx.list_routing_decisions(opp_id);
    if (!r) return r.error();
    docs = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return parse_records(docs);
}

Result<json::object> dry_run_routing(AppContext& ctx, const LeadInput& input) {
  // The ingestion runs as for POST /api/v1/leads; its hook reads what was decided, then fails
  // with this marker so that the whole transaction is rolled back (412 is never retried).
  const std::string kRolledBack = "routing dry run: rolled back";
  std::optional<json::object> answer;
  auto hook = [&](WriteTx& tx, const Lead&, const Opportunity& opp) -> Status {
    auto at = work_time_at(ctx, ctx.now());
    if (!at) return at.error();
    auto docs = tx.list_routing_decisions(opp.id);
    if (!docs) return docs.error();
    auto records = parse_records(*docs);
    if (!records) return records.error();
    const std::optional<Id> destination =
        opp.destination ? std::optional<Id>(opp.destination->id) : std::nullopt;
    for (auto& r : *records) {
      json::object& rec = r.as_object();
      auto pool = parse_availability_process(rec.at("pool").as_string());
      if (!pool) continue;
      auto members = tx.pool_for_update(*pool);
      if (!members) return members.error();
      std::optional<Id> chosen;
      if (const auto* w = rec.at("winner").if_object())
        if (const auto* a = w->if_contains("availabilityId")) chosen = std::string(a->as_string());
      json::array pocs;
      std::vector<Id> capped;
      for (const auto& a : *members)
        if (a.rules.cap) capped.push_back(a.person_id);
      auto fresh = tx.fresh_lead_counts(*pool, capped);
      if (!fresh) return fresh.error();
      auto fresh_of = [&](const Availability& a) { return (*fresh)[a.person_id]; };
      for (const auto& v : explain_pool(*members, destination, opp.lead_source.platform,
                                        opp.language, *at, chosen, fresh_of))
        pocs.emplace_back(json::object{{"availabilityId", v.availability_id},
                                       {"personId", v.person_id},
                                       {"name", v.person_name},
                                       {"verdict", v.verdict},
                                       {"excluded", v.excluded}});
      rec["pocs"] = std::move(pocs);
    }
    json::object o = codec::to_json(opp);
    answer = json::object{{"outcome", opp.is_duplicate    ? "duplicate"
                                      : opp.awaiting_pool ? "unassigned"
                                                          : "routed"},
                          {"duplicateOf", codec::optional_string(opp.duplicate_of)},
                          {"destination", o["destination"]},
                          {"process", o["filterationProcess"]},
                          {"status", o["status"]},
                          {"assignee", assignee_of(opp)},
                          {"awaitingReason", codec::optional_string(opp.awaiting_reason)},
                          {"decisions", std::move(*records)}};
    return Error{ErrorCode::kPreconditionFailed, kRolledBack, {}, {}, 0};
  };
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string(); };
  auto done = ingest_lead(ctx, input, IdempotencyInput{}, render, hook);
  if (answer) return std::move(*answer);
  if (!done) return done.error();
  return Error::internal("routing dry run: the lead was not routed");
}

}  // namespace leadproc
