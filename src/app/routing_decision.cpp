#include "app/routing_decision.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <limits>
#include <map>
#include <tuple>

#include "app/assignment.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"

namespace leadproc {
namespace json = boost::json;

namespace {

// Appends `s` as a JSON string: the record's texts are ids, our own reasons and names of
// processes and destinations, so only quotes, backslashes and control characters need escaping.
void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  out += '"';
}

void put_int(std::string& out, std::int64_t n) {
  out += std::to_string(n);
}

void put_key(std::string& out, std::string_view key) {
  out += ',';
  put_string(out, key);
  out += ':';
}

// The candidates in the order round robin weighs them: tier, leadCount, seq (unset last), id.
std::vector<const RankedPoc*> ranked_order(const std::vector<RankedPoc>& candidates) {
  std::vector<const RankedPoc*> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) out.push_back(&c);
  auto key = [](const RankedPoc* c) {
    return std::make_tuple(c->tier, c->lead_count,
                           c->seq.value_or(std::numeric_limits<std::int64_t>::max()),
                           std::cref(c->availability_id));
  };
  // Only the listed ones need their place.
  const auto listed = std::min(out.size(), kMaxListedPocs);
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(listed), out.end(),
                    [&](auto* a, auto* b) { return key(a) < key(b); });
  out.resize(listed);
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

  std::string out;
  out.reserve(256 + 48 * kMaxListedPocs);
  out += "{\"v\":2";
  put_key(out, "at");
  put_string(out, format_iso8601(at));
  put_key(out, "pool");
  put_string(out, to_string(f.pool));
  put_key(out, "why");
  put_string(out, f.why);
  put_key(out, "outcome");
  if (f.preferred) {
    put_string(out, "preferred");
    put_key(out, "winner");
    put_string(out, f.preferred->id);
  } else if (f.winner) {
    const RankedPoc& w = candidates[*f.winner];
    put_string(out, f.sticky_took ? "sticky" : "assigned");
    put_key(out, "winner");
    put_string(out, w.person_id);
    put_key(out, "winnerAvailability");
    put_string(out, w.availability_id);
  } else {
    put_string(out, "waiting");
    put_key(out, "winner");
    out += "null";
  }
  put_key(out, "tier");
  if (tier)
    put_int(out, *tier);
  else
    out += "null";
  put_key(out, "streak");
  out += '[';
  put_int(out, f.previous ? f.previous->length : 0);
  out += ',';
  put_int(out, f.max_streak);
  out += ',';
  if (f.previous) {
    put_string(out, f.previous->availability_id);
    const auto prev = std::find_if(candidates.begin(), candidates.end(), [&](const RankedPoc& c) {
      return c.availability_id == f.previous->availability_id;
    });
    out += ',';
    if (prev != candidates.end())
      put_string(out, prev->person_id);
    else
      out += "null";
  } else {
    out += "null,null";
  }
  out += ']';

  put_key(out, "candidates");
  out += '[';
  bool first = true;
  for (const RankedPoc* c : ranked_order(candidates)) {
    out += first ? "[" : ",[";
    first = false;
    put_string(out, c->person_id);
    out += ',';
    put_int(out, c->tier);
    out += ',';
    put_int(out, c->lead_count);
    out += ',';
    if (c->seq)
      put_int(out, *c->seq);
    else
      out += "null";
    out += ',';
    put_int(out, c->rules.weight);
    out += ']';
  }
  out += ']';
  put_key(out, "candidateCount");
  put_int(out, static_cast<std::int64_t>(candidates.size()));

  std::size_t listed = 0;
  std::size_t excluded_count = 0;
  put_key(out, "excluded");
  out += '[';
  // [personId, reason], or [personId, N] for a POC of the higher source tier N.
  auto exclude = [&](const Id& person_id, std::string_view reason, int source_tier) {
    ++excluded_count;
    if (listed == kMaxListedPocs) return;
    out += listed++ == 0 ? "[" : ",[";
    put_string(out, person_id);
    out += ',';
    if (reason.empty())
      put_int(out, source_tier);
    else
      put_string(out, reason);
    out += ']';
  };
  for (const auto& o : off_duty) exclude(o.person_id, to_string(o.why), 0);
  for (const auto& o : skipped) exclude(o.person_id, to_string(o.why), 0);
  for (const auto& c : candidates)
    if (tier && c.tier != *tier) exclude(c.person_id, {}, c.tier);
  out += ']';
  put_key(out, "excludedCount");
  put_int(out, static_cast<std::int64_t>(excluded_count));
  if (f.night_desk) {
    put_key(out, "nightDesk");
    out += "true";
  }
  if (f.waiting_reason) {
    put_key(out, "waitingReason");
    put_string(out, *f.waiting_reason);
  }
  if (f.sticky) {
    put_key(out, "sticky");
    put_string(out, *f.sticky);
  }
  out += '}';
  return out;
}

namespace {

json::value person(const json::value& id,
                   const std::function<std::string(const std::string&)>& name_of) {
  if (!id.is_string()) return nullptr;
  const std::string pid(id.get_string());
  return json::object{{"personId", pid}, {"name", name_of(pid)}};
}

// A version-2 record (decision_json) in the API's shape.
json::object expand_v2(json::object r,
                       const std::function<std::string(const std::string&)>& name_of) {
  json::value winner = person(r["winner"], name_of);
  if (const auto* a = r.if_contains("winnerAvailability"); a && winner.is_object())
    winner.as_object()["availabilityId"] = *a;
  json::object streak;
  if (const auto* s = r.if_contains("streak"); s && s->is_array() && s->as_array().size() == 4) {
    const auto& v = s->as_array();
    streak = json::object{{"length", v[0]}, {"max", v[1]}};
    if (v[2].is_string()) streak["previousAvailabilityId"] = v[2];
    if (v[3].is_string()) streak["previousPersonId"] = v[3];
  }
  json::array candidates;
  if (const auto* cs = r.if_contains("candidates"); cs && cs->is_array())
    for (const auto& c : cs->as_array()) {
      const auto* v = c.if_array();
      if (!v || v->size() != 5) continue;
      json::object o = person((*v)[0], name_of).as_object();
      o["tier"] = (*v)[1];
      o["leadCount"] = (*v)[2];
      o["seq"] = (*v)[3];
      if (!((*v)[4].is_int64() && (*v)[4].get_int64() == 1)) o["weight"] = (*v)[4];
      candidates.emplace_back(std::move(o));
    }
  json::array excluded;
  if (const auto* xs = r.if_contains("excluded"); xs && xs->is_array())
    for (const auto& x : xs->as_array()) {
      const auto* v = x.if_array();
      if (!v || v->size() != 2) continue;
      json::object o = person((*v)[0], name_of).as_object();
      if ((*v)[1].is_int64() && r["tier"].is_int64())
        o["reason"] = "source tier " + std::to_string((*v)[1].get_int64()) + " (tier " +
                      std::to_string(r["tier"].get_int64()) + " took it)";
      else
        o["reason"] = (*v)[1];
      excluded.emplace_back(std::move(o));
    }
  json::object out{{"at", r["at"]},
                   {"pool", r["pool"]},
                   {"why", r["why"]},
                   {"outcome", r["outcome"]},
                   {"winner", std::move(winner)},
                   {"tier", r["tier"]},
                   {"streak", std::move(streak)},
                   {"candidates", std::move(candidates)},
                   {"candidateCount", r["candidateCount"]},
                   {"excluded", std::move(excluded)},
                   {"excludedCount", r["excludedCount"]}};
  if (const auto* n = r.if_contains("nightDesk")) out["nightDesk"] = *n;
  if (const auto* w = r.if_contains("waitingReason")) out["waitingReason"] = *w;
  if (const auto* st = r.if_contains("sticky")) out["sticky"] = *st;
  return out;
}

}  // namespace

Result<json::object> expand_decision(
    const std::string& stored, const std::function<std::string(const std::string&)>& name_of) {
  boost::system::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) return Error::internal("a stored routing record is not JSON");
  json::object& r = v.as_object();
  if (const auto* version = r.if_contains("v"); version && *version == 2)
    return expand_v2(std::move(r), name_of);
  return std::move(r);  // the first form already had the API's shape, names included
}

namespace {

// The stored records in the API's shape, people's names read in `tx` (once per person).
Result<json::array> parse_records(ReadTx& tx, const std::vector<std::string>& docs) {
  std::map<std::string, std::string> names;
  std::optional<Error> failed;
  auto name_of = [&](const std::string& person_id) -> std::string {
    auto [it, fresh] = names.try_emplace(person_id, person_id);
    if (fresh) {
      auto user = tx.get_user(person_id);
      if (!user)
        failed = user.error();
      else if (*user)
        it->second = (*user)->display_name();
    }
    return it->second;
  };
  json::array out;
  for (const auto& d : docs) {
    auto record = expand_decision(d, name_of);
    if (!record) return record.error();
    if (failed) return *failed;
    out.emplace_back(std::move(*record));
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
  json::array records;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto opp = tx.get_opportunity(opp_id);
    if (!opp) return opp.error();
    if (!*opp) return Error::not_found("opportunity not found");
    auto docs = tx.list_routing_decisions(opp_id);
    if (!docs) return docs.error();
    auto parsed = parse_records(tx, *docs);
    if (!parsed) return parsed.error();
    records = std::move(*parsed);
    return ok_status();
  });
  if (!s) return s.error();
  return records;
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
    auto records = parse_records(tx, *docs);
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
