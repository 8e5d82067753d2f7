// Webhook subscriptions and what decides a delivery's fate (issue 20 items 2 and 3;
// docs/events.md). The sending itself (HTTP, the address guard, the thread) is in
// src/jobs/webhook_sender.*; this file holds the rules it applies and the admin's use cases:
// - create / update / delete / list subscriptions (422 naming every bad field);
// - which events a subscription takes (matches), fanned out from the outbox into deliveries;
// - the retry schedule and what an answer means (next_step);
// - dead letters and their replay.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/input.h"

namespace leadproc {

// Subscriptions

// What a subscription takes, beyond its event types: each filter set must equal the event's.
struct WebhookFilters {
  std::optional<std::string> process;      // a filtration process (PSV, WEST, ...)
  std::optional<std::string> destination;  // a destination id
  std::optional<std::string> platform;     // a platform
};
// The fields a creation and a change share, as given (nullopt: not given).
struct WebhookFields {
  std::optional<std::string> url;  // http:// or https://, at most 2000 characters
  // 1 to 32 of: an event type, "prefix.*" or "*".
  std::optional<std::vector<std::string>> event_types;
  Patch<WebhookFilters> filters;  // given: replaces all three; cleared (null): none
};

// POST /api/v1/webhooks {url, eventTypes, filters?, secret?} (the JSON is decoded by
// http/decode_webhooks.h): url and eventTypes required; the secret is generated when absent
// (shown once: the answer of the creation). 422 naming every bad field, nothing stored.
struct WebhookInput {
  WebhookFields fields;
  std::optional<std::string> secret;  // "whsec_" + base64 of 24 to 64 bytes
  std::vector<FieldError> decode_errors;
};
Result<WebhookSubscription> create_webhook(AppContext& ctx, const WebhookInput& in);

// PATCH /api/v1/webhooks/{id}: any of url, eventTypes, filters, enabled (true re-enables one
// disabled by a 410, clearing its backoff) and rotateSecret ({"gracePeriodHours": n}, default
// 24, 0..168): a new secret, the old one signing too for the grace period. Returns the
// subscription and, when rotated, the new secret (shown once). 404 for an unknown id (before any
// 422).
struct WebhookSecretRotation {
  std::optional<std::int64_t> grace_period_hours;  // not given: kDefaultWebhookGraceHours
};
inline constexpr std::int64_t kDefaultWebhookGraceHours = 24;
struct WebhookChange {
  WebhookFields fields;
  std::optional<bool> enabled;
  std::optional<WebhookSecretRotation> rotate_secret;  // given: rotate
  std::vector<FieldError> decode_errors;
};
struct WebhookUpdate {
  WebhookSubscription subscription;
  std::optional<std::string> new_secret;
};
Result<WebhookUpdate> update_webhook(AppContext& ctx, const Id& id, const WebhookChange& in);
Status delete_webhook(AppContext& ctx, const Id& id);

// The keys that sign a delivery at `now`: the secret's, and the previous secret's while its grace
// period lasts.
std::vector<std::string> signing_keys(const WebhookSubscription& s, Timestamp now);

// Fan-out

// True iff `s` takes `e`: enabled or not (a disabled subscription still collects its events,
// delivered when re-enabled), one of its patterns matches the type ("*", "opportunity.*" or the
// type itself) and each filter it sets equals the event's.
bool webhook_matches(const WebhookSubscription& s, const OutboxEvent& e);

// Moves up to `limit` outbox events not yet fanned out into the deliveries of the subscriptions
// that take them, due at once, and into the conversions they reach (app/conversions.h), in one
// transaction; returns how many events were fanned out.
Result<int> fan_out_outbox(AppContext& ctx, int limit);

// Delivery

// How many tries a delivery gets (the first one and nine retries), and the wait before each
// retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (about three days in all).
inline constexpr int kWebhookMaxAttempts = 10;
// The wait before retry number `retry` (1-based), with up to ±10% of jitter from `rng` (so
// subscribers that failed together do not retry together); nullopt past the last retry.
std::optional<std::chrono::milliseconds> webhook_retry_delay(int retry, std::mt19937_64& rng);

// What one attempt gave.
struct AttemptOutcome {
  int status = 0;  // the HTTP status; 0: no answer (refused, timed out, blocked address)
  std::optional<std::chrono::seconds> retry_after;  // the answer's Retry-After, when given
  std::string error;                                // why there was no answer
  std::string response;                             // the answer's first bytes
  std::int64_t latency_ms = 0;
};
// The delivery after `outcome` at `now` (attempts counted, status delivered / pending with its
// next time / dead), the log entry, and whether the subscription is now disabled (410 Gone: the
// subscriber said it wants nothing more) or backed off (a failure: nothing more is sent to it
// until the delivery's next try, so a subscriber that is down costs one try per interval).
struct NextStep {
  WebhookDelivery delivery;
  WebhookAttempt attempt;
  bool disable = false;
  std::optional<Timestamp> blocked_until;
};
NextStep next_step(const WebhookDelivery& d, const AttemptOutcome& outcome, Timestamp now,
                   std::mt19937_64& rng);

// Records `steps` (each delivery, its log entry and its subscription's state), in order, in one
// transaction: a sender records a round's attempts together, so that delivering costs the single
// writer one transaction per round, not one per event.
Status record_attempts(AppContext& ctx, const std::vector<NextStep>& steps);

// Dead letters back to pending, due now: one (event_seq) or all of the subscription's; returns
// how many. kNotFound when the subscription does not exist.
Result<int> replay_dead_letters(AppContext& ctx, const Id& subscription,
                                std::optional<std::int64_t> event_seq);

}  // namespace leadproc
