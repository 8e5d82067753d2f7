// Live events (issue 17 item 1; docs/api-events.md): what a signed-in person is told as it
// happens, over GET /api/v1/events/stream. This file holds what is not HTTP:
// - which events a change raises (live_events_for_change), written by record_activity in the
//   transaction of the change, so an event exists iff its change committed;
// - the follow-up alerts of the followup-alerts job (record_followup_alerts);
// - the bus (LiveBus) that routes committed events to the streams open in this process, per
//   person, with caps on streams and a bounded queue per stream;
// - the replay of what a reconnecting client missed (replay_live_events).
// The stream's wire text (SSE) is made here too (sse_text), so the HTTP layer only moves bytes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/context.h"
#include "domain/model.h"

namespace leadproc {

// Which events a change raises

// The events the change of an opportunity from `before` (nullopt: just created) to `after` by
// `actor` (nullopt: the system) raises, ids unset:
// - assigned: to each new assignedPsv / assignedWest / opportunityOwner (not when they made the
//   change themselves); unassigned: to the one it was taken from (likewise);
// - reinquiry: reInquiries went up: to whoever holds it (live_holder);
// - stage_changed: status or stage changed by someone other than the holder (a new holder is
//   told `assigned` instead);
// - waiting: it started waiting for a POC (awaitingPool set): to every admin.
std::vector<LiveEvent> live_events_for_change(const std::optional<Opportunity>& before,
                                              const Opportunity& after,
                                              const std::optional<Id>& actor, Timestamp now);

// Who works the opportunity now: the PSV agent while it is InPSV, the WEST agent while InWEST,
// else its sales owner (or whichever of them is set).
std::optional<Id> live_holder(const Opportunity& o);

// Writes live_events_for_change(...) in `tx`.
Status record_live_events(WriteTx& tx, const std::optional<Opportunity>& before,
                          const Opportunity& after, const std::optional<Id>& actor, Timestamp now);

// The followup-alerts job (src/jobs): one `followup_due` event for each active follow-up whose
// reminder falls in (since + lead, now + lead] and one `followup_overdue` for each whose reminder
// falls in (since, now], to its owner (PSV/WEST agents: their opportunities' nextFollowUpDate).
// Consecutive runs pass consecutive windows, so each reminder is announced once of each kind.
// Each sales follow-up becoming overdue (owned or not) also writes the outbox's followup.overdue,
// and sla.breached when it is the first contact (app/outbox.h), in the same transaction.
// Returns how many live events were written.
Result<int> record_followup_alerts(AppContext& ctx, Timestamp since, Timestamp now,
                                   std::chrono::seconds lead);

// The wire

// The event as one Server-Sent Events message: "id: N\nevent: TYPE\ndata: {...}\n\n", the data
// being {"id": N, "type", "opportunityId", "at", ...the type's own fields}.
std::string sse_text(const LiveEvent& e);
// A message without an id (a `reset`: replay is impossible, reload).
std::string sse_reset_text(std::string_view reason);

// Replay

struct Replay {
  std::vector<LiveEvent> events;  // missed, by id
  bool reset = false;             // some missed events are no longer kept: the client reloads
};
// The events for `user` (`admin`: every admin's too) after `last_id` (Last-Event-ID), at most
// `limit`; reset when events after last_id have been purged, or last_id is beyond every stored
// id (another database), or more than `limit` were missed.
Result<Replay> replay_live_events(ReadTx& tx, const Id& user, bool admin, std::int64_t last_id,
                                  int limit);

// The bus

struct LiveLimits {
  std::size_t max_streams = 5000;        // open streams in this process
  std::size_t max_streams_per_user = 8;  // open streams of one person in this process
  std::size_t queue = 256;  // events waiting for one stream; past it the stream is ended (the
                            // client reconnects and replays from the table)
};

class LiveBus;

// One open stream's subscription. The stream drains it with take(); `wake` (given at subscribe)
// is called from the publishing thread whenever events were added, or the subscription ended.
class LiveSubscription {
 public:
  ~LiveSubscription();
  LiveSubscription(const LiveSubscription&) = delete;
  LiveSubscription& operator=(const LiveSubscription&) = delete;

  // The events queued since the last call, by id; those with an id at or below `after` (already
  // replayed) are dropped. Thread-safe.
  std::vector<LiveEvent> take();
  // True once the queue overflowed: the stream should end (its client replays what it missed).
  bool overflowed() const;
  // Events with an id at or below this are not handed out (set once replay is done).
  void skip_through(std::int64_t id);

 private:
  friend class LiveBus;
  LiveSubscription(LiveBus& bus, Id user, bool admin, std::function<void()> wake);
  void push(const LiveEvent& e, std::size_t bound);  // under the bus's lock

  LiveBus& bus_;
  const Id user_;
  const bool admin_;
  const std::function<void()> wake_;
  mutable std::mutex mu_;
  std::deque<LiveEvent> queue_;
  std::int64_t skip_through_ = 0;
  bool overflowed_ = false;
};

class LiveBus {
 public:
  explicit LiveBus(LiveLimits limits = {}) : limits_(limits) {}

  enum class Refusal { kNone, kTooManyForUser, kTooMany };
  struct Subscribed {
    std::unique_ptr<LiveSubscription> subscription;  // null when refused
    Refusal refusal = Refusal::kNone;
  };
  // Opens a subscription for `user` (`admin`: also every admin's events), or refuses it past a
  // cap. The subscription unsubscribes when destroyed (it must not outlive the bus).
  Subscribed subscribe(const Id& user, bool admin, std::function<void()> wake);

  // Routes committed events to the subscriptions of their recipients (a LiveSink). Never blocks
  // on a stream: a full queue ends that stream instead.
  void publish(const std::vector<LiveEvent>& events);

  std::size_t open_streams() const;
  const LiveLimits& limits() const { return limits_; }

 private:
  friend class LiveSubscription;
  void unsubscribe(LiveSubscription* s);

  const LiveLimits limits_;
  mutable std::mutex mu_;
  std::unordered_map<Id, std::vector<LiveSubscription*>> by_user_;
  std::vector<LiveSubscription*> admins_;
  std::size_t open_ = 0;
};

}  // namespace leadproc
