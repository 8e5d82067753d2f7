// The Beast server behind server.h. Layout of this file, top to bottom:
//   helpers (listen address, trace ids, header checks, Beast response building),
//   Server::Impl (construction and run/stop), the accept loop, and the per-connection session.
//
// Threading: the acceptor, signal set and memory-release timer live on one strand (`control_`);
// each connection lives on its own strand, and its coroutine is the only code touching its
// socket, except stop() and an eviction, which post to that strand. Handlers run on `workers_`,
// a separate thread pool, or `hashers_` (Execution::kHashPool), except those of
// Execution::kIoThread routes, which run inline in the session.
#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include "http/limits.h"
#include "http/log.h"
#include "http/memory_release.h"

namespace leadproc::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

// Completion token: results as a tuple (error_code first) instead of exceptions.
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// An idle connection waits for one byte, so that it holds no read buffer until a request
// arrives (the header is read next, into a buffer grown to fit it): 1,000 idle or refused
// connections then cost a few MiB rather than 4 KiB each more, which the allocator keeps after
// they close.
constexpr std::size_t kIdleRead = 1;
// Bounds of Impl::linger (reading and dropping unread request bytes after an error response).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 4 << 20;
constexpr std::string_view kUnmatched = "unmatched";

// Parses "host:port" / "[v6]:port" and resolves it. Throws std::runtime_error on failure.
tcp::endpoint resolve_listen(asio::io_context& ioc, const std::string& listen) {
  std::string host;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      throw std::runtime_error("invalid listen address: " + listen);
    }
    host = listen.substr(1, close - 1);
    port_text = std::string_view(listen).substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos)
      throw std::runtime_error("listen address lacks a port: " + listen);
    host = listen.substr(0, colon);
    port_text = std::string_view(listen).substr(colon + 1);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    throw std::runtime_error("invalid listen address: " + listen);
  }
  ErrorCode addr_ec;
  const auto address = asio::ip::make_address(host, addr_ec);
  if (!addr_ec) return {address, static_cast<std::uint16_t>(port)};

  tcp::resolver resolver(ioc);
  ErrorCode res_ec;
  const auto results =
      resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service, res_ec);
  if (res_ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen host " + host + ": " + res_ec.message());
  }
  return results.begin()->endpoint();
}

// Writes "<port>\n" to `path` atomically (tmp file + rename). Throws std::runtime_error.
void write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write port file " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
}

bool is_trace_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A random 16-hex-digit id.
std::string new_trace_id() {
  thread_local std::mt19937_64 rng{(std::uint64_t{std::random_device{}()} << 32) ^
                                   std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[v & 0xf];
    v >>= 4;
  }
  return id;
}

// The client's X-Request-Id if it is 1..64 chars of [A-Za-z0-9-_.], else the trace-id of a W3C
// traceparent header if well formed, else a new random id.
std::string trace_id_for(const bhttp::request<bhttp::string_body>& msg) {
  const auto rid = msg["x-request-id"];
  if (!rid.empty() && rid.size() <= 64 && std::all_of(rid.begin(), rid.end(), is_trace_char)) {
    return std::string(rid);
  }
  // traceparent: version "-" 32 hex trace-id "-" 16 hex parent-id "-" 2 hex flags.
  const auto tp = msg["traceparent"];
  if (tp.size() >= 55 && tp[2] == '-' && tp[35] == '-') {
    const std::string_view trace(tp.data() + 3, 32);
    if (is_lower_hex(trace) && trace.find_first_not_of('0') != std::string_view::npos) {
      return std::string(trace);
    }
  }
  return new_trace_id();
}

// The method as a metrics label; unknown methods collapse to "OTHER" to bound cardinality.
std::string method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",    "POST",  "PUT",    "DELETE",
                                                "PATCH", "OPTIONS", "TRACE", "CONNECT"};
  for (std::string_view m : kKnown) {
    if (m == method) return std::string(m);
  }
  return "OTHER";
}

// True iff `s` can go on the wire as a header value (no CR, LF or NUL).
bool safe_header_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// True iff `s` is a header field name (an RFC 9110 token).
bool safe_header_name(std::string_view s) {
  static constexpr std::string_view kTokenPunct = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kTokenPunct.find(c) != std::string_view::npos;
  });
}

// Turns a handler's Response into a Beast message with the security headers, X-Request-Id and
// Content-Length. Invalid statuses or headers are logged and replaced by a 500 / dropped.
bhttp::response<bhttp::string_body> to_beast(Response res, const std::string& method,
                                             unsigned version, bool keep_alive,
                                             const std::string& trace_id) {
  if (res.status < 200 || res.status > 599) {
    log_error("handler returned an invalid status",
              {{"trace_id", trace_id}, {"status", std::int64_t{res.status}}});
    res =
        problem_response(500, "Internal Server Error", "The server produced an invalid response.");
  }
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers) {
    if (!safe_header_name(name) || !safe_header_value(value)) {
      log_error("dropped an invalid response header", {{"trace_id", trace_id}, {"header", name}});
      continue;
    }
    out.insert(name, value);
  }
  const bool bodiless = res.status == 204 || res.status == 304;
  if (!bodiless && !res.content_type.empty() && safe_header_value(res.content_type) &&
      out.find(bhttp::field::content_type) == out.end()) {
    out.set(bhttp::field::content_type, res.content_type);
  }
  // Handlers may override these (the lookup ignores case).
  const auto set_default = [&out](std::string_view name, std::string_view value) {
    if (out.find(name) == out.end()) out.set(name, value);
  };
  set_default("X-Content-Type-Options", "nosniff");
  set_default("X-Frame-Options", "DENY");
  set_default("Referrer-Policy", "no-referrer");
  set_default("Cache-Control", "no-store");
  out.set("X-Request-Id", trace_id);
  if (!bodiless) out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  // 204 and 304 have no body and no Content-Length (RFC 9110 8.6): prepare_payload would add
  // "Content-Length: 0", which on a 304 claims the file is empty.
  if (!bodiless) out.prepare_payload();
  // A response to HEAD announces the length but carries no body.
  if (method == "HEAD") out.body().clear();
  return out;
}

// The problem response for a request that could not be read, or nullopt when there is nobody to
// answer (peer closed, timeout, cancelled by stop()).
std::optional<Response> read_error_response(const ErrorCode& ec, std::size_t body_limit) {
  if (ec == bhttp::error::body_limit) {
    return problem_response(413, "Payload Too Large",
                            "The request body exceeds " + std::to_string(body_limit) + " bytes.");
  }
  if (ec == bhttp::error::header_limit) {
    return problem_response(431, "Request Header Fields Too Large",
                            "The request header exceeds the server's limit.");
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
    return problem_response(400, "Bad Request", "The request is not valid HTTP/1.1.");
  }
  return std::nullopt;
}

// One client connection. Only its session coroutine touches it, plus the cancels that stop() and
// an eviction post to the same strand.
struct Connection {
  Connection(tcp::socket&& socket, std::uint64_t id) : stream(std::move(socket)), id(id) {}
  beast::tcp_stream stream;  // its executor is this connection's strand
  const std::uint64_t id;    // its key in Impl::conns_ and the ConnectionTable
  bool idle = true;          // waiting for a request's first byte; read/written on the strand
  bool evicted = false;      // closed to make room (Impl::evict); read/written on the strand
};

// What answering one request came to.
struct Answer {
  std::optional<Response> response;  // nullopt: nobody to answer (peer gone, timeout): close
  bool body_unread = false;          // answered before the body was read: close after it
};

// What a live response (Response::live) waits on: a timer that a wake cancels. Lives on the
// connection's strand; `woken` tells a wake from the heartbeat's expiry, and is also set by a
// wake that came while the stream was writing (when no wait was pending to cancel).
struct LiveWait {
  explicit LiveWait(const asio::any_io_executor& ex) : timer(ex) {}
  asio::steady_timer timer;
  bool woken = false;
  // A client of an event stream sends nothing more: a read that completes means it closed the
  // connection (or misbehaves), and the stream ends at once rather than at the next heartbeat.
  bool peer_gone = false;
  std::array<char, 1> byte{};
};

// The 503 a connection refused by a limit gets, written without waiting (best effort).
constexpr std::string_view kRefusedResponse =
    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
    "Connection: close\r\n\r\n";

// A body up to this size with credentials present is read before they are looked up
// (Impl::answer); the body budget bounds all bodies held at once either way.
constexpr std::size_t kReadBeforeAuth = 16 << 10;

// Freed memory is given back to the system (memory_release.h) when at least this much was freed
// since the last time (request bodies, plus kConnectionFootprint per closed connection),
// checked every kReleaseCheck.
constexpr std::size_t kReleaseThreshold = 8 << 20;
constexpr std::size_t kConnectionFootprint = 32 << 10;
constexpr auto kReleaseCheck = std::chrono::seconds(1);
// "accept failed" and "connections refused" are logged at most this often (e.g. out of file
// descriptors: every 100 ms), with the count since the last line.
constexpr auto kAcceptErrorLogInterval = std::chrono::seconds(10);

// Where Impl::linger's reads land: the bytes are dropped unread, so every lingering connection
// shares one buffer rather than each holding its own (a flood of refused connections lingers at
// once).
std::array<char, 16384> g_discard;

}  // namespace

class Server::Impl {
 public:
  Impl(ServerConfig config, Router& router, Metrics& metrics);
  int run();
  void stop() {
    asio::post(control_, [this] { begin_stop(); });
  }
  std::uint16_t port() const { return port_; }
  std::size_t queued() const { return workers_.queued.load(); }

 private:
  // A thread pool for handlers with its bounded queue (the workers; the hash pool).
  struct Pool {
    Pool(std::size_t thread_count, std::size_t queue_bound, std::chrono::milliseconds wait_bound,
         std::string_view reason_prefix)
        : threads(thread_count),
          max_queue(queue_bound),
          deadline(wait_bound),
          name(reason_prefix) {}
    asio::thread_pool threads;
    const std::size_t max_queue;
    const std::chrono::milliseconds deadline;
    const std::string_view name;         // "" for the workers, "hash_" for the hash pool
    std::atomic<std::size_t> queued{0};  // requests waiting for or running on it

    bool try_take_slot() {
      if (queued.fetch_add(1) < max_queue) return true;
      queued.fetch_sub(1);
      return false;
    }
  };

  // Frees a pool's queue slot on destruction.
  struct Slot {
    explicit Slot(std::atomic<std::size_t>& n) : n_(n) {}
    ~Slot() { n_.fetch_sub(1); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    std::atomic<std::size_t>& n_;
  };

  // Keeps a connection in conns_ and table_ for the lifetime of its session.
  class Registration {
   public:
    Registration(Impl& impl, std::uint64_t id) : impl_(impl), id_(id) {}
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    Impl& impl_;
    std::uint64_t id_;
  };

  void begin_stop();
  void run_io();
  asio::awaitable<void> accept_loop();
  // Registers a new connection under the connection limits and starts its session, or refuses it.
  void admit(tcp::socket socket);
  // Closes connection `id` if it is still idle (made room for a new one).
  void evict(std::uint64_t id, std::string_view reason);
  // Gives freed memory back to the system after bursts (kReleaseThreshold).
  asio::awaitable<void> release_loop();
  void freed(std::size_t bytes) { freed_.fetch_add(bytes); }  // by connections
  asio::awaitable<void> session(std::shared_ptr<Connection> conn);
  // What a connection does after one request.
  enum class Next { kNextRequest, kClose, kLingerThenClose };
  // Reads one request (whose first bytes are in `buffer`), answers it and logs it. A coroutine
  // of its own so that what a request needs is held only while one is under way, not by every
  // idle connection.
  asio::awaitable<Next> exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 const std::string& remote);
  // Answers one request whose header `parser` has read: routing, the checks on the header, the
  // body (only when they pass), and the handler. `reservation` holds the body's bytes of the
  // budget until the caller has written the answer.
  asio::awaitable<Answer> answer(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 bhttp::request_parser<bhttp::string_body>& parser, Request& req,
                                 std::string& route, BodyReservation& reservation);
  // Work for a pool: a handler (always a response) or the guard (nullopt: authenticated).
  using Task = std::function<std::optional<Response>()>;
  // Runs `task` on `pool` behind its queue: 503 at once when the queue is full, and 503 without
  // running it when it waited past the pool's deadline. A throwing task becomes a 500 (`route`
  // names it in the log). Never throws.
  asio::awaitable<std::optional<Response>> on_pool(Pool& pool, const Task& task, const Request& req,
                                                   const std::string& route);
  // on_pool's part on the pool's thread.
  asio::awaitable<std::optional<Response>> run_queued(Pool& pool, const Task& task,
                                                      const Request& req, const std::string& route,
                                                      Clock::time_point queued_at);
  static std::optional<Response> guarded(const Task& fn, const Request& req,
                                         const std::string& route);
  // 503 + Retry-After: 1, counted in leadproc_http_shed_total{reason}.
  Response shed(std::string_view reason, std::string_view detail);
  // Writes `res`; returns false if the connection is unusable afterwards.
  asio::awaitable<bool> write(beast::tcp_stream& stream, bhttp::response<bhttp::string_body>& res);
  // Writes `res`'s header (not its body) with chunked transfer encoding; one chunk. False when the
  // peer is gone.
  asio::awaitable<bool> write_chunked_head(beast::tcp_stream& stream,
                                           bhttp::response<bhttp::string_body>& res);
  asio::awaitable<bool> write_chunk(beast::tcp_stream& stream, const std::string& part);
  // Writes `res`'s header with chunked transfer encoding, then every part `next` answers (run on
  // the workers) as a chunk (Response::next_chunk). False when the peer is gone or `next` threw.
  asio::awaitable<bool> write_streamed(beast::tcp_stream& stream,
                                       bhttp::response<bhttp::string_body>& res,
                                       const std::function<std::optional<std::string>()>& next,
                                       const Request& req, const std::string& route);
  // Writes `res`'s header with chunked transfer encoding and its body as the first chunk, then
  // what `live` has whenever it wakes the connection, and a heartbeat comment after
  // config_.live_heartbeat of silence, until `live` ends, the peer is gone or the server stops.
  // Holds no thread while it waits (LiveWait). Always false: the connection closes after it.
  asio::awaitable<bool> write_live(beast::tcp_stream& stream,
                                   bhttp::response<bhttp::string_body>& res, LiveBody& live);
  // After an error response on a connection with unread request bytes: closes our side and reads
  // and drops what the client still sends (bounded), so it sees the response, not a reset.
  asio::awaitable<void> linger(beast::tcp_stream& stream);
  void record(const std::string& route, const Request& req, int status, Clock::time_point start);

  ServerConfig config_;
  Router& router_;
  Metrics& metrics_;
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  std::optional<asio::signal_set> signals_;
  asio::steady_timer release_timer_;
  Pool workers_;
  Pool hashers_;
  ConnectionTable table_;
  BodyBudget budget_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> freed_{0};          // by connections, since the last release
  Clock::time_point last_accept_error_log_{};  // on control_
  std::uint64_t accept_errors_ = 0;            // since the last log line; on control_
  Clock::time_point last_refused_log_{};       // on control_
  std::uint64_t refused_ = 0;                  // connections refused since the last log line
  std::uint64_t next_id_ = 1;                  // on control_
  std::mutex conns_mu_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> conns_;
  // The wakes of the live responses under way, so that a stop ends them (begin_stop).
  std::mutex live_mu_;
  std::unordered_map<const LiveWait*, std::function<void()>> live_wakes_;
};

namespace {

ServerConfig validated(ServerConfig config) {
  if (config.io_threads < 1) throw std::invalid_argument("io_threads must be >= 1");
  if (config.worker_threads < 1) throw std::invalid_argument("worker_threads must be >= 1");
  if (config.hash_threads < 1) throw std::invalid_argument("hash_threads must be >= 1");
  if (config.max_queue < 1) throw std::invalid_argument("max_queue must be >= 1");
  if (config.hash_max_queue < 1) throw std::invalid_argument("hash_max_queue must be >= 1");
  if (config.queue_deadline.count() < 0) throw std::invalid_argument("queue_deadline must be >= 0");
  if (config.hash_queue_deadline.count() < 0)
    throw std::invalid_argument("hash_queue_deadline must be >= 0");
  if (config.body_budget < std::max(config.body_limit, config.lead_body_limit))
    throw std::invalid_argument("body_budget must be >= body_limit and lead_body_limit");
  if (config.max_connections == 0) config.max_connections = default_connection_limits().max_total;
  if (config.max_connections_per_address == 0)
    config.max_connections_per_address = per_address_limit_for(config.max_connections);
  return config;
}

}  // namespace

Server::Impl::Impl(ServerConfig config, Router& router, Metrics& metrics)
    : config_(validated(std::move(config))),
      router_(router),
      metrics_(metrics),
      ioc_(config_.io_threads),
      control_(asio::make_strand(ioc_)),
      acceptor_(control_),
      release_timer_(control_),
      workers_(static_cast<std::size_t>(config_.worker_threads), config_.max_queue,
               config_.queue_deadline, ""),
      hashers_(static_cast<std::size_t>(config_.hash_threads), config_.hash_max_queue,
               config_.hash_queue_deadline, "hash_"),
      table_(config_.max_connections, config_.max_connections_per_address),
      budget_(config_.body_budget) {
  const tcp::endpoint endpoint = resolve_listen(ioc_, config_.listen);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

int Server::Impl::run() {
  if (!config_.port_file.empty()) write_port_file(config_.port_file, port_);
  if (config_.handle_signals) {
    signals_.emplace(control_, SIGINT, SIGTERM);
    signals_->async_wait([this](const ErrorCode& ec, int signo) {
      if (ec) return;
      log_info("signal received, stopping", {{"signal", std::int64_t{signo}}});
      begin_stop();
    });
  }
  const auto log_failure = [](std::string_view what) {
    return [what](const std::exception_ptr& e) {
      if (e) log_error(what);
    };
  };
  asio::co_spawn(control_, accept_loop(), log_failure("accept loop failed"));
  asio::co_spawn(control_, release_loop(), log_failure("memory release loop failed"));
  log_info("listening",
           {{"listen", config_.listen},
            {"port", std::int64_t{port_}},
            {"io_threads", std::int64_t{config_.io_threads}},
            {"worker_threads", std::int64_t{config_.worker_threads}},
            {"max_queue", std::uint64_t{config_.max_queue}},
            {"queue_deadline_ms", std::int64_t{config_.queue_deadline.count()}},
            {"hash_threads", std::int64_t{config_.hash_threads}},
            {"hash_max_queue", std::uint64_t{config_.hash_max_queue}},
            {"max_connections", std::uint64_t{config_.max_connections}},
            {"max_connections_per_address", std::uint64_t{config_.max_connections_per_address}},
            {"body_limit", std::uint64_t{config_.body_limit}},
            {"lead_body_limit", std::uint64_t{config_.lead_body_limit}},
            {"body_budget", std::uint64_t{config_.body_budget}},
            {"allocator", std::string(memory_allocator_name())}});

  std::vector<std::thread> io_threads;
  for (int i = 1; i < config_.io_threads; ++i) io_threads.emplace_back([this] { run_io(); });
  run_io();
  for (auto& t : io_threads) t.join();
  workers_.threads.join();
  hashers_.threads.join();
  log_info("stopped");
  return 0;
}

void Server::Impl::run_io() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      log_error("unexpected exception on an I/O thread", {{"error", e.what()}});
    }
  }
}

void Server::Impl::begin_stop() {
  if (stopping_.exchange(true)) return;
  ErrorCode ec;
  acceptor_.close(ec);
  release_timer_.cancel();
  if (signals_) {
    signals_->cancel(ec);
    signals_->clear(ec);  // restores the default action: a second signal kills the process
  }
  std::vector<std::shared_ptr<Connection>> conns;
  {
    std::lock_guard lock(conns_mu_);
    for (const auto& entry : conns_) conns.push_back(entry.second);
  }
  log_info("stopping", {{"open_connections", std::uint64_t{conns.size()}}});
  // A session checks stopping_ before each idle read on its strand, so a connection is either
  // cancelled here while idle or sees stopping_ before its next idle read.
  for (auto& conn : conns) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (conn->idle) conn->stream.cancel();
    });
  }
  // A live response checks stopping_ each time it wakes.
  std::lock_guard lock(live_mu_);
  for (auto& [wait, wake] : live_wakes_) wake();
}

Server::Impl::Registration::~Registration() {
  impl_.freed(kConnectionFootprint);
  impl_.table_.remove(id_);
  std::lock_guard lock(impl_.conns_mu_);
  impl_.conns_.erase(id_);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kUseTuple);
    if (stopping_) co_return;
    if (ec) {
      // E.g. out of file descriptors: back off instead of spinning, and log it now and then.
      ++accept_errors_;
      if (Clock::now() - last_accept_error_log_ >= kAcceptErrorLogInterval) {
        log_error("accept failed",
                  {{"error", ec.message()}, {"failures", std::uint64_t{accept_errors_}}});
        last_accept_error_log_ = Clock::now();
        accept_errors_ = 0;
      }
      asio::steady_timer timer(control_, std::chrono::milliseconds(100));
      co_await timer.async_wait(kUseTuple);
      continue;
    }
    admit(std::move(socket));
  }
}

void Server::Impl::admit(tcp::socket socket) {
  ErrorCode ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  const std::string address = peer.address().to_string();
  const bool exempt = peer.address().is_loopback() || config_.trusted_proxies.contains(address);
  const std::uint64_t id = next_id_++;
  const ConnectionTable::Admission admission = table_.admit(id, address, exempt);
  if (!admission.admitted) {
    metrics_.inc("leadproc_http_connections_refused_total",
                 "Connections closed at once because a connection limit was reached and no "
                 "connection was idle, by limit",
                 {{"reason", std::string(admission.refused_reason)}});
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(kRefusedResponse), ec);
    socket.close(ec);
    ++refused_;
    if (Clock::now() - last_refused_log_ >= kAcceptErrorLogInterval) {
      log_warn(
          "connections refused: a connection limit is reached and none is idle",
          {{"reason", std::string(admission.refused_reason)},
           {"refused", std::uint64_t{refused_}},
           {"max_connections", std::uint64_t{config_.max_connections}},
           {"max_connections_per_address", std::uint64_t{config_.max_connections_per_address}}});
      last_refused_log_ = Clock::now();
      refused_ = 0;
    }
    return;
  }
  if (admission.evict) evict(*admission.evict, admission.evict_reason);
  auto conn = std::make_shared<Connection>(std::move(socket), id);
  {
    std::lock_guard lock(conns_mu_);
    conns_.emplace(id, conn);
  }
  auto executor = conn->stream.get_executor();
  asio::co_spawn(executor, session(std::move(conn)), [](const std::exception_ptr& e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log_error("connection failed", {{"error", ex.what()}});
    } catch (...) {
      log_error("connection failed");
    }
  });
}

void Server::Impl::evict(std::uint64_t id, std::string_view reason) {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard lock(conns_mu_);
    if (auto it = conns_.find(id); it != conns_.end()) conn = it->second;
  }
  if (!conn) return;
  metrics_.inc("leadproc_http_connections_closed_total",
               "Idle connections closed to make room for a new one under a connection limit, by "
               "limit",
               {{"reason", std::string(reason)}});
  // A session checks `evicted` before each idle read, so a connection is closed whether it is
  // waiting for a request or has yet to start waiting.
  asio::post(conn->stream.get_executor(), [conn] {
    if (!conn->idle) return;  // a request arrived meanwhile: it stays
    conn->evicted = true;
    conn->stream.cancel();
  });
}

asio::awaitable<void> Server::Impl::release_loop() {
  std::uint64_t bodies_seen = 0;  // budget_.released_total() at the last release
  while (!stopping_) {
    release_timer_.expires_after(kReleaseCheck);
    co_await release_timer_.async_wait(kUseTuple);
    const std::uint64_t bodies = budget_.released_total();
    if (freed_.load() + (bodies - bodies_seen) >= kReleaseThreshold) {
      freed_.store(0);
      bodies_seen = bodies;
      release_free_memory();
    }
  }
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn) {
  Registration registration(*this, conn->id);
  beast::tcp_stream& stream = conn->stream;
  ErrorCode ec;
  const auto remote_endpoint = stream.socket().remote_endpoint(ec);
  const std::string remote = ec ? std::string() : remote_endpoint.address().to_string();
  beast::flat_buffer buffer;
  bool first = true;

  for (;;) {
    // Idle: wait for the first byte of the next request (unless pipelined bytes are buffered).
    conn->idle = true;
    if (!first) table_.set_idle(conn->id, true);
    first = false;
    if (stopping_ || conn->evicted) break;
    if (buffer.size() == 0) {
      stream.expires_after(config_.idle_timeout);
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(kIdleRead), kUseTuple);
      if (rec) break;  // closed by the peer, idle timeout, or cancelled by stop() or an eviction
      buffer.commit(n);
    }
    conn->idle = false;
    table_.set_idle(conn->id, false);

    const Next next = co_await exchange(stream, buffer, remote);
    if (next == Next::kLingerThenClose) {
      co_await linger(stream);
      co_return;
    }
    if (next == Next::kClose) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<Server::Impl::Next> Server::Impl::exchange(beast::tcp_stream& stream,
                                                           beast::flat_buffer& buffer,
                                                           const std::string& remote) {
  ErrorCode ec;
  // Read the header: a fresh parser per request, with the largest body limit for now (the
  // route's applies once it is known).
  const auto start = Clock::now();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(std::max(config_.body_limit, config_.lead_body_limit));
  stream.expires_after(config_.io_timeout);
  std::tie(ec, std::ignore) = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
  if (ec) {
    auto problem = read_error_response(ec, config_.lead_body_limit);
    if (!problem) co_return Next::kClose;
    // The message holds whatever was parsed before the error (possibly nothing).
    const auto& partial = parser.get();
    Request req;
    req.method = std::string(partial.method_string());
    req.trace_id = trace_id_for(partial);
    req.remote_ip = remote;
    if (const auto target = boost::urls::parse_origin_form(partial.target()))
      req.path = target->path();
    auto res = to_beast(std::move(*problem), req.method, 11, false, req.trace_id);
    const bool written = co_await write(stream, res);
    record(std::string(kUnmatched), req, static_cast<int>(res.result_int()), start);
    co_return written ? Next::kLingerThenClose : Next::kClose;
  }

  // Convert the header to the Beast-free Request, then answer it.
  auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  req.trace_id = trace_id_for(msg);
  req.remote_ip = remote;
  std::string route(kUnmatched);
  BodyReservation reservation;
  Answer answered;
  const auto target = boost::urls::parse_origin_form(msg.target());
  if (!target) {
    answered.response =
        problem_response(400, "Bad Request", "The request target is not a valid path.");
    answered.body_unread = !parser.is_done();
  } else {
    req.path = target->path();
    for (const auto& param : target->params()) req.query[param.key] = param.value;
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      auto [it, inserted] = req.headers.try_emplace(std::move(name), field.value());
      if (!inserted) {
        it->second += ", ";
        it->second.append(field.value());
      }
    }
    req.from_trusted_proxy =
        !config_.trusted_proxies.empty() && config_.trusted_proxies.contains(remote);
    if (auto xff = req.headers.find("x-forwarded-for"); xff != req.headers.end())
      req.remote_ip = client_address(remote, xff->second, config_.trusted_proxies);
    answered = co_await answer(stream, buffer, parser, req, route, reservation);
  }
  if (!answered.response) co_return Next::kClose;  // the body could not be read: nobody to answer

  const auto live = std::move(answered.response->live);
  const bool keep_alive = msg.keep_alive() && !stopping_ && !answered.body_unread && !live;
  const auto next_chunk = std::move(answered.response->next_chunk);
  auto out =
      to_beast(std::move(*answered.response), req.method, msg.version(), keep_alive, req.trace_id);
  const bool streamed = next_chunk && out.result_int() == 200 && req.method != "HEAD";
  const bool is_live = live && out.result_int() == 200 && req.method != "HEAD";
  // Statements, not a conditional expression: g++ 12 miscompiles co_await in nested ?: (it ran
  // the streamed branch for plain answers).
  bool ok = false;
  if (is_live) {
    ok = co_await write_live(stream, out, *live);
  } else if (streamed) {
    ok = co_await write_streamed(stream, out, next_chunk, req, route);
  } else {
    ok = co_await write(stream, out);
  }
  reservation.release();
  record(route, req, static_cast<int>(out.result_int()), start);
  if (ok && answered.body_unread) co_return Next::kLingerThenClose;
  co_return (ok && keep_alive) ? Next::kNextRequest : Next::kClose;
}

asio::awaitable<Answer> Server::Impl::answer(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                             bhttp::request_parser<bhttp::string_body>& parser,
                                             Request& req, std::string& route,
                                             BodyReservation& reservation) {
  const bool body_pending = !parser.is_done();
  // An answer from the header alone: the body, if any, stays unread.
  const auto early = [body_pending](Response res) { return Answer{std::move(res), body_pending}; };

  RouteMatch match = router_.match(req.method, req.path);
  switch (match.kind) {
    case RouteMatch::Kind::not_found:
      co_return early(problem_response(404, "Not Found", "No resource matches the request path."));
    case RouteMatch::Kind::method_not_allowed: {
      Response res = problem_response(405, "Method Not Allowed",
                                      "The resource does not support method " + req.method + ".");
      std::string allow;
      for (const auto& m : match.allow) allow += (allow.empty() ? "" : ", ") + m;
      res.headers.emplace_back("Allow", std::move(allow));
      co_return early(std::move(res));
    }
    case RouteMatch::Kind::found:
      break;
  }
  route = match.route_name;
  req.params = std::move(match.params);

  const std::size_t limit =
      match.body == BodySize::kLarge ? config_.lead_body_limit : config_.body_limit;
  const auto length = parser.content_length();
  if (length && *length > limit) {
    co_return early(problem_response(
        413, "Payload Too Large", "The request body exceeds " + std::to_string(limit) + " bytes."));
  }
  if (auto refused = router_.check_headers(req, match)) co_return early(std::move(*refused));

  bool authenticated = false;
  if (body_pending) {
    const std::size_t bytes = length ? static_cast<std::size_t>(*length) : limit;  // chunked
    if (!budget_.try_reserve(bytes)) {
      co_return early(
          shed("body_budget", "The server holds as many request bodies as it may; retry shortly."));
    }
    reservation = BodyReservation(budget_, bytes);
    // Authenticate before reading a body that has yet to arrive, so that a caller without valid
    // credentials never makes the server wait for or hold it: always when the client waits for
    // 100 Continue, and for any body larger than kReadBeforeAuth. (A smaller one is read first:
    // that costs less than a second trip to the workers, which every lead would pay.)
    const bool expects_continue =
        parser.get().version() >= 11 &&
        beast::iequals(parser.get()[bhttp::field::expect], "100-continue");
    const bool arrived = length && buffer.size() >= *length;
    const bool small = length && *length <= kReadBeforeAuth;
    const bool needs_credentials =
        !(match.access && *match.access && (*match.access)->kind == Access::Kind::kPublic);
    if (needs_credentials && !arrived && (expects_continue || !small)) {
      // Named, not a temporary: g++ 12 destroys some temporaries of a co_await expression twice.
      const Task authenticate = [&] { return router_.authenticate(req, match); };
      auto refused = co_await on_pool(workers_, authenticate, req, route);
      if (refused) co_return early(std::move(*refused));
      authenticated = true;
    }
    ErrorCode ec;
    if (expects_continue) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, go_on, kUseTuple);
    }
    parser.body_limit(limit);
    stream.expires_after(config_.io_timeout);
    if (!ec)
      std::tie(ec, std::ignore) = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    if (ec) {
      std::optional<Response> problem = read_error_response(ec, limit);
      co_return Answer{std::move(problem), true};
    }
    req.body = std::move(parser.get().body());
  }

  if (match.execution == Execution::kIoThread) {
    const Task run = [&] { return (*match.handler)(req); };
    co_return Answer{guarded(run, req, route), false};
  }
  const Handler& handler = authenticated ? *match.authenticated_handler : *match.handler;
  Pool& pool = match.execution == Execution::kHashPool ? hashers_ : workers_;
  const Task run = [&] { return handler(req); };
  std::optional<Response> res = co_await on_pool(pool, run, req, route);
  co_return Answer{std::move(res), false};
}

asio::awaitable<std::optional<Response>> Server::Impl::on_pool(Pool& pool, const Task& task,
                                                               const Request& req,
                                                               const std::string& route) {
  const auto queued_at = Clock::now();  // before the slot: queued() never counts it earlier
  if (!pool.try_take_slot()) {
    co_return shed(std::string(pool.name) + "queue_full",
                   "The server is overloaded; retry shortly.");
  }
  Slot slot(pool.queued);
  co_return co_await asio::co_spawn(pool.threads, run_queued(pool, task, req, route, queued_at),
                                    asio::use_awaitable);
}

asio::awaitable<std::optional<Response>> Server::Impl::run_queued(Pool& pool, const Task& task,
                                                                  const Request& req,
                                                                  const std::string& route,
                                                                  Clock::time_point queued_at) {
  // Checked here, when a thread is free, rather than when queueing: only now is the wait known.
  if (pool.deadline.count() > 0 && Clock::now() - queued_at > pool.deadline) {
    co_return shed(std::string(pool.name) + "queue_deadline",
                   "The server is overloaded: the request waited too long and was not "
                   "processed; retry shortly.");
  }
  co_return guarded(task, req, route);
}

std::optional<Response> Server::Impl::guarded(const Task& fn, const Request& req,
                                              const std::string& route) {
  try {
    return fn();
  } catch (const std::exception& e) {
    log_error("handler failed",
              {{"trace_id", req.trace_id}, {"route", route}, {"error", e.what()}});
  } catch (...) {
    log_error("handler failed",
              {{"trace_id", req.trace_id}, {"route", route}, {"error", "unknown exception"}});
  }
  return problem_response(500, "Internal Server Error", "The server failed to handle the request.");
}

Response Server::Impl::shed(std::string_view reason, std::string_view detail) {
  metrics_.inc("leadproc_http_shed_total",
               "Requests answered 503 without running their handler, by reason",
               {{"reason", std::string(reason)}});
  Response res = problem_response(503, "Service Unavailable", detail);
  res.headers.emplace_back("Retry-After", "1");
  return res;
}

asio::awaitable<void> Server::Impl::linger(beast::tcp_stream& stream) {
  ErrorCode ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTime);
  for (std::size_t total = 0; total < kLingerBytes;) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(g_discard), kUseTuple);
    if (read_ec) break;
    total += n;
  }
}

asio::awaitable<bool> Server::Impl::write(beast::tcp_stream& stream,
                                          bhttp::response<bhttp::string_body>& res) {
  stream.expires_after(config_.io_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, res, kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Server::Impl::write_chunked_head(beast::tcp_stream& stream,
                                                       bhttp::response<bhttp::string_body>& res) {
  bhttp::response<bhttp::empty_body> head(std::move(res.base()));
  head.erase(bhttp::field::content_length);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer(head);
  stream.expires_after(config_.io_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(stream, serializer, kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Server::Impl::write_chunk(beast::tcp_stream& stream,
                                                const std::string& part) {
  stream.expires_after(config_.io_timeout);
  auto [ec, n] =
      co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(part)), kUseTuple);
  co_return !ec;
}

asio::awaitable<bool> Server::Impl::write_streamed(
    beast::tcp_stream& stream, bhttp::response<bhttp::string_body>& res,
    const std::function<std::optional<std::string>()>& next, const Request& req,
    const std::string& route) {
  if (!co_await write_chunked_head(stream, res)) co_return false;
  for (;;) {
    // The part is made on a worker (it reads the database), never on this network thread.
    std::optional<std::string> part;
    bool failed = false;
    co_await asio::co_spawn(
        workers_.threads,
        [&]() -> asio::awaitable<void> {
          try {
            part = next();
          } catch (const std::exception& e) {
            log_error("streamed body failed",
                      {{"trace_id", req.trace_id}, {"route", route}, {"error", e.what()}});
            failed = true;
          }
          co_return;
        },
        asio::use_awaitable);
    if (failed) co_return false;
    stream.expires_after(config_.io_timeout);
    if (!part) {
      auto [last_ec, m] = co_await asio::async_write(stream, bhttp::make_chunk_last(), kUseTuple);
      co_return !last_ec;
    }
    if (part->empty()) continue;
    if (!co_await write_chunk(stream, *part)) co_return false;
  }
}

asio::awaitable<bool> Server::Impl::write_live(beast::tcp_stream& stream,
                                               bhttp::response<bhttp::string_body>& res,
                                               LiveBody& live) {
  const std::string first = std::move(res.body());
  if (!co_await write_chunked_head(stream, res)) co_return false;
  const auto send = [&](const std::string& text) { return write_chunk(stream, text); };
  if (!first.empty() && !co_await send(first)) co_return false;

  auto wait = std::make_shared<LiveWait>(stream.get_executor());
  std::weak_ptr<LiveWait> weak = wait;
  auto wake = [weak, executor = stream.get_executor()] {
    asio::post(executor, [weak] {
      if (auto w = weak.lock()) {
        w->woken = true;
        w->timer.cancel();
      }
    });
  };
  {
    std::lock_guard lock(live_mu_);
    live_wakes_.emplace(wait.get(), wake);
  }
  struct Unregister {
    Impl& impl;
    const LiveWait* wait;
    ~Unregister() {
      std::lock_guard lock(impl.live_mu_);
      impl.live_wakes_.erase(wait);
    }
  } unregister{*this, wait.get()};
  stream.socket().async_read_some(asio::buffer(wait->byte), [wait](const ErrorCode&, std::size_t) {
    wait->peer_gone = true;
    wait->woken = true;
    wait->timer.cancel();
  });
  live.start(wake);
  static const std::string kHeartbeat = ": heartbeat\n\n";
  for (;;) {
    if (stopping_ || wait->peer_gone) break;
    wait->woken = false;
    std::optional<std::string> text = live.next();
    if (!text) break;
    if (!text->empty()) {
      if (!co_await send(*text)) co_return false;
      continue;
    }
    if (wait->woken) continue;
    wait->timer.expires_after(config_.live_heartbeat);
    co_await wait->timer.async_wait(kUseTuple);
    if (!wait->woken && !stopping_ && !co_await send(kHeartbeat)) co_return false;
  }
  ErrorCode ec_cancel;
  if (!wait->peer_gone) {
    stream.expires_after(config_.io_timeout);
    co_await asio::async_write(stream, bhttp::make_chunk_last(), kUseTuple);
    stream.socket().cancel(ec_cancel);  // the read above
  }
  co_return false;
}

void Server::Impl::record(const std::string& route, const Request& req, int status,
                          Clock::time_point start) {
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  metrics_.observe_request(route, method_label(req.method), status, elapsed.count());
  AccessLogEntry entry{.trace_id = req.trace_id,
                       .method = req.method,
                       .route = route,
                       .path = req.path,
                       .status = status,
                       .duration_ms = elapsed.count() * 1000,
                       .remote = req.remote_ip,
                       .user = {},
                       .api_key = {}};
  if (req.principal) (req.principal->is_user() ? entry.user : entry.api_key) = req.principal->id;
  log_request(entry);
}

Server::Server(ServerConfig config, Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), router, metrics)) {}

Server::~Server() = default;

int Server::run() {
  return impl_->run();
}

void Server::stop() {
  impl_->stop();
}

std::uint16_t Server::port() const {
  return impl_->port();
}

std::size_t Server::queued() const {
  return impl_->queued();
}

}  // namespace leadproc::http
