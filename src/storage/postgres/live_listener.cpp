#include "storage/postgres/live_listener.h"

#include <poll.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

namespace leadproc::postgres {
namespace json = boost::json;

namespace {

constexpr int kPollMs = 250;  // how often the thread looks at stop_
constexpr auto kReconnectPause = std::chrono::seconds(1);
constexpr int kCatchUpLimit = 10000;

std::int64_t ms_of(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string live_payload(const LiveEvent& e) {
  json::object o;
  o["i"] = e.id;
  o["r"] = e.recipient;
  o["t"] = e.type;
  if (e.opp_id) o["o"] = *e.opp_id;
  o["a"] = ms_of(e.at);
  o["d"] = e.data;
  return json::serialize(o);
}

std::optional<LiveEvent> live_from_payload(std::string_view payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  const auto* id = o.if_contains("i");
  const auto* r = o.if_contains("r");
  const auto* t = o.if_contains("t");
  const auto* a = o.if_contains("a");
  const auto* d = o.if_contains("d");
  if (!id || !id->is_int64() || !r || !r->is_string() || !t || !t->is_string() || !a ||
      !a->is_int64() || !d || !d->is_string())
    return std::nullopt;
  LiveEvent e;
  e.id = id->get_int64();
  e.recipient = std::string(r->get_string());
  e.type = std::string(t->get_string());
  if (const auto* opp = o.if_contains("o"); opp && opp->is_string())
    e.opp_id = std::string(opp->get_string());
  e.at = Timestamp(std::chrono::milliseconds(a->get_int64()));
  e.data = std::string(d->get_string());
  return e;
}

LiveListener::LiveListener(ConnectSettings settings, LiveSink sink)
    : settings_(std::move(settings)), sink_(std::move(sink)), thread_([this] { run(); }) {}

LiveListener::~LiveListener() {
  stop_ = true;
  thread_.join();
}

void LiveListener::catch_up(Connection& c) {
  if (last_ == 0) return;  // nothing was handed on yet: nobody can have missed anything
  auto rows = c.query(
      "SELECT id, recipient, type, opp_id, created_at, data FROM live_events WHERE id > ?1 "
      "ORDER BY id LIMIT " +
          std::to_string(kCatchUpLimit),
      Params().integer(last_));
  if (!rows) return;
  std::vector<LiveEvent> missed;
  for (int i = 0; i < rows->size(); ++i) {
    const Row row = (*rows)[i];
    LiveEvent e;
    e.id = row.int_at(0);
    e.recipient = row.text_at(1);
    e.type = row.text_at(2);
    e.opp_id = row.opt_text_at(3);
    e.at = Timestamp(std::chrono::milliseconds(row.int_at(4)));
    e.data = row.text_at(5);
    last_ = std::max(last_, e.id);
    missed.push_back(std::move(e));
  }
  if (!missed.empty()) sink_(missed);
}

void LiveListener::run() {
  while (!stop_) {
    auto opened = Connection::open(settings_);
    if (!opened || !(*opened)->exec("LISTEN " + std::string(kLiveChannel))) {
      for (auto waited = std::chrono::milliseconds(0); !stop_ && waited < kReconnectPause;
           waited += std::chrono::milliseconds(kPollMs)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      }
      continue;
    }
    Connection& c = **opened;
    catch_up(c);
    while (!stop_) {
      pollfd fd{c.socket(), POLLIN, 0};
      if (fd.fd < 0) break;
      if (::poll(&fd, 1, kPollMs) < 0) continue;  // EINTR
      auto payloads = c.take_notifications(kLiveChannel);
      if (!payloads) break;  // lost: reopen and catch up
      std::vector<LiveEvent> events;
      for (const auto& p : *payloads) {
        if (auto e = live_from_payload(p)) {
          last_ = std::max(last_, e->id);
          events.push_back(std::move(*e));
        }
      }
      if (!events.empty()) sink_(events);
    }
  }
}

}  // namespace leadproc::postgres
