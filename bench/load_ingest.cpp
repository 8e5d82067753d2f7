// leadproc-load: an HTTP/1.1 load generator for leadproc (docs/benchmarks.md).
//
// Keep-alive connections over plain POSIX sockets and epoll, one event loop per thread. Two
// shapes of load:
// - closed loop (default): every connection sends its next request as soon as the previous
//   answer arrived, so the server sets the pace (throughput at saturation);
// - open loop (--rate R): requests are due at a fixed total rate whatever the server does, as
//   independent lead sources would send them; latency is measured from when a request was due
//   (no coordinated omission), and a request waits in the client while every connection is busy.
// Modes: `lead` POSTs unique valid leads (Indian mobile numbers counting up from a random
// start); `echo` POSTs the same lead bodies to the benchmark-only POST /api/v1/_bench/echo
// (server setting LEADPROC_BENCH_ENDPOINTS=1), which answers a same-size 201 and writes nothing:
// the HTTP-limit measurement; `get` GETs a fixed path, optionally padded with an X-Pad header to
// the size of a lead request; `meta` POSTs Meta Lead Ads webhook notifications (one leadgen
// change each, a new 17-digit leadgen_id per request, signed with --meta-app-secret as Meta signs:
// X-Hub-Signature-256 over the raw body) to /api/v1/intake/meta, the acknowledgement's latency
// (issue 19: p99 < 20 ms at 500/s; the fetch is asynchronous). It prints requests/s, latency percentiles, the count of every
// status code and, with --pid, the server's resident memory sampled every 100 ms and the CPU it
// used while measured (cores, and microseconds per answered request), beside the generator's own.
//
//   leadproc-load --url http://127.0.0.1:8080 --connections 16 --duration 20
//   leadproc-load --url ... --mode echo -H "X-Api-Key: $KEY"
//   leadproc-load --url ... --mode get --path /healthz --pad 400
//   leadproc-load --url ... --mode meta --meta-app-secret S --meta-page-id 1234 --rate 500
//   leadproc-load --url ... --rate 8000 --connections 1200 --pid $(pidof leadproc)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "bench_common.h"

using leadproc::bench::Clock;
using leadproc::bench::Latencies;

namespace {

struct Options {
  std::string url = "http://127.0.0.1:8080";
  std::string mode = "lead";
  std::string path;
  int connections = 16;
  int threads = 1;
  double duration = 10;
  double warmup = 1;
  long requests = 0;
  double rate = 0;
  int pad = 0;
  std::vector<std::string> headers;
  std::vector<std::string> config_headers;
  std::vector<std::string> destinations;
  std::vector<std::string> pages;
  std::string platforms = "website,paid_ads,instagram,whatsapp_bot,dc";
  long long number_start = 0;
  long pid = 0;
  int timeout_ms = 30000;
  std::string label;
  std::string meta_app_secret;
  std::string meta_page_id = "102030405060708";
};

// ---------------------------------------------------------------------------------------------
// Requests

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Lower-case hex HMAC-SHA256 of `data` under `key`: Meta's X-Hub-Signature-256 after "sha256=".
std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(digits[mac[i] >> 4]);
    out.push_back(digits[mac[i] & 15]);
  }
  return out;
}

class RequestFactory {
 public:
  RequestFactory(const Options& o, std::string host) : o_(o), host_(std::move(host)) {
    platforms_ = split(o.platforms, ',');
    std::string extra;
    for (const auto& h : o.headers) extra += h + "\r\n";
    extra_ = extra;
  }

  // The next request's bytes; `n` is the request's global sequence number.
  std::string make(long long n, std::mt19937_64& rng) const {
    if (o_.mode == "get") {
      std::string req = "GET " + o_.path + " HTTP/1.1\r\nHost: " + host_ + "\r\n" + extra_;
      if (o_.pad > 0) {
        const int have = static_cast<int>(req.size()) + 2 + 9;  // "X-Pad: " + CRLF, final CRLF
        if (o_.pad > have) req += "X-Pad: " + std::string(o_.pad - have, 'x') + "\r\n";
      }
      return req + "\r\n";
    }
    if (o_.mode == "meta") {
      // Ids as JSON numbers of 17 digits, as Meta sends them; one leadgen change per POST.
      const std::string leadgen_id = std::to_string(10000000000000000LL + o_.number_start + n);
      const std::string body =
          R"({"object":"page","entry":[{"id":")" + o_.meta_page_id +
          R"(","time":1765011600,"changes":[{"field":"leadgen","value":{"ad_id":120210000000000001,)"
          R"("form_id":998877665544332,"leadgen_id":)" +
          leadgen_id + R"(,"created_time":1765011600,"page_id":)" + o_.meta_page_id +
          R"(,"adgroup_id":120210000000000002}}]}]})";
      return "POST " + o_.path + " HTTP/1.1\r\nHost: " + host_ +
             "\r\nContent-Type: application/json\r\nX-Hub-Signature-256: sha256=" +
             hmac_sha256_hex(o_.meta_app_secret, body) +
             "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_ + "\r\n" +
             body;
    }
    const long long number = o_.number_start + n;
    const std::string& platform = platforms_[rng() % platforms_.size()];
    std::string body = "{\"name\":\"Load Lead " + std::to_string(n) + "\",\"number\":\"" +
                       std::to_string(number) + "\",\"email\":\"lead" + std::to_string(n) +
                       "@example.com\",\"pax\":" + std::to_string(1 + rng() % 5) +
                       ",\"leadSource\":{\"platform\":\"" + platform +
                       "\",\"primarySource\":\"bench\"}";
    // Destinations by name (some leads name none and are resolved from the page or stay
    // unknown), a page for a third of them, and the usual campaign fields.
    if (!o_.destinations.empty() && rng() % 10 < 8)
      body += ",\"destination\":\"" + json_escape(o_.destinations[rng() % o_.destinations.size()]) +
              "\"";
    if (!o_.pages.empty() && rng() % 3 == 0)
      body += ",\"page\":\"" + json_escape(o_.pages[rng() % o_.pages.size()]) + "\"";
    body +=
        ",\"utmSource\":\"google\",\"utmMedium\":\"cpc\",\"utmCampaign\":\"load-test\","
        "\"remarks\":\"Looking for a family trip in December\"}";
    return "POST " + o_.path + " HTTP/1.1\r\nHost: " + host_ +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + extra_ + "\r\n" + body;
  }

 private:
  const Options& o_;
  std::string host_;
  std::string extra_;
  std::vector<std::string> platforms_;
};

// ---------------------------------------------------------------------------------------------
// Blocking one-shot GET (start-up look-ups)

struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

Address resolve(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res)
    throw std::runtime_error("cannot resolve " + host + ":" + port);
  Address a;
  std::memcpy(&a.addr, res->ai_addr, res->ai_addrlen);
  a.len = res->ai_addrlen;
  freeaddrinfo(res);
  return a;
}

// GET path; returns the body ("" on any failure).
std::string simple_get(const Address& a, const std::string& host, const std::string& path,
                       const std::vector<std::string>& headers) {
  int fd = socket(a.addr.ss_family, SOCK_STREAM, 0);
  if (fd < 0) return "";
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.len) != 0) {
    close(fd);
    return "";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n";
  for (const auto& h : headers) req += h + "\r\n";
  req += "\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return "";
  }
  std::string resp;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  const auto end = resp.find("\r\n\r\n");
  if (resp.rfind("HTTP/1.1 200", 0) != 0 || end == std::string::npos) return "";
  return resp.substr(end + 4);
}

// Every value of "key":"value" in a JSON text (good enough for the server's own lists).
std::vector<std::string> string_fields(const std::string& json, const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + key + "\":\"";
  for (auto pos = json.find(needle); pos != std::string::npos; pos = json.find(needle, pos)) {
    pos += needle.size();
    const auto end = json.find('"', pos);
    if (end == std::string::npos) break;
    out.push_back(json.substr(pos, end - pos));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The event loop

struct Stats {
  Latencies latency;           // from when the request was due (open loop) or sent (closed)
  Latencies service;           // from when it was written to the socket
  std::map<int, long> status;  // per HTTP status, after the warm-up
  long completed = 0;          // answered after the warm-up
  long errors = 0;             // connection failures / resets with a request in flight
  long timeouts = 0;
  long duplicates = 0;  // 201 answers with "duplicate":true
  long long request_bytes = 0;
  long long response_bytes = 0;
  std::size_t max_backlog = 0;  // open loop: requests due but waiting for a free connection
};

struct Conn {
  int fd = -1;
  bool busy = false;
  bool connecting = false;
  std::string out;
  std::size_t out_off = 0;
  std::string in;
  Clock::time_point due;
  Clock::time_point sent;
  long long seq = 0;
};

class Worker {
 public:
  Worker(const Options& o, const Address& addr, const RequestFactory& f, int connections,
         double rate, std::atomic<long long>& next_seq, std::atomic<long>& remaining,
         Clock::time_point start, Clock::time_point measure_from, Clock::time_point stop)
      : o_(o),
        addr_(addr),
        factory_(f),
        conns_(static_cast<std::size_t>(connections)),
        rate_(rate),
        next_seq_(next_seq),
        remaining_(remaining),
        start_(start),
        measure_from_(measure_from),
        stop_(stop),
        rng_(std::random_device{}()) {}

  void run() {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    for (std::size_t i = 0; i < conns_.size(); ++i) open_conn(i);
    std::vector<epoll_event> events(conns_.size() + 1);
    long long scheduled = 0;  // open loop: requests made due so far
    for (;;) {
      const auto now = Clock::now();
      if (now >= stop_) break;
      if (o_.requests > 0 && remaining_.load() <= 0 && in_flight_ == 0 && backlog_.empty()) break;
      if (rate_ > 0) {
        // Every request due by now joins the backlog with its due time.
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        const auto due_count = static_cast<long long>(elapsed * rate_);
        for (; scheduled < due_count; ++scheduled) {
          if (!take_ticket()) break;
          backlog_.push_back(start_ + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(scheduled / rate_)));
        }
        stats_.max_backlog = std::max(stats_.max_backlog, backlog_.size());
        std::size_t i;
        while (!backlog_.empty() && pop_idle(i)) {
          send(i, backlog_.front());
          backlog_.pop_front();
        }
      } else {
        std::size_t i;
        while (pop_idle(i)) {
          if (!take_ticket()) {
            idle_.push_back(i);
            break;
          }
          send(i, Clock::now());
        }
      }
      check_timeouts(now);
      const int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 1);
      for (int k = 0; k < n; ++k) handle(static_cast<std::size_t>(events[k].data.u64), events[k]);
      while (!closed_.empty() && Clock::now() < stop_) {
        const std::size_t i = closed_.back();
        closed_.pop_back();
        if (conns_[i].fd < 0) open_conn(i);
      }
    }
    for (auto& c : conns_)
      if (c.fd >= 0) close(c.fd);
    close(ep_);
    // Requests still in flight or waiting at the end are neither answered nor errors.
    unanswered_ = in_flight_ + static_cast<long>(backlog_.size());
  }

  Stats& stats() { return stats_; }
  long unanswered() const { return unanswered_; }

 private:
  // An open, connected connection with nothing in flight, if any.
  bool pop_idle(std::size_t& i) {
    while (!idle_.empty()) {
      i = idle_.back();
      idle_.pop_back();
      const Conn& c = conns_[i];
      if (c.fd >= 0 && !c.busy && !c.connecting) return true;
    }
    return false;
  }

  bool take_ticket() {
    if (o_.requests <= 0) return true;
    return remaining_.fetch_sub(1) > 0;
  }

  void open_conn(std::size_t i) {
    Conn& c = conns_[i];
    c = Conn{};
    c.fd = socket(addr_.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      ++stats_.errors;
      closed_.push_back(i);
      return;
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int r = connect(c.fd, reinterpret_cast<const sockaddr*>(&addr_.addr), addr_.len);
    if (r != 0 && errno != EINPROGRESS) {
      close(c.fd);
      c.fd = -1;
      ++stats_.errors;
      closed_.push_back(i);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    c.connecting = r != 0;
    if (!c.connecting) idle_.push_back(i);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
    ev.data.u64 = i;
    epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  void fail(std::size_t i, bool timed_out) {
    Conn& c = conns_[i];
    if (c.busy) {
      --in_flight_;
      if (c.due >= measure_from_) (timed_out ? stats_.timeouts : stats_.errors)++;
    }
    epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
    c.busy = false;
    closed_.push_back(i);
  }

  void send(std::size_t i, Clock::time_point due) {
    Conn& c = conns_[i];
    c.seq = next_seq_.fetch_add(1);
    c.out = factory_.make(c.seq, rng_);
    c.out_off = 0;
    c.in.clear();
    c.busy = true;
    c.due = due;
    c.sent = Clock::now();
    ++in_flight_;
    flush(i);
  }

  void flush(std::size_t i) {
    Conn& c = conns_[i];
    while (c.out_off < c.out.size()) {
      const ssize_t n =
          ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
      } else {
        fail(i, false);
        return;
      }
    }
  }

  void handle(std::size_t i, const epoll_event& ev) {
    Conn& c = conns_[i];
    if (c.fd < 0) return;
    if (c.connecting) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        fail(i, false);
        ++stats_.errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no busy reconnect loop
        return;
      }
      c.connecting = false;
      if (!c.busy) idle_.push_back(i);
    }
    if ((ev.events & EPOLLOUT) && c.busy && c.out_off < c.out.size()) flush(i);
    if (c.fd < 0) return;
    if (ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      char buf[65536];
      for (;;) {
        const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
          c.in.append(buf, static_cast<std::size_t>(n));
          continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        // Closed by the server (after Connection: close, or a crash) or an error.
        if (c.busy && parse(i)) {
          if (c.fd >= 0) fail(i, false);
        } else {
          fail(i, false);
        }
        return;
      }
      while (c.fd >= 0 && c.busy && parse(i)) {
      }
    }
  }

  // Consumes one complete response from c.in, if there is one; true if it did.
  bool parse(std::size_t i) {
    Conn& c = conns_[i];
    const auto header_end = c.in.find("\r\n\r\n");
    if (header_end == std::string::npos) return false;
    std::size_t content_length = 0;
    bool close_after = false;
    {
      std::string head = c.in.substr(0, header_end);
      for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (auto p = head.find("\r\ncontent-length:"); p != std::string::npos)
        content_length = std::stoul(head.substr(p + 17));
      if (head.find("\r\nconnection: close") != std::string::npos) close_after = true;
    }
    const std::size_t total = header_end + 4 + content_length;
    if (c.in.size() < total) return false;
    const int status = c.in.size() > 12 ? std::atoi(c.in.c_str() + 9) : 0;
    const auto now = Clock::now();
    if (c.due >= measure_from_ && now <= stop_) {
      stats_.latency.add(std::chrono::duration<double, std::micro>(now - c.due).count());
      stats_.service.add(std::chrono::duration<double, std::micro>(now - c.sent).count());
      stats_.status[status]++;
      stats_.completed++;
      stats_.request_bytes += static_cast<long long>(c.out.size());
      stats_.response_bytes += static_cast<long long>(total);
      if (status == 201 && c.in.find("\"duplicate\":true", header_end) != std::string::npos)
        stats_.duplicates++;
    }
    c.in.erase(0, total);
    c.busy = false;
    --in_flight_;
    if (close_after) {
      epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
      c.fd = -1;
      closed_.push_back(i);
    } else {
      idle_.push_back(i);
    }
    return true;
  }

  void check_timeouts(Clock::time_point now) {
    if (++timeout_tick_ % 64 != 0) return;
    for (std::size_t i = 0; i < conns_.size(); ++i)
      if (conns_[i].fd >= 0 && conns_[i].busy &&
          now - conns_[i].sent > std::chrono::milliseconds(o_.timeout_ms))
        fail(i, true);
  }

  const Options& o_;
  const Address& addr_;
  const RequestFactory& factory_;
  std::vector<Conn> conns_;
  double rate_;
  std::atomic<long long>& next_seq_;
  std::atomic<long>& remaining_;
  Clock::time_point start_, measure_from_, stop_;
  std::mt19937_64 rng_;
  int ep_ = -1;
  long in_flight_ = 0;
  long unanswered_ = 0;
  unsigned timeout_tick_ = 0;
  std::deque<Clock::time_point> backlog_;
  std::vector<std::size_t> idle_;    // may hold stale entries; pop_idle() checks
  std::vector<std::size_t> closed_;  // to reconnect
  Stats stats_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"leadproc-load: HTTP load generator for leadproc"};
  app.add_option("--url", o.url, "base URL, http://host:port");
  app.add_option("--mode", o.mode,
                 "lead (POST unique leads), echo (the same bodies to the benchmark-only echo "
                 "endpoint), get (GET --path) or meta (signed Meta Lead Ads notifications)")
      ->check(CLI::IsMember({"lead", "echo", "get", "meta"}));
  app.add_option("--meta-app-secret", o.meta_app_secret,
                 "meta mode: the server's LEADPROC_META_APP_SECRET, to sign with");
  app.add_option("--meta-page-id", o.meta_page_id, "meta mode: the page id the changes name");
  app.add_option("--path", o.path,
                 "default /api/v1/leads (lead), /api/v1/_bench/echo (echo; ?size=BYTES sets the "
                 "answer's size, default 2250) or /healthz (get)");
  app.add_option("--connections,-c", o.connections, "keep-alive connections")
      ->check(CLI::Range(1, 20000));
  app.add_option("--threads,-t", o.threads, "event-loop threads")->check(CLI::Range(1, 64));
  app.add_option("--duration,-d", o.duration, "seconds of measurement");
  app.add_option("--warmup", o.warmup, "seconds of load before measuring");
  app.add_option("--requests,-n", o.requests, "stop after this many requests (0: no limit)");
  app.add_option("--rate,-r", o.rate, "open loop: total requests per second (0: closed loop)");
  app.add_option("--pad", o.pad, "get mode: pad the request to this many bytes (X-Pad header)");
  app.add_option("--header,-H", o.headers, "extra request header 'Name: value' (repeatable)");
  app.add_option("--destinations", o.destinations, "destination names for leads")->delimiter(',');
  app.add_option("--pages", o.pages, "page URLs for leads")->delimiter(',');
  bool from_server = false;
  app.add_option("--config-header", o.config_headers,
                 "header for the --config-from-server look-ups, e.g. 'Authorization: Bearer T'");
  app.add_flag("--config-from-server", from_server,
               "take destination names and page URLs from GET /api/v1/destinations and "
               "/api/v1/weburls");
  app.add_option("--platforms", o.platforms, "comma-separated leadSource.platform values");
  app.add_option("--number-start", o.number_start,
                 "first mobile number (default: random in 9100000000..9699999999)");
  app.add_option("--pid", o.pid, "sample this process's resident memory");
  app.add_option("--timeout-ms", o.timeout_ms, "per-request timeout");
  app.add_option("--label", o.label, "a name for the RESULT line");
  CLI11_PARSE(app, argc, argv);
  if (o.path.empty())
    o.path = o.mode == "lead"   ? "/api/v1/leads"
             : o.mode == "echo" ? "/api/v1/_bench/echo"
             : o.mode == "meta" ? "/api/v1/intake/meta"
                                : "/healthz";
  if (o.number_start == 0) {
    std::random_device rd;
    o.number_start =
        9100000000LL + static_cast<long long>(((std::uint64_t{rd()} << 32) ^ rd()) % 500000000ULL);
  }
  if (o.threads > o.connections) o.threads = o.connections;

  std::string rest = o.url;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  const auto colon = rest.rfind(':');
  const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  Address addr;
  try {
    addr = resolve(host, port);
  } catch (const std::exception& e) {
    std::cerr << "leadproc-load: " << e.what() << "\n";
    return 2;
  }
  if (from_server) {
    auto names =
        string_fields(simple_get(addr, rest, "/api/v1/destinations", o.config_headers), "name");
    if (names.empty())
      std::cerr << "leadproc-load: no destinations from the server (auth header missing?)\n";
    o.destinations.insert(o.destinations.end(), names.begin(), names.end());
    for (const char* q :
         {"/api/v1/weburls?consumed=true&limit=200", "/api/v1/weburls?consumed=false&limit=200"}) {
      auto urls = string_fields(simple_get(addr, rest, q, o.config_headers), "url");
      o.pages.insert(o.pages.end(), urls.begin(), urls.end());
    }
    std::cerr << "leadproc-load: " << o.destinations.size() << " destinations, " << o.pages.size()
              << " page URLs from the server\n";
  }

  RequestFactory factory(o, rest);
  const auto start = Clock::now();
  const auto measure_from =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  const auto stop = measure_from + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(o.duration));
  std::atomic<long long> next_seq{0};
  std::atomic<long> remaining{o.requests};

  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < o.threads; ++t) {
    const int conns = o.connections / o.threads + (t < o.connections % o.threads ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(o, addr, factory, conns, o.rate / o.threads,
                                               next_seq, remaining, start, measure_from, stop));
  }

  // Memory sampler.
  std::atomic<bool> done{false};
  long rss_start = 0, rss_peak = 0, rss_end = 0, hwm = 0;
  std::vector<long> rss_timeline;  // MiB, every second
  std::thread sampler;
  if (o.pid > 0) {
    if (auto r = leadproc::bench::read_rss(o.pid)) rss_start = r->rss_kib;
    sampler = std::thread([&] {
      int tick = 0;
      while (!done.load()) {
        if (auto r = leadproc::bench::read_rss(o.pid)) {
          rss_peak = std::max(rss_peak, r->rss_kib);
          rss_end = r->rss_kib;
          hwm = r->hwm_kib;
          if (tick++ % 10 == 0) rss_timeline.push_back(r->rss_kib / 1024);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }

  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
  // CPU over the measured window (after the warm-up), for the server and for this generator.
  const std::string server_pid = o.pid > 0 ? std::to_string(o.pid) : std::string();
  std::this_thread::sleep_until(measure_from);
  const auto cpu_from = Clock::now();
  const std::optional<double> server_cpu0 =
      server_pid.empty() ? std::nullopt : leadproc::bench::read_cpu_seconds(server_pid);
  const std::optional<double> own_cpu0 = leadproc::bench::read_cpu_seconds("self");
  for (auto& t : threads) t.join();
  const std::optional<double> server_cpu1 =
      server_pid.empty() ? std::nullopt : leadproc::bench::read_cpu_seconds(server_pid);
  const std::optional<double> own_cpu1 = leadproc::bench::read_cpu_seconds("self");
  const double cpu_wall = leadproc::bench::seconds_since(cpu_from);
  const double elapsed = std::min(leadproc::bench::seconds_since(measure_from), o.duration);
  done = true;
  if (sampler.joinable()) sampler.join();

  Stats total;
  long unanswered = 0;
  for (auto& w : workers) {
    auto& s = w->stats();
    total.latency.merge(s.latency);
    total.service.merge(s.service);
    for (auto [code, n] : s.status) total.status[code] += n;
    total.completed += s.completed;
    total.errors += s.errors;
    total.timeouts += s.timeouts;
    total.duplicates += s.duplicates;
    total.request_bytes += s.request_bytes;
    total.response_bytes += s.response_bytes;
    total.max_backlog += s.max_backlog;
    unanswered += w->unanswered();
  }
  long ok = 0;
  for (auto [code, n] : total.status)
    if (code >= 200 && code < 300) ok += n;

  std::printf("leadproc-load: %s %s, %d connections, %s, %.1f s measured after %.1f s warm-up\n",
              o.mode == "get" ? "GET" : "POST", o.path.c_str(), o.connections,
              o.rate > 0
                  ? ("open loop at " + std::to_string(static_cast<long>(o.rate)) + "/s").c_str()
                  : "closed loop",
              elapsed, o.warmup);
  std::printf("  answered %ld (%.1f/s), 2xx %ld (%.1f/s)\n", total.completed,
              static_cast<double>(total.completed) / elapsed, ok,
              static_cast<double>(ok) / elapsed);
  for (auto [code, n] : total.status) std::printf("  status %d: %ld\n", code, n);
  if (total.duplicates) std::printf("  201 with duplicate=true: %ld\n", total.duplicates);
  std::printf("  transport errors %ld, timeouts %ld, unanswered at the end %ld\n", total.errors,
              total.timeouts, unanswered);
  std::printf("  latency %s\n", leadproc::bench::latency_summary(total.latency).c_str());
  if (o.rate > 0) {
    std::printf("  service time (from send) %s\n",
                leadproc::bench::latency_summary(total.service).c_str());
    std::printf("  client backlog max %zu\n", total.max_backlog);
  }
  if (total.completed)
    std::printf("  bytes per request %lld, per response %lld\n",
                total.request_bytes / total.completed, total.response_bytes / total.completed);
  if (o.pid > 0) {
    std::printf("  server RSS: start %ld MiB, peak %ld MiB, end %ld MiB, VmHWM %ld MiB\n",
                rss_start / 1024, rss_peak / 1024, rss_end / 1024, hwm / 1024);
    std::printf("  RSS each second (MiB):");
    for (long m : rss_timeline) std::printf(" %ld", m);
    std::printf("\n");
  }
  // The window of the CPU readings runs until every connection has finished, a little past the
  // measured duration; the requests answered in it are about those counted.
  const double answered_in_cpu_window =
      static_cast<double>(total.completed) * cpu_wall / std::max(elapsed, 1e-9);
  leadproc::bench::CpuUse server_cpu, own_cpu;
  if (server_cpu0 && server_cpu1) {
    server_cpu =
        leadproc::bench::cpu_use(*server_cpu1 - *server_cpu0, cpu_wall, answered_in_cpu_window);
    std::printf("  server CPU: %.2f cores, %.0f us per answered request\n", server_cpu.cores,
                server_cpu.micros_per_unit);
  }
  if (own_cpu0 && own_cpu1) {
    own_cpu = leadproc::bench::cpu_use(*own_cpu1 - *own_cpu0, cpu_wall, answered_in_cpu_window);
    std::printf("  load generator CPU: %.2f cores, %.0f us per answered request\n", own_cpu.cores,
                own_cpu.micros_per_unit);
  }
  std::printf(
      "RESULT label=%s mode=%s rate_target=%.0f answered_per_s=%.1f ok_per_s=%.1f p50_ms=%.3f "
      "p99_ms=%.3f p999_ms=%.3f max_ms=%.3f s503=%ld errors=%ld timeouts=%ld peak_rss_mib=%ld "
      "server_cores=%.3f server_us_per_request=%.1f client_cores=%.3f client_us_per_request=%.1f\n",
      o.label.empty() ? "-" : o.label.c_str(), o.mode.c_str(), o.rate,
      static_cast<double>(total.completed) / elapsed, static_cast<double>(ok) / elapsed,
      total.latency.percentile(50) / 1000, total.latency.percentile(99) / 1000,
      total.latency.percentile(99.9) / 1000, total.latency.max() / 1000,
      total.status.count(503) ? total.status[503] : 0L, total.errors, total.timeouts,
      rss_peak / 1024, server_cpu.cores, server_cpu.micros_per_unit, own_cpu.cores,
      own_cpu.micros_per_unit);
  return 0;
}
