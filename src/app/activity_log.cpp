#include "app/activity_log.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <string_view>
#include <vector>

#include "app/live_events.h"
#include "app/outbox.h"
#include "app/stage_periods.h"
#include "codec/json_codec.h"
#include "domain/lifecycle.h"

namespace leadproc {
namespace json = boost::json;

namespace {
const json::value kNull = nullptr;

const json::value& field_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? kNull : it->value();
}

void diff_objects(const json::object& before, const json::object& after, const std::string& prefix,
                  int depth, std::vector<FieldChange>& out) {
  // Every key of either side, once, in order (views into the two objects).
  std::vector<std::string_view> keys;
  keys.reserve(before.size() + after.size());
  for (const auto& kv : before) keys.push_back(kv.key());
  for (const auto& kv : after) keys.push_back(kv.key());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string_view key : keys) {
    if (depth == 0 && (key == "updatedAt" || key == "version")) continue;
    const auto& b = field_of(before, key);
    const auto& a = field_of(after, key);
    if (b == a) continue;
    if (depth == 0 && b.is_object() && a.is_object()) {
      diff_objects(b.get_object(), a.get_object(), std::string(prefix).append(key).append("."),
                   depth + 1, out);
      continue;
    }
    out.push_back(
        FieldChange{std::string(prefix).append(key), json::serialize(b), json::serialize(a)});
  }
}
}  // namespace

std::vector<FieldChange> diff_opportunity(const std::optional<Opportunity>& before,
                                          const Opportunity& after) {
  std::vector<FieldChange> out;
  json::object b = before ? codec::to_json(*before) : json::object{};
  diff_objects(b, codec::to_json(after), "", 0, out);
  return out;
}

Status record_activity(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                       const Opportunity& after, const std::optional<Id>& actor,
                       std::string description) {
  return record_activity(ctx, tx, before, after, actor, std::move(description), {});
}

std::vector<FieldChange> diff_documents(const json::object& before, const json::object& after,
                                        const std::string& prefix) {
  std::vector<FieldChange> out;
  diff_objects(before, after, prefix, 0, out);
  return out;
}

Status record_activity(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                       const Opportunity& after, const std::optional<Id>& actor,
                       std::string description, std::vector<FieldChange> extra) {
  Activity a;
  a.id = ctx.new_id();
  a.opp_id = after.id;
  a.activity_by = actor;
  a.activity_phase = phase_of(after);
  a.description = std::move(description);
  // The opportunity as the API returns it, made once: the diff compares it, and the outbox's
  // events carry it.
  const json::object after_json = codec::to_json(after);
  diff_objects(before ? codec::to_json(*before) : json::object{}, after_json, "", 0, a.changes);
  a.created_at = ctx.now();
  // The live events (app/live_events.h) and the outbox's events (app/outbox.h) of the change go
  // with its activity: every change that is recorded is announced, in the same transaction.
  if (auto s = record_live_events(tx, before, after, actor, a.created_at); !s) return s;
  if (auto s = record_outbox_events(ctx, tx, before, after, after_json, extra, a.created_at); !s)
    return s;
  if (auto s = record_stage_period(tx, before, after, a.created_at); !s) return s;
  for (auto& change : extra) a.changes.push_back(std::move(change));
  return tx.insert_activity(a);
}

}  // namespace leadproc
