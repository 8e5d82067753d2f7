// The Beast server behind server.h. Layout of this file, top to bottom:
//   helpers (listen address, trace ids, header checks, Beast response building),
//   Server::Impl (construction and run/stop), the accept loop, and the per-connection session.
//
// Threading: the acceptor and signal set live on one strand (`control_`); each connection lives
// on its own strand, and its coroutine is the only code touching its socket, except stop(),
// which posts to that strand. Handlers run on `workers_`, a separate thread pool, except those
// of Execution::kIoThread routes, which run inline in the session.
#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <csignal>
#include <filesystem>
#include <fstream>
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
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include "http/log.h"

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

constexpr std::size_t kReadChunk = 4096;
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

// One client connection. Only its session coroutine touches it, plus the cancel that stop() posts
// to the same strand.
struct Connection {
  explicit Connection(tcp::socket&& socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;  // its executor is this connection's strand
  bool idle = true;          // waiting for a request's first byte; read/written on the strand
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerConfig config, Router& router, Metrics& metrics);
  int run();
  void stop() {
    asio::post(control_, [this] { begin_stop(); });
  }
  std::uint16_t port() const { return port_; }
  std::size_t queued() const { return queued_.load(); }

 private:
  // Keeps a connection in conns_ for the lifetime of its session.
  class Registration {
   public:
    Registration(Impl& impl, std::shared_ptr<Connection> conn);
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    Impl& impl_;
    Connection* key_;
  };

  // Frees a worker-queue slot on destruction.
  struct Slot {
    explicit Slot(std::atomic<std::size_t>& n) : n_(n) {}
    ~Slot() { n_.fetch_sub(1); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    std::atomic<std::size_t>& n_;
  };

  void begin_stop();
  void run_io();
  bool try_take_slot();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<Connection> conn);
  // Answers one parsed request (routing, load shedding, the handler on a worker or inline).
  asio::awaitable<Response> dispatch(Request& req, std::string& route);
  // Runs on a worker thread: sheds the request if it waited past queue_deadline since
  // `queued_at`, else runs the handler. Never throws.
  asio::awaitable<Response> call_handler(const Handler& handler, Request& req,
                                         const std::string& route, Clock::time_point queued_at);
  // Runs the handler; a throwing handler becomes a 500. Never throws.
  static Response run_handler(const Handler& handler, Request& req, const std::string& route);
  // 503 + Retry-After: 1, counted in leadproc_http_shed_total{reason}.
  Response shed(std::string_view reason, std::string_view detail);
  // Writes `res`; returns false if the connection is unusable afterwards.
  asio::awaitable<bool> write(beast::tcp_stream& stream, bhttp::response<bhttp::string_body>& res);
  // After an error response on a connection with unread request bytes: closes our side and reads
  // and drops what the client still sends (bounded), so it sees the response, not a reset.
  // A separate coroutine so that its buffer is not part of every session's frame.
  asio::awaitable<void> linger(beast::tcp_stream& stream);
  void record(const std::string& route, const std::string& method, const std::string& path,
              int status, const std::string& trace_id, const std::string& remote,
              Clock::time_point start);

  ServerConfig config_;
  Router& router_;
  Metrics& metrics_;
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  std::optional<asio::signal_set> signals_;
  asio::thread_pool workers_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> queued_{0};  // requests waiting for or running on workers
  std::mutex conns_mu_;
  std::unordered_map<Connection*, std::shared_ptr<Connection>> conns_;
};

namespace {

ServerConfig validated(ServerConfig config) {
  if (config.io_threads < 1) throw std::invalid_argument("io_threads must be >= 1");
  if (config.worker_threads < 1) throw std::invalid_argument("worker_threads must be >= 1");
  if (config.max_queue < 1) throw std::invalid_argument("max_queue must be >= 1");
  if (config.queue_deadline.count() < 0) throw std::invalid_argument("queue_deadline must be >= 0");
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
      workers_(static_cast<std::size_t>(config_.worker_threads)) {
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
  asio::co_spawn(control_, accept_loop(), [](const std::exception_ptr& e) {
    if (e) log_error("accept loop failed");
  });
  log_info("listening", {{"listen", config_.listen},
                         {"port", std::int64_t{port_}},
                         {"io_threads", std::int64_t{config_.io_threads}},
                         {"worker_threads", std::int64_t{config_.worker_threads}},
                         {"max_queue", std::uint64_t{config_.max_queue}},
                         {"queue_deadline_ms", std::int64_t{config_.queue_deadline.count()}}});

  std::vector<std::thread> io_threads;
  for (int i = 1; i < config_.io_threads; ++i) io_threads.emplace_back([this] { run_io(); });
  run_io();
  for (auto& t : io_threads) t.join();
  workers_.join();
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
}

bool Server::Impl::try_take_slot() {
  if (queued_.fetch_add(1) < config_.max_queue) return true;
  queued_.fetch_sub(1);
  return false;
}

Server::Impl::Registration::Registration(Impl& impl, std::shared_ptr<Connection> conn)
    : impl_(impl), key_(conn.get()) {
  std::lock_guard lock(impl_.conns_mu_);
  impl_.conns_.emplace(key_, std::move(conn));
}

Server::Impl::Registration::~Registration() {
  std::lock_guard lock(impl_.conns_mu_);
  impl_.conns_.erase(key_);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kUseTuple);
    if (stopping_) co_return;
    if (ec) {
      // E.g. out of file descriptors: back off instead of spinning.
      log_error("accept failed", {{"error", ec.message()}});
      asio::steady_timer timer(control_, std::chrono::milliseconds(100));
      co_await timer.async_wait(kUseTuple);
      continue;
    }
    auto conn = std::make_shared<Connection>(tcp::socket(std::move(socket)));
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
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn) {
  Registration registration(*this, conn);
  beast::tcp_stream& stream = conn->stream;
  ErrorCode ec;
  const auto remote_endpoint = stream.socket().remote_endpoint(ec);
  const std::string remote = ec ? std::string() : remote_endpoint.address().to_string();
  beast::flat_buffer buffer;

  for (;;) {
    // Idle: wait for the first byte of the next request (unless pipelined bytes are buffered).
    conn->idle = true;
    if (stopping_) break;
    if (buffer.size() == 0) {
      stream.expires_after(config_.idle_timeout);
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kUseTuple);
      if (rec) break;  // closed by the peer, idle timeout, or cancelled by stop()
      buffer.commit(n);
    }
    conn->idle = false;

    // Read the request: a fresh parser per request, with our body limit.
    const auto start = Clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(config_.body_limit);
    stream.expires_after(config_.io_timeout);
    std::tie(ec, std::ignore) =
        co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
    if (!ec && !parser.is_done() && parser.get().version() >= 11 &&
        beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, go_on, kUseTuple);
    }
    if (!ec && !parser.is_done()) {
      std::tie(ec, std::ignore) = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    }
    if (ec) {
      auto problem = read_error_response(ec, config_.body_limit);
      if (!problem) break;
      // The message holds whatever was parsed before the error (possibly nothing).
      const auto& partial = parser.get();
      const std::string method(partial.method_string());
      const std::string trace_id = trace_id_for(partial);
      const auto target = boost::urls::parse_origin_form(partial.target());
      const std::string path = target ? std::string(target->path()) : std::string();
      auto res = to_beast(std::move(*problem), method, 11, false, trace_id);
      const bool written = co_await write(stream, res);
      record(std::string(kUnmatched), method, path, static_cast<int>(res.result_int()), trace_id,
             remote, start);
      if (written) co_await linger(stream);
      co_return;
    }

    // Convert to the Beast-free Request.
    auto& msg = parser.get();
    Request req;
    req.method = std::string(msg.method_string());
    req.trace_id = trace_id_for(msg);
    req.remote_ip = remote;
    std::string route(kUnmatched);
    const auto target = boost::urls::parse_origin_form(msg.target());
    Response res;
    if (!target) {
      res = problem_response(400, "Bad Request", "The request target is not a valid path.");
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
      if (auto xff = req.headers.find("x-forwarded-for"); xff != req.headers.end())
        req.remote_ip = client_address(remote, xff->second, config_.trusted_proxies);
      req.body = std::move(msg.body());
      res = co_await dispatch(req, route);
    }

    const bool keep_alive = msg.keep_alive() && !stopping_;
    auto out = to_beast(std::move(res), req.method, msg.version(), keep_alive, req.trace_id);
    const bool ok = co_await write(stream, out);
    record(route, req.method, req.path, static_cast<int>(out.result_int()), req.trace_id,
           req.remote_ip, start);
    if (!ok || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<Response> Server::Impl::dispatch(Request& req, std::string& route) {
  RouteMatch match = router_.match(req.method, req.path);
  switch (match.kind) {
    case RouteMatch::Kind::not_found:
      co_return problem_response(404, "Not Found", "No resource matches the request path.");
    case RouteMatch::Kind::method_not_allowed: {
      Response res = problem_response(405, "Method Not Allowed",
                                      "The resource does not support method " + req.method + ".");
      std::string allow;
      for (const auto& m : match.allow) allow += (allow.empty() ? "" : ", ") + m;
      res.headers.emplace_back("Allow", std::move(allow));
      co_return res;
    }
    case RouteMatch::Kind::found:
      break;
  }
  route = match.route_name;
  req.params = std::move(match.params);
  if (match.execution == Execution::kIoThread) co_return run_handler(*match.handler, req, route);
  const auto queued_at = Clock::now();  // before the slot: queued() never counts it earlier
  if (!try_take_slot()) co_return shed("queue_full", "The server is overloaded; retry shortly.");
  Slot slot(queued_);
  co_return co_await asio::co_spawn(workers_, call_handler(*match.handler, req, route, queued_at),
                                    asio::use_awaitable);
}

asio::awaitable<Response> Server::Impl::call_handler(const Handler& handler, Request& req,
                                                     const std::string& route,
                                                     Clock::time_point queued_at) {
  // Checked here, when a worker is free, rather than when queueing: only now is the wait known.
  if (config_.queue_deadline.count() > 0 && Clock::now() - queued_at > config_.queue_deadline) {
    co_return shed("queue_deadline",
                   "The server is overloaded: the request waited too long and was not processed; "
                   "retry shortly.");
  }
  co_return run_handler(handler, req, route);
}

Response Server::Impl::shed(std::string_view reason, std::string_view detail) {
  metrics_.inc("leadproc_http_shed_total",
               "Requests answered 503 without running their handler, by reason",
               {{"reason", std::string(reason)}});
  Response res = problem_response(503, "Service Unavailable", detail);
  res.headers.emplace_back("Retry-After", "1");
  return res;
}

Response Server::Impl::run_handler(const Handler& handler, Request& req, const std::string& route) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    log_error("handler failed",
              {{"trace_id", req.trace_id}, {"route", route}, {"error", e.what()}});
  } catch (...) {
    log_error("handler failed",
              {{"trace_id", req.trace_id}, {"route", route}, {"error", "unknown exception"}});
  }
  return problem_response(500, "Internal Server Error", "The server failed to handle the request.");
}

asio::awaitable<void> Server::Impl::linger(beast::tcp_stream& stream) {
  ErrorCode ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTime);
  std::array<char, 16384> scratch;
  for (std::size_t total = 0; total < kLingerBytes;) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kUseTuple);
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

void Server::Impl::record(const std::string& route, const std::string& method,
                          const std::string& path, int status, const std::string& trace_id,
                          const std::string& remote, Clock::time_point start) {
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  metrics_.observe_request(route, method_label(method), status, elapsed.count());
  log_request({.trace_id = trace_id,
               .method = method,
               .route = route,
               .path = path,
               .status = status,
               .duration_ms = elapsed.count() * 1000,
               .remote = remote});
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
