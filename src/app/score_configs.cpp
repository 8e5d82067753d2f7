#include "app/score_configs.h"

#include "app/activity_log.h"
#include "app/business_day.h"
#include "app/context.h"
#include "app/destinations.h"
#include "app/input.h"
#include "domain/object_id.h"

namespace leadproc {
Result<std::optional<ScoreConfig>> ScoreCache::active(ReadTx& tx) {
  const auto now = std::chrono::steady_clock::now();
  std::int64_t known_stamp = 0;
  {
    std::lock_guard lock(mu_);
    if (loaded_ && now - checked_ < recheck_) return config_;
    known_stamp = loaded_ ? stamp_ : -1;
  }
  auto stamp = tx.score_configs_stamp();
  if (!stamp) return stamp.error();
  if (*stamp == known_stamp) {
    std::lock_guard lock(mu_);
    checked_ = now;
    return config_;
  }
  auto fresh = tx.active_score_config();
  if (!fresh) return fresh.error();
  std::lock_guard lock(mu_);
  config_ = *fresh;
  stamp_ = *stamp;
  loaded_ = true;
  checked_ = now;
  return config_;
}

void ScoreCache::invalidate() {
  std::lock_guard lock(mu_);
  loaded_ = false;
  config_.reset();
}

Status refresh_score(AppContext& ctx, ReadTx& tx, Opportunity& opp) {
  if (!ctx.scores) return ok_status();
  auto config = ctx.scores->active(tx);
  if (!config) return config.error();
  opp.opportunity_score = *config ? compute_score(opp, **config) : 0.0;
  return ok_status();
}

namespace {

// The configuration `in` describes, or a 422 naming every missing or out-of-range weight.
Result<ScoreConfig> checked(const ScoreConfigInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  ScoreConfig c;
  for (std::size_t i = 0; i < kScoreWeightCount; ++i) {
    const std::string name(kScoreWeights[i].name);
    const auto& w = in.weights[i];
    if (!w) {
      if (!names_field(errors, name)) errors.push_back({name, "is required (a number >= 0)"});
    } else if (!(*w >= 0) || *w > 1e9) {
      errors.push_back({name, "must be between 0 and 1e9"});
    } else {
      c.*(kScoreWeights[i].field) = *w;
    }
  }
  c.is_active = in.is_active.value_or(false);
  if (!errors.empty())
    return Error::validation(std::move(errors), "the score configuration is invalid");
  return c;
}

Result<ScoreConfig> load(ReadTx& tx, const Id& raw) {
  auto id = canonical_id(raw);
  if (!id) return Error::not_found("no score configuration with _id '" + raw + "'");
  auto c = tx.get_score_config(*id);
  if (!c) return c.error();
  if (!*c) return Error::not_found("no score configuration with _id '" + raw + "'");
  return **c;
}

}  // namespace

Result<ScoreConfig> create_score_config(AppContext& ctx, const ScoreConfigInput& in,
                                        const std::optional<Id>& actor) {
  auto decoded = checked(in);
  if (!decoded) return decoded.error();
  ScoreConfig c = *decoded;
  c.id = ctx.new_id();
  c.created_at = c.updated_at = ctx.now();
  c.created_by = c.updated_by = actor;
  const bool activate = c.is_active;
  c.is_active = false;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    if (auto ins = tx.insert_score_config(c); !ins) return ins;
    if (activate) return tx.activate_score_config(c.id, c.updated_at);
    return ok_status();
  });
  if (ctx.scores) ctx.scores->invalidate();
  if (!s) return s.error();
  c.is_active = activate;
  return c;
}

Result<std::vector<ScoreConfig>> list_score_configs(AppContext& ctx) {
  std::vector<ScoreConfig> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_score_configs();
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ScoreConfig> get_score_config(AppContext& ctx, const Id& id) {
  ScoreConfig out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto c = load(tx, id);
    if (!c) return c.error();
    out = std::move(*c);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ScoreConfig> activate_score_config(AppContext& ctx, const Id& id,
                                          const std::optional<Id>& actor) {
  (void)actor;  // updatedBy is not rewritten by activation: the weights did not change
  ScoreConfig out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto c = load(tx, id);
    if (!c) return c.error();
    if (auto a = tx.activate_score_config(c->id, ctx.now()); !a) return a;
    auto after = load(tx, c->id);
    if (!after) return after.error();
    out = std::move(*after);
    return ok_status();
  });
  if (ctx.scores) ctx.scores->invalidate();
  if (!s) return s.error();
  return out;
}

Result<TravelRefreshCounts> refresh_travel_month_scores(AppContext& ctx) {
  TravelRefreshCounts counts;
  const Timestamp now = ctx.now();
  auto today = business_day(now, ctx.config.timezone);
  if (!today) return today.error();
  const Timestamp from = now - std::chrono::hours(24 * 31);
  const Timestamp to = now + std::chrono::hours(24 * 60);
  for (;;) {
    int batch = 0;
    auto s = ctx.store.write([&](WriteTx& tx) -> Status {
      auto due = tx.travel_month_due(from, to, today->start, 200);
      if (!due) return due.error();
      batch = static_cast<int>(due->size());
      for (auto& opp : *due) {
        const Opportunity before = opp;
        if (auto r = refresh_score(ctx, tx, opp); !r) return r;
        opp.score_updated_for_trave_month_at = now;
        opp.updated_at = now;
        if (auto u = tx.update_opportunity(opp, before.version); !u) return u;
        opp.version = before.version + 1;
        ++counts.examined;
        if (opp.opportunity_score != before.opportunity_score) {
          ++counts.changed;
          if (auto a = record_activity(ctx, tx, before, opp, std::nullopt,
                                       "score refreshed as the travel month approaches");
              !a)
            return a;
        }
      }
      return ok_status();
    });
    if (!s) return s.error();
    if (batch < 200) break;
  }
  return counts;
}

}  // namespace leadproc
