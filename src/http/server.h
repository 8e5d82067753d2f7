// The HTTP/1.1 server: Beast and Asio stay inside server.cpp (pimpl), so including this header is
// cheap.
//
// Network I/O runs on `io_threads` threads, one coroutine per connection; handlers run on a
// separate pool of `worker_threads` because they block, except routes registered with
// Execution::kIoThread (liveness, metrics), which run inline and are never queued or shed, and
// routes registered with Execution::kHashPool (password hashing), which run on a pool of their
// own (`hash_threads`, bounded by `hash_max_queue` and `hash_queue_deadline` like the workers),
// so that logins never hold the workers that take leads.
//
// Reading a request (docs/operations.md, "Limits"): the header first; then the route is matched
// and, before a byte of the body is read, the server refuses what it can from the header alone:
// 404/405, 413 when Content-Length passes the route's limit (body_limit, or lead_body_limit for
// BodySize::kLarge routes), 401 when a route needing credentials has none or malformed ones
// (Router::check_headers), 503 when the body would pass the body_budget of bytes held at once
// over every connection. When the body has not arrived with the header, the guard authenticates
// the request on a worker first (401/403 without reading the body) if the client waits for
// `100 Continue` or the body is over 16 KiB; only then is `100 Continue` sent and the body
// read. An answer given before the body was read closes the connection. After a burst, freed
// memory is given back to the system (memory_release.h).
//
// Connections: at most max_connections open, and max_connections_per_address from one client
// address (loopback addresses and trusted proxies are exempt: many clients stand behind them).
// At a limit, the connection idle for longest is closed to make room; if none is idle, the new
// one is answered 503 and closed. Counted in leadproc_http_connections_refused_total{reason} and
// leadproc_http_connections_closed_total{reason}.
//
// Overload: at most `max_queue` requests wait for or run on the workers; past that, a new one is
// answered 503 at once. A request that has waited longer than `queue_deadline` when a worker
// picks it up is answered 503 without running its handler, so it has changed nothing and the
// client may safely retry; this bounds how long an accepted request waits, whatever the queue
// length. Both 503s carry Retry-After: 1 and count in leadproc_http_shed_total{reason}.
//
// Every response carries X-Request-Id and
// the security headers (X-Content-Type-Options, X-Frame-Options, Referrer-Policy, and
// Cache-Control: no-store unless the handler set Cache-Control). The answers the server makes
// itself are problem+json: 400 (malformed request), 404 / 405 (router; 405 with Allow), 413 (body
// over the route's limit), 431 (header too large), 500 (handler threw), 503 (a queue full, a
// request that waited past its queue's deadline, or the body budget spent).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/client_address.h"
#include "http/metrics.h"
#include "http/router.h"

namespace leadproc::http {

struct ServerConfig {
  // "host:port" or "[v6addr]:port"; host may be a name ("localhost"). Port 0 = ephemeral.
  std::string listen = "127.0.0.1:8080";
  int io_threads = 1;
  int worker_threads = 4;
  // Request bodies (bytes): every route's but BodySize::kLarge ones, and theirs (lead intake);
  // larger bodies get 413.
  std::size_t body_limit = 64 << 10;
  std::size_t lead_body_limit = 1 << 20;
  // Request-body bytes held at once over every connection: the Content-Length (or the route's
  // limit for a chunked body) is reserved before the body is read, and freed once the request is
  // answered; a body that does not fit gets 503 + Retry-After: 1 unread. Must be >= both limits.
  std::size_t body_budget = 16 << 20;
  // Open connections, in all and per client address; 0: default_connection_limits() (limits.h,
  // from RLIMIT_NOFILE).
  std::size_t max_connections = 0;
  std::size_t max_connections_per_address = 0;
  // The password-hashing pool (Execution::kHashPool): threads, requests waiting for or running
  // on it (503 + Retry-After: 1 past it; >= 1), and how long one may wait (0: no deadline).
  int hash_threads = 1;
  std::size_t hash_max_queue = 256;
  std::chrono::milliseconds hash_queue_deadline{5000};
  // Requests waiting for or running on workers; past this, new ones get 503 + Retry-After: 1.
  // Must be >= 1.
  std::size_t max_queue = 1024;
  // A request that waited longer than this for a worker gets 503 + Retry-After: 1 instead of
  // running its handler. Zero: no deadline (wait as long as the queue takes). Must be >= 0.
  std::chrono::milliseconds queue_deadline{1000};
  // If non-empty, run() writes the bound port and a newline here (tmp file + rename).
  std::string port_file;
  // How long a keep-alive connection may sit idle between requests before it is closed.
  std::chrono::seconds idle_timeout{30};
  // Time allowed to receive one whole request once its first byte arrived, and to send a
  // response.
  std::chrono::seconds io_timeout{30};
  // A live response (Response::live, Server-Sent Events) that sent nothing for this long sends a
  // comment line, so that proxies keep it open and a peer that is gone is noticed.
  std::chrono::milliseconds live_heartbeat{20000};
  // Whether run() stops gracefully on SIGINT and SIGTERM (a second signal kills the process).
  bool handle_signals = true;
  // Reverse proxies whose X-Forwarded-For is believed (client_address.h): Request::remote_ip
  // and the access log's `remote` are then the client behind them. Empty: the peer address.
  TrustedProxies trusted_proxies;
};

class Server {
 public:
  // Binds and listens on config.listen, so port() is valid on return. `router` and `metrics`
  // must outlive the Server and the router must not change any more. Throws std::runtime_error
  // (or boost::system::system_error) if the address cannot be resolved or bound, and
  // std::invalid_argument for non-positive thread counts, a zero max_queue or hash_max_queue, a
  // negative deadline, or a body_budget below a body limit.
  Server(ServerConfig config, Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Writes the port file, then serves on the calling thread plus io_threads - 1 others until
  // stop() or a signal. A graceful stop closes the listener and idle connections, lets requests
  // in progress finish and be answered (with Connection: close), and waits for the workers.
  // Returns 0 after a graceful stop. Call at most once.
  int run();

  // Starts a graceful stop; run() returns once it completes. Thread-safe, idempotent, and may
  // be called before run() (which then returns almost at once) or from a handler.
  void stop();

  // The bound TCP port (useful with port 0).
  std::uint16_t port() const;

  // Requests waiting for or running on the workers right now (diagnostics and tests).
  std::size_t queued() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadproc::http
