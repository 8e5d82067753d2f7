// Live events (docs/api-events.md).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// One thing a signed-in person is told about as it happens (GET /api/v1/events/stream): stored
// in the transaction of the change that raised it (live_events, migration 12), numbered by the
// store in increasing order, kept at least an hour for replay (Last-Event-ID).
struct LiveEvent {
  std::int64_t id = 0;    // set by the store when written
  std::string recipient;  // a user id, or kLiveEventAdmins
  std::string type;       // assigned | unassigned | reinquiry | stage_changed | followup_due |
                          // followup_overdue | waiting
  std::optional<Id> opp_id;
  Timestamp at{};
  std::string data;  // the payload: a JSON object's text (app/live_events.h)
};

// The recipient of the events every admin is told about (leads waiting unassigned).
inline constexpr std::string_view kLiveEventAdmins = "@ADMIN";

// The ids a store holds: [oldest, newest]; both 0 when it holds none.
struct LiveEventBounds {
  std::int64_t oldest = 0;
  std::int64_t newest = 0;
};

// Where a store hands the live events of committed transactions (Store::set_live_sink): called
// after the commit, from the committing thread (SQLite) or the listener's (PostgreSQL); must not
// block.
using LiveSink = std::function<void(const std::vector<LiveEvent>&)>;

class LiveEventReads {
 public:
  // The events after `after_id` addressed to any of `recipients`, by id, at most `limit`.
  virtual Result<std::vector<LiveEvent>> live_events_after(
      std::int64_t after_id, const std::vector<std::string>& recipients, int limit) = 0;
  virtual Result<LiveEventBounds> live_event_bounds() = 0;

 protected:
  ~LiveEventReads() = default;
};

class LiveEventWrites {
 public:
  // Stores `e` (e.id is ignored) and returns its id, greater than every id committed before; the
  // store hands it to its LiveSink once the transaction commits, never if it rolls back.
  virtual Result<std::int64_t> insert_live_event(const LiveEvent& e) = 0;
  // Deletes the events created before `before`, except the newest event (whose id keeps the
  // numbering going up); returns how many.
  virtual Result<int> purge_live_events(Timestamp before) = 0;

 protected:
  ~LiveEventWrites() = default;
};

}  // namespace leadproc
