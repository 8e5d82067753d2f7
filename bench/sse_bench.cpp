// leadproc-sse-bench: many open event streams (GET /api/v1/events/stream, docs/api-events.md)
// and how fast an event reaches them (docs/benchmarks.md, "Live events").
//
// Opens --streams streams over plain sockets, spread evenly over the --token users, all on one
// epoll loop; measures the server's resident memory before and after (--pid) and prints the
// memory per stream. Then, with --leads N, sends N leads one after another (--key, a lead source's
// API key; --lead a JSON body whose "NUMBER" is replaced by a fresh number), --interval-ms apart,
// and times every `assigned` event each stream receives for them: from the moment the lead was
// sent, and from the moment its 201 came back (the commit is before the 201, so this second
// figure is a lower bound and the first an upper bound of "after the commit"). With --hold S it
// then keeps the streams open S seconds more (to run ingest load beside them) and counts what
// they received.
//
//   leadproc-sse-bench --port 8080 --pid $(pidof leadproc) --streams 1000
//     --token "$T1" --token "$T2" --key "$KEY" --leads 200
//     --lead '{"name":"Bench","number":"NUMBER","destination":"Goa"}'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"

using leadproc::bench::Clock;
using leadproc::bench::Latencies;

namespace {

struct Options {
  int port = 8080;
  int pid = 0;
  int streams = 1000;
  std::vector<std::string> tokens;
  std::string key;
  std::string lead = R"({"name":"Bench Lead","number":"NUMBER","destination":"Goa"})";
  int leads = 0;
  int interval_ms = 50;
  double hold = 0;
};

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

struct Stream {
  int fd = -1;
  bool open = false;  // the 200 header arrived
  std::string buf;    // what arrived, not yet scanned
};

// One lead in flight: when it was sent and when its 201 arrived.
struct Sent {
  Clock::time_point sent;
  Clock::time_point answered;
};

// A blocking POST of one lead on a keep-alive connection; answers the opportunity id ("" on
// failure).
std::string post_lead(int& fd, int port, const std::string& key, const std::string& body) {
  if (fd < 0) fd = connect_loopback(port);
  const std::string req =
      "POST /api/v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: " + key +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  if (!send_all(fd, req)) return "";
  std::string in;
  char b[16384];
  for (;;) {
    const auto end = in.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto cl = in.find("Content-Length: ");
      const std::size_t len = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
      if (in.size() >= end + 4 + len) {
        const std::string resp = in.substr(end + 4, len);
        const auto at = resp.find("\"opportunity\":{\"_id\":\"");
        if (in.compare(9, 3, "201") != 0 || at == std::string::npos) {
          std::cerr << "lead refused: " << in.substr(0, 300) << "\n";
          return "";
        }
        return resp.substr(at + 22, 24);
      }
    }
    ssize_t n = ::recv(fd, b, sizeof b, 0);
    if (n <= 0) return "";
    in.append(b, static_cast<std::size_t>(n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"leadproc-sse-bench: many open event streams and their delivery latency"};
  app.add_option("--port", o.port, "the server's port on 127.0.0.1");
  app.add_option("--pid", o.pid, "the server's pid, for its resident memory");
  app.add_option("--streams", o.streams, "streams to open");
  app.add_option("--token", o.tokens, "a user's bearer token (repeat: streams spread over them)")
      ->required();
  app.add_option("--key", o.key, "a lead source's API key (for --leads)");
  app.add_option("--lead", o.lead, "the lead body; NUMBER is replaced by a fresh number");
  app.add_option("--leads", o.leads, "leads to send one after another, timing their events");
  app.add_option("--interval-ms", o.interval_ms, "pause between two leads");
  app.add_option("--hold", o.hold, "seconds to keep the streams open afterwards");
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each line at once: scripts wait for "streams:"

  auto rss_mib = [&]() -> double {
    if (o.pid <= 0) return 0;
    auto r = leadproc::bench::read_rss(o.pid);
    return r ? static_cast<double>(r->rss_kib) / 1024 : 0;
  };
  const double rss_before = rss_mib();
  const int ep = ::epoll_create1(0);
  std::vector<Stream> streams(static_cast<std::size_t>(o.streams));
  const auto opening = Clock::now();
  for (int i = 0; i < o.streams; ++i) {
    Stream& s = streams[static_cast<std::size_t>(i)];
    s.fd = connect_loopback(o.port);
    if (s.fd < 0) {
      std::cerr << "cannot connect stream " << i << "\n";
      return 1;
    }
    const std::string& token = o.tokens[static_cast<std::size_t>(i) % o.tokens.size()];
    if (!send_all(s.fd,
                  "GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                  "Bearer " +
                      token + "\r\nAccept: text/event-stream\r\n\r\n"))
      return 1;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    ::epoll_ctl(ep, EPOLL_CTL_ADD, s.fd, &ev);
  }

  // The leads are sent by a thread of their own (posting blocks), their times kept here; an
  // event that arrives before its lead's 201 was read waits in `arrived` until it is.
  std::mutex mu;
  std::map<std::string, Sent> sent;                               // opportunity id -> times
  std::map<std::string, std::vector<Clock::time_point>> arrived;  // not matched yet
  Latencies from_send, from_answer;
  long delivered = 0, early = 0, refused = 0, received = 0;
  auto count = [&](const Sent& t, Clock::time_point at) {
    ++delivered;
    from_send.add(std::chrono::duration<double, std::micro>(at - t.sent).count());
    if (at < t.answered) ++early;
    from_answer.add(
        std::max(0.0, std::chrono::duration<double, std::micro>(at - t.answered).count()));
  };
  std::vector<epoll_event> events(256);
  char buf[65536];
  // Reads what is ready within `ms`; scans complete SSE messages for assigned events.
  auto pump = [&](int ms) {
    const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), ms);
    const auto now = Clock::now();
    for (int k = 0; k < n; ++k) {
      Stream& s = streams[events[static_cast<std::size_t>(k)].data.u32];
      const ssize_t got = ::recv(s.fd, buf, sizeof buf, 0);
      if (got <= 0) {
        ::epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
        continue;
      }
      s.buf.append(buf, static_cast<std::size_t>(got));
      if (!s.open) {
        const auto end = s.buf.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (s.buf.compare(9, 3, "200") != 0) {
          ++refused;
          std::cerr << "stream refused: " << s.buf.substr(0, 200) << "\n";
          ::epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
          continue;
        }
        s.open = true;
        s.buf.erase(0, end + 4);
      }
      // Chunk framing is left in: only whole "data: {...}" lines are looked at.
      std::size_t at;
      while ((at = s.buf.find("\n\n")) != std::string::npos) {
        const std::string msg = s.buf.substr(0, at);
        s.buf.erase(0, at + 2);
        if (msg.find("event: ") != std::string::npos) ++received;
        if (msg.find("event: assigned") == std::string::npos) continue;
        const auto id_at = msg.find("\"opportunityId\":\"");
        if (id_at == std::string::npos) continue;
        const std::string id = msg.substr(id_at + 17, 24);
        std::lock_guard lock(mu);
        if (const auto it = sent.find(id); it != sent.end()) {
          count(it->second, now);
        } else {
          arrived[id].push_back(now);
        }
      }
    }
  };
  auto all_open = [&] {
    int open = 0;
    for (const auto& s : streams) open += s.open ? 1 : 0;
    return open;
  };
  while (all_open() + refused < o.streams && leadproc::bench::seconds_since(opening) < 60)
    pump(100);
  const int open = all_open();
  // Let the server settle (its allocator, the first chunks) before measuring.
  for (int i = 0; i < 10; ++i) pump(100);
  const double rss_after = rss_mib();
  std::printf("streams: %d open, %ld refused, in %.2f s\n", open, refused,
              leadproc::bench::seconds_since(opening));
  if (o.pid > 0)
    std::printf("server RSS: %.1f MiB before, %.1f MiB with the streams: %.1f KiB per stream\n",
                rss_before, rss_after, open > 0 ? (rss_after - rss_before) * 1024 / open : 0.0);

  if (o.leads > 0) {
    std::atomic<bool> posting{true};
    std::thread poster([&] {
      int lead_fd = -1;
      long long number = 9000000000LL + (static_cast<long long>(::getpid()) % 1000) * 100000LL;
      for (int i = 0; i < o.leads; ++i) {
        std::string body = o.lead;
        const auto at = body.find("NUMBER");
        if (at != std::string::npos) body.replace(at, 6, std::to_string(number++));
        const auto t0 = Clock::now();
        const std::string id = post_lead(lead_fd, o.port, o.key, body);
        const auto t1 = Clock::now();
        if (!id.empty()) {
          std::lock_guard lock(mu);
          const Sent t{t0, t1};
          sent[id] = t;
          if (auto it = arrived.find(id); it != arrived.end()) {
            for (const auto when : it->second) count(t, when);
            arrived.erase(it);
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(o.interval_ms));
      }
      posting = false;
    });
    while (posting) pump(5);
    poster.join();
    for (int i = 0; i < 20; ++i) pump(50);
    std::printf("leads: %d; assigned events delivered: %ld (%ld before the 201 was read)\n",
                o.leads, delivered, early);
    std::printf("delivery from the lead's send (upper bound): %s\n",
                leadproc::bench::latency_summary(from_send, false).c_str());
    std::printf("delivery after the 201 (lower bound):        %s\n",
                leadproc::bench::latency_summary(from_answer, false).c_str());
    std::printf(
        "RESULT streams=%d kib_per_stream=%.1f delivered=%ld p50_ms=%.2f p99_ms=%.2f "
        "p50_after_201_ms=%.2f p99_after_201_ms=%.2f\n",
        open, open > 0 ? (rss_after - rss_before) * 1024 / open : 0.0, delivered,
        from_send.percentile(50) / 1000, from_send.percentile(99) / 1000,
        from_answer.percentile(50) / 1000, from_answer.percentile(99) / 1000);
  }
  if (o.hold > 0) {
    const auto start = Clock::now();
    while (leadproc::bench::seconds_since(start) < o.hold) pump(100);
    std::printf(
        "held %.0f s: %d streams still open, %ld events received in all, server RSS %.1f MiB\n",
        o.hold, all_open(), received, rss_mib());
  }
  return 0;
}
