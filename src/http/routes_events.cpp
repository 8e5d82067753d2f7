// GET /api/v1/events/stream (docs/api-events.md): the caller's live events as Server-Sent
// Events. The handler runs on a worker: it subscribes to the bus (app/live_events.h) first, then
// reads what a reconnecting client missed (Last-Event-ID), so nothing falls between the two
// (what both hold is sent once: the subscription skips ids already replayed). It answers a
// Response whose LiveBody the server drives on the network thread without holding a worker.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>

#include "app/live_events.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {

namespace {

// Events replayed at most; a client that missed more is told to reload (`reset`).
constexpr int kReplayLimit = 1000;
// How long EventSource waits before it reconnects after the stream ends (SSE `retry:`).
constexpr std::string_view kRetry = "retry: 3000\n";
// A stream ends after this long, or when its session expires if sooner: the client reconnects
// (3 s later, replaying what it missed) and is authenticated again, so a stream of a session
// that was ended (sign-out, deactivation, password change) stops within this time plus a
// heartbeat.
constexpr auto kMaxStreamLife = std::chrono::minutes(10);

// Forwards the bus's wake to the server's, which exists only once the response is being sent:
// a wake before that is remembered.
class WakeSlot {
 public:
  void set(std::function<void()> wake) {
    std::lock_guard lock(mu_);
    wake_ = std::move(wake);
    if (pending_) wake_();
  }
  void fire() {
    std::lock_guard lock(mu_);
    if (wake_) {
      wake_();
    } else {
      pending_ = true;
    }
  }

 private:
  std::mutex mu_;
  std::function<void()> wake_;
  bool pending_ = false;
};

class EventStream final : public LiveBody {
 public:
  EventStream(std::shared_ptr<WakeSlot> slot, std::unique_ptr<LiveSubscription> sub,
              std::chrono::steady_clock::time_point end)
      : slot_(std::move(slot)), sub_(std::move(sub)), end_(end) {}
  void start(std::function<void()> wake) override { slot_->set(std::move(wake)); }
  std::optional<std::string> next() override {
    if (std::chrono::steady_clock::now() >= end_) return std::nullopt;
    // A stream that fell behind ends; its client reconnects and replays from the table.
    if (sub_->overflowed()) return std::nullopt;
    std::string out;
    for (const LiveEvent& e : sub_->take()) out += sse_text(e);
    return out;
  }

 private:
  std::shared_ptr<WakeSlot> slot_;
  std::unique_ptr<LiveSubscription> sub_;
  const std::chrono::steady_clock::time_point end_;
};

std::optional<std::int64_t> parse_last_id(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

Response stream_events(AppContext& ctx, LiveBus& bus, Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  const Principal& who = *req.principal;
  std::optional<std::int64_t> last_id;
  if (auto header = req.header("last-event-id"); header && !header->empty()) {
    last_id = parse_last_id(*header);
    if (!last_id)
      return problem_response(
          Error::validation({{"Last-Event-ID", "must be an event id (digits)"}}, "bad header"),
          req.trace_id);
  }
  auto slot = std::make_shared<WakeSlot>();
  auto subscribed = bus.subscribe(who.id, who.is_admin(), [slot] { slot->fire(); });
  if (!subscribed.subscription) {
    const bool mine = subscribed.refusal == LiveBus::Refusal::kTooManyForUser;
    Response r = problem_response(
        mine ? 429 : 503, mine ? "Too Many Requests" : "Service Unavailable",
        mine ? "You have " + std::to_string(bus.limits().max_streams_per_user) +
                   " event streams open already (LEADPROC_EVENT_STREAMS_PER_USER); close one."
             : "The server holds as many event streams as it may (LEADPROC_EVENT_STREAMS); "
               "retry shortly.");
    r.headers.emplace_back("Retry-After", mine ? "30" : "5");
    return r;
  }
  std::string first(kRetry);
  first += ": connected\n\n";
  if (last_id) {
    Result<Replay> replay = Error::internal("not read");
    Status s = ctx.store.read([&](ReadTx& tx) -> Status {
      replay = replay_live_events(tx, who.id, who.is_admin(), *last_id, kReplayLimit);
      return replay ? ok_status() : Status(replay.error());
    });
    if (!s) return problem_response(s.error(), req.trace_id);
    if (replay->reset) {
      first += sse_reset_text("events after Last-Event-ID are no longer kept; reload");
    } else {
      for (const LiveEvent& e : replay->events) first += sse_text(e);
      if (!replay->events.empty()) subscribed.subscription->skip_through(replay->events.back().id);
    }
  }
  Response r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass each event on at once
  r.body = std::move(first);
  const auto session_left = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      who.session_expiry - ctx.now());
  const auto life =
      std::clamp(session_left, std::chrono::steady_clock::duration::zero(),
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(kMaxStreamLife));
  r.live = std::make_shared<EventStream>(std::move(slot), std::move(subscribed.subscription),
                                         std::chrono::steady_clock::now() + life);
  return r;
}

}  // namespace

void register_event_routes(Router& router, AppContext& ctx, LiveBus& bus) {
  router.add("GET", "/api/v1/events/stream", "events.stream", Access::users(),
             [&ctx, &bus](Request& req) { return stream_events(ctx, bus, req); });
}

}  // namespace leadproc::http
