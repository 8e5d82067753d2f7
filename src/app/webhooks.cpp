#include "app/webhooks.h"

#include <algorithm>
#include <array>
#include <map>

#include "app/conversions.h"
#include "app/outbox.h"
#include "crypto/webhook_signing.h"
#include "domain/enums.h"
#include "domain/object_id.h"

namespace leadproc {
namespace {

constexpr std::size_t kMaxUrlLength = 2000;
constexpr std::size_t kMaxEventTypes = 32;
constexpr std::size_t kResponseExcerpt = 1024;
constexpr std::int64_t kMaxGraceHours = 168;
// The longest Retry-After honoured (a longer one is read as this).
constexpr auto kMaxRetryAfter = std::chrono::hours(24);

bool valid_pattern(std::string_view p) {
  if (p == "*") return true;
  for (std::string_view type : kOutboxEventTypes) {
    if (p == type) return true;
    if (p.ends_with(".*") && type.starts_with(p.substr(0, p.size() - 1))) return true;
  }
  return false;
}

bool pattern_matches(std::string_view p, std::string_view type) {
  if (p == "*" || p == type) return true;
  return p.ends_with(".*") && type.starts_with(p.substr(0, p.size() - 1));
}

// Applies the rules to the fields given in `in` and sets them on `s`, adding the problems to
// `errors`.
void apply_fields(const WebhookFields& in, WebhookSubscription& s,
                  std::vector<FieldError>& errors) {
  if (const auto& url = in.url) {
    const bool scheme = url->starts_with("https://") || url->starts_with("http://");
    if (!scheme || url->size() > kMaxUrlLength)
      errors.push_back({"url", "must be an http:// or https:// URL of at most 2000 characters"});
    else
      s.url = *url;
  }
  if (const auto& types = in.event_types) {
    if (types->empty() || types->size() > kMaxEventTypes)
      errors.push_back({"eventTypes", "must list 1 to 32 event types"});
    for (const auto& t : *types) {
      if (!valid_pattern(t))
        errors.push_back({"eventTypes", "'" + t + "' is not an event type, a prefix.* or *"});
    }
    s.event_types = *types;
  }
  if (in.filters.given) {
    const WebhookFilters none;
    const WebhookFilters& f = in.filters.value ? *in.filters.value : none;
    if (f.process && !parse_filtration_process(*f.process))
      errors.push_back({"filters.process", "must be PSV, WEST, NO-FILTER, UNKNOWN or UPCOMING"});
    if (f.destination && !is_object_id(*f.destination))
      errors.push_back({"filters.destination", "must be a destination id"});
    if (f.platform && !parse_platform(*f.platform))
      errors.push_back({"filters.platform", "is not a platform"});
    s.process = f.process;
    s.destination = f.destination;
    s.platform = f.platform;
  }
}

Error invalid(std::vector<FieldError> errors) {
  return Error::validation(std::move(errors), "invalid webhook subscription");
}

// True iff an error names `field` or one of its items ("eventTypes[2]"): the decoder has said
// what is wrong with it.
bool named(const std::vector<FieldError>& errors, std::string_view field) {
  return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
    return e.field == field || (e.field.starts_with(field) && e.field.size() > field.size() &&
                                e.field[field.size()] == '[');
  });
}

}  // namespace

Result<WebhookSubscription> create_webhook(AppContext& ctx, const WebhookInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  if (!in.fields.url && !named(errors, "url")) errors.push_back({"url", "is required"});
  if (!in.fields.event_types && !named(errors, "eventTypes"))
    errors.push_back({"eventTypes", "is required"});
  WebhookSubscription s;
  apply_fields(in.fields, s, errors);
  if (in.secret) {
    if (!in.secret->starts_with(kWebhookSecretPrefix) || !webhook_secret_key(*in.secret))
      errors.push_back({"secret", "must be whsec_ followed by the base64 of 24 to 64 bytes"});
    s.secret = *in.secret;
  } else {
    s.secret = new_webhook_secret();
  }
  if (!errors.empty()) return invalid(std::move(errors));
  s.id = ctx.new_id();
  s.created_at = s.updated_at = ctx.now();
  if (auto st = ctx.store.write([&](WriteTx& tx) { return tx.insert_webhook_subscription(s); });
      !st)
    return st.error();
  return s;
}

Result<WebhookUpdate> update_webhook(AppContext& ctx, const Id& id, const WebhookChange& in) {
  std::vector<FieldError> errors = in.decode_errors;
  std::optional<std::int64_t> grace;
  if (in.rotate_secret) {
    grace = in.rotate_secret->grace_period_hours.value_or(kDefaultWebhookGraceHours);
    if (*grace < 0 || *grace > kMaxGraceHours)
      errors.push_back({"rotateSecret.gracePeriodHours", "must be from 0 to 168"});
  }
  WebhookUpdate out;
  Status st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_webhook_subscription(id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("webhook subscription " + id + " not found");
    WebhookSubscription s = std::move(**found);
    std::vector<FieldError> field_errors = errors;
    apply_fields(in.fields, s, field_errors);
    if (!field_errors.empty()) return invalid(std::move(field_errors));
    const Timestamp now = ctx.now();
    if (in.enabled) {
      s.enabled = *in.enabled;
      s.disabled_reason =
          *in.enabled ? std::nullopt : std::optional<std::string>("disabled by an admin");
      if (*in.enabled) s.blocked_until.reset();
    }
    out.new_secret.reset();
    if (grace) {
      s.previous_secret = s.secret;
      s.previous_secret_until = now + std::chrono::hours(*grace);
      s.secret = new_webhook_secret();
      out.new_secret = s.secret;
    }
    s.updated_at = now;
    out.subscription = s;
    return tx.update_webhook_subscription(s);
  });
  if (!st) return st.error();
  return out;
}

Status delete_webhook(AppContext& ctx, const Id& id) {
  return ctx.store.write([&](WriteTx& tx) { return tx.delete_webhook_subscription(id); });
}

std::vector<std::string> signing_keys(const WebhookSubscription& s, Timestamp now) {
  std::vector<std::string> keys;
  if (auto k = webhook_secret_key(s.secret)) keys.push_back(std::move(*k));
  if (s.previous_secret && s.previous_secret_until && now < *s.previous_secret_until) {
    if (auto k = webhook_secret_key(*s.previous_secret)) keys.push_back(std::move(*k));
  }
  return keys;
}

bool webhook_matches(const WebhookSubscription& s, const OutboxEvent& e) {
  const bool typed = std::any_of(s.event_types.begin(), s.event_types.end(),
                                 [&](const std::string& p) { return pattern_matches(p, e.type); });
  if (!typed) return false;
  if (s.process && s.process != e.process) return false;
  if (s.destination && s.destination != e.destination) return false;
  if (s.platform && s.platform != e.platform) return false;
  return true;
}

Result<int> fan_out_outbox(AppContext& ctx, int limit) {
  int fanned = 0;
  Status st = ctx.store.write([&](WriteTx& tx) -> Status {
    fanned = 0;
    auto events = tx.unfanned_outbox_events(limit);
    if (!events) return events.error();
    if (events->empty()) return ok_status();
    auto subs = tx.list_webhook_subscriptions();
    if (!subs) return subs.error();
    const Timestamp now = ctx.now();
    std::vector<std::int64_t> seqs;
    for (const OutboxEvent& e : *events) {
      for (const WebhookSubscription& s : *subs) {
        if (!webhook_matches(s, e)) continue;
        WebhookDelivery d;
        d.subscription_id = s.id;
        d.event_seq = e.seq;
        d.event_id = e.id;
        d.event_type = e.type;
        d.opp_id = e.opp_id;
        d.next_attempt_at = now;
        d.created_at = d.updated_at = now;
        if (auto w = tx.insert_webhook_delivery(d); !w) return w;
      }
      seqs.push_back(e.seq);
    }
    fanned = static_cast<int>(seqs.size());
    // The same events' conversions to the ad platforms, in the same transaction: an event is
    // fanned out with everything it makes, or not at all.
    if (auto c = record_conversions(tx, *events, now); !c) return c;
    return tx.mark_outbox_fanned_out(seqs);
  });
  if (!st) return st.error();
  return fanned;
}

std::optional<std::chrono::milliseconds> webhook_retry_delay(int retry, std::mt19937_64& rng) {
  using std::chrono::hours;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  static constexpr std::array<milliseconds, kWebhookMaxAttempts - 1> kSchedule{
      seconds(5), minutes(5), minutes(30), hours(2), hours(5),
      hours(10),  hours(14),  hours(20),   hours(24)};
  if (retry < 1 || retry > static_cast<int>(kSchedule.size())) return std::nullopt;
  const milliseconds base = kSchedule[static_cast<std::size_t>(retry - 1)];
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  return milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * jitter(rng)));
}

NextStep next_step(const WebhookDelivery& d, const AttemptOutcome& outcome, Timestamp now,
                   std::mt19937_64& rng) {
  NextStep step;
  step.delivery = d;
  WebhookDelivery& next = step.delivery;
  next.attempts = d.attempts + 1;
  next.updated_at = now;
  next.claimed_until.reset();
  next.last_status = outcome.status ? std::optional<int>(outcome.status) : std::nullopt;
  next.last_error =
      outcome.error.empty() ? std::nullopt : std::optional<std::string>(outcome.error);
  step.attempt = WebhookAttempt{d.subscription_id, d.event_seq,
                                next.attempts,     now,
                                outcome.status,    outcome.latency_ms,
                                next.last_error,   outcome.response.substr(0, kResponseExcerpt)};
  if (outcome.status >= 200 && outcome.status < 300) {
    next.status = "delivered";
    return step;
  }
  if (outcome.status == 410) {
    // Gone: the subscriber wants nothing more. The event stays pending (re-enabling resumes).
    step.disable = true;
    next.next_attempt_at = now;
    return step;
  }
  auto delay = webhook_retry_delay(next.attempts, rng);
  if (!delay) {
    next.status = "dead";
    return step;
  }
  if ((outcome.status == 429 || outcome.status == 503) && outcome.retry_after) {
    delay = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::min<std::chrono::seconds>(*outcome.retry_after, kMaxRetryAfter));
  }
  next.next_attempt_at = now + *delay;
  step.blocked_until = next.next_attempt_at;
  return step;
}

Status record_attempts(AppContext& ctx, const std::vector<NextStep>& steps) {
  if (steps.empty()) return ok_status();
  return ctx.store.write([&](WriteTx& tx) -> Status {
    // Each subscription is read once per call (a round's successes would otherwise read it once
    // per delivery), and this copy is kept as it is updated.
    std::map<Id, std::optional<WebhookSubscription>> subs;
    for (const NextStep& step : steps) {
      if (auto s = tx.finish_webhook_delivery(step.delivery, step.attempt); !s) return s;
      if (!step.disable && !step.blocked_until && step.delivery.status != "delivered") continue;
      auto it = subs.find(step.delivery.subscription_id);
      if (it == subs.end()) {
        auto found = tx.get_webhook_subscription(step.delivery.subscription_id);
        if (!found) return found.error();
        it = subs.emplace(step.delivery.subscription_id, std::move(*found)).first;
      }
      if (!it->second) continue;
      WebhookSubscription& s = *it->second;
      // A success lifts the backoff; a failure sets it.
      if (!step.disable && step.delivery.status == "delivered" && !s.blocked_until) continue;
      if (step.disable) {
        s.enabled = false;
        s.disabled_reason = "the subscriber answered 410 Gone";
      }
      s.blocked_until = step.blocked_until;
      s.updated_at = step.delivery.updated_at;
      if (auto u = tx.update_webhook_subscription(s); !u) return u;
    }
    return ok_status();
  });
}

Result<int> replay_dead_letters(AppContext& ctx, const Id& subscription,
                                std::optional<std::int64_t> event_seq) {
  int n = 0;
  Status st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_webhook_subscription(subscription);
    if (!found) return found.error();
    if (!*found) return Error::not_found("webhook subscription " + subscription + " not found");
    auto replayed = tx.replay_webhook_deliveries(subscription, event_seq, ctx.now());
    if (!replayed) return replayed.error();
    n = *replayed;
    return ok_status();
  });
  if (!st) return st.error();
  return n;
}

}  // namespace leadproc
