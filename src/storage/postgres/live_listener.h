// Live events across instances (docs/architecture.md "Live events"): once a write transaction
// that stored live events has committed, the store sends them with NOTIFY on kLiveChannel, in a
// short transaction of its own (pg_store.cpp's notify(): a NOTIFY inside the lead's transaction
// would hold the cluster's notification-queue lock through its WAL flush), and
// every instance LISTENs on a connection of its own, outside the pool, handing each event to its
// LiveSink. PostgreSQL delivers a notification only when its transaction commits, in commit
// order, and never one of a rolled-back transaction: what the sink gets is committed.
//
// Why NOTIFY rather than polling live_events by id: an identity value is taken when the row is
// inserted, not when it commits, so a poller that saw id 101 could skip a 100 committed just
// after; NOTIFY has no such gap, costs nothing while idle, and delivers in about a millisecond
// (polling fast enough for the 100 ms target would query every instance's database all the
// time). Its cost: one notify per event, in a transaction after the writing one that holds the
// cluster's notification-queue lock only briefly (it does not wait for its WAL flush). An
// instance that dies between the two commits does not push that transaction's events; they
// are in live_events for a listener that reconnects.
//
// A lost listening connection is reopened (every second until it answers); the events committed
// meanwhile are then read from live_events (id above the last one handed on), so none is lost
// while the table keeps them.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "app/store.h"
#include "storage/postgres/connection.h"

namespace leadproc::postgres {

inline constexpr std::string_view kLiveChannel = "leadproc_live";

// A live event as a NOTIFY payload (a small JSON object; well under PostgreSQL's 8,000 bytes for
// the events app/live_events.h makes) and back (nullopt: not one of ours).
std::string live_payload(const LiveEvent& e);
std::optional<LiveEvent> live_from_payload(std::string_view payload);

class LiveListener {
 public:
  // Starts the listening thread; `sink` is called on it.
  LiveListener(ConnectSettings settings, LiveSink sink);
  // Stops and joins the thread (within about a quarter of a second).
  ~LiveListener();
  LiveListener(const LiveListener&) = delete;
  LiveListener& operator=(const LiveListener&) = delete;

 private:
  void run();
  // Hands on the events committed after last_ while no connection listened.
  void catch_up(Connection& c);

  const ConnectSettings settings_;
  const LiveSink sink_;
  std::int64_t last_ = 0;  // the highest id handed on; on the thread only
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace leadproc::postgres
