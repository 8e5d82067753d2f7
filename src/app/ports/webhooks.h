// The outbox and webhook subscriptions (docs/events.md).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// One event for the world outside (webhooks, issue 20): written in the transaction of the change
// that raised it (outbox_events, migration 17), so it exists iff its change committed. `seq` is
// the store's order of events (increasing with each commit on SQLite; on PostgreSQL an identity,
// taken at insert); `id` is the event's stable id (an ObjectId), sent as `webhook-id` on every
// attempt. `body` is the exact JSON text every subscriber receives (app/outbox.h).
struct OutboxEvent {
  std::int64_t seq = 0;  // set by the store when written
  Id id;
  std::string type;  // lead.created | opportunity.assigned | ... (app/outbox.h)
  std::optional<Id> opp_id;
  // What a subscription's filters match (docs/events.md): the opportunity's filtration process
  // (PSV, WEST, ...), destination id and lead-source platform, when it has them.
  std::optional<std::string> process;
  std::optional<Id> destination;
  std::optional<std::string> platform;
  Timestamp at{};
  std::string body;
};

// A webhook subscription (migration 18): where the events of `event_types` (patterns: a type,
// "opportunity.*", or "*") that pass its filters are POSTed, signed with `secret` (and with
// `previous_secret` until previous_secret_until: rotation).
struct WebhookSubscription {
  Id id;
  std::string url;
  std::vector<std::string> event_types;
  std::optional<std::string> process;   // filter: the opportunity's filtration process
  std::optional<Id> destination;        // filter: its destination id
  std::optional<std::string> platform;  // filter: its lead-source platform
  std::string secret;                   // whsec_...
  std::optional<std::string> previous_secret;
  std::optional<Timestamp> previous_secret_until;
  bool enabled = true;
  std::optional<std::string> disabled_reason;  // e.g. the subscriber answered 410 Gone
  std::optional<Timestamp> blocked_until;      // nothing is sent to it before (its backoff)
  Timestamp created_at{};
  Timestamp updated_at{};
};

// One event for one subscription: pending until a 2xx, dead after the last try.
struct WebhookDelivery {
  Id subscription_id;
  std::int64_t event_seq = 0;
  Id event_id;
  std::string event_type;
  std::optional<Id> opp_id;
  std::string status = "pending";  // pending | delivered | dead
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::optional<Timestamp> claimed_until;  // PostgreSQL: an instance is sending it until then
  std::optional<int> last_status;          // the last answer's HTTP status
  std::optional<std::string> last_error;   // the last attempt's failure, when it failed
  Timestamp created_at{};
  Timestamp updated_at{};
  std::string body;  // the event's body (read with it when claimed; not a column)
};

// One try of a delivery (the delivery log).
struct WebhookAttempt {
  Id subscription_id;
  std::int64_t event_seq = 0;
  int attempt = 0;
  Timestamp at{};
  int status = 0;  // the HTTP status; 0: no answer
  std::int64_t latency_ms = 0;
  std::optional<std::string> error;
  std::string response;  // the answer's first bytes (capped)
};

class WebhookReads {
 public:
  // The events after `after_seq`, by seq, at most `limit`.
  virtual Result<std::vector<OutboxEvent>> outbox_events_after(std::int64_t after_seq,
                                                               int limit) = 0;
  virtual Result<std::vector<WebhookSubscription>> list_webhook_subscriptions() = 0;
  virtual Result<std::optional<WebhookSubscription>> get_webhook_subscription(const Id& id) = 0;
  // The deliveries of `subscription` with `status` (any when absent), by event seq, after
  // `after_seq`, at most `limit`.
  virtual Result<std::vector<WebhookDelivery>> list_webhook_deliveries(
      const Id& subscription, const std::optional<std::string>& status, std::int64_t after_seq,
      int limit) = 0;
  // The attempts of one delivery, in order.
  virtual Result<std::vector<WebhookAttempt>> list_webhook_attempts(const Id& subscription,
                                                                    std::int64_t event_seq) = 0;

 protected:
  ~WebhookReads() = default;
};

class WebhookWrites {
 public:
  // Stores `e` (e.seq is ignored) in this transaction.
  virtual Status insert_outbox_event(const OutboxEvent& e) = 0;
  virtual Status insert_webhook_subscription(const WebhookSubscription& s) = 0;
  // kNotFound when there is no such subscription.
  virtual Status update_webhook_subscription(const WebhookSubscription& s) = 0;
  // Deletes it with its deliveries and attempts; kNotFound when there is no such subscription.
  virtual Status delete_webhook_subscription(const Id& id) = 0;
  // The events not yet fanned out to the subscriptions, by seq, at most `limit`; on PostgreSQL
  // locked (SKIP LOCKED: two instances take different events).
  virtual Result<std::vector<OutboxEvent>> unfanned_outbox_events(int limit) = 0;
  // Marks the events fanned out.
  virtual Status mark_outbox_fanned_out(const std::vector<std::int64_t>& seqs) = 0;
  virtual Status insert_webhook_delivery(const WebhookDelivery& d) = 0;
  // Takes the deliveries of `subscription` that are pending, due at `now`, not claimed by
  // another instance (claimed_until before `now`) and first of their opportunity (no pending
  // delivery of the same opportunity with a smaller seq): by seq, at most `limit`, each claimed
  // until `lease` and read with its event's body. On PostgreSQL the rows are locked with SKIP
  // LOCKED, so two instances never take the same one.
  virtual Result<std::vector<WebhookDelivery>> claim_webhook_deliveries(const Id& subscription,
                                                                        Timestamp now,
                                                                        Timestamp lease,
                                                                        int limit) = 0;
  // Writes status, attempts, next_attempt_at, last_status, last_error and updated_at of the
  // delivery and releases its claim, and appends `attempt` to its log (when attempt.attempt > 0).
  virtual Status finish_webhook_delivery(const WebhookDelivery& d,
                                         const WebhookAttempt& attempt) = 0;
  // Makes the dead deliveries of `subscription` (only `event_seq`'s when given) pending again,
  // due at `now`, with their attempts reset; returns how many.
  virtual Result<int> replay_webhook_deliveries(const Id& subscription,
                                                std::optional<std::int64_t> event_seq,
                                                Timestamp now) = 0;
  // Deletes the oldest outbox events that nothing needs any more, with every delivery and
  // delivery attempt of them (a dead letter goes with its event): of the `limit` oldest events,
  // those before the first one that was created at or after `before`, is not fanned out yet, or
  // has a pending delivery to an enabled subscription (its subscriber has not had it; a disabled
  // subscription's pending deliveries hold nothing back). Returns how many events.
  virtual Result<int> purge_outbox(Timestamp before, int limit) = 0;

 protected:
  ~WebhookWrites() = default;
};

}  // namespace leadproc
