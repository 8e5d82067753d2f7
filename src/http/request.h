// The HTTP layer's own request/response values, free of Beast types so that handlers compile
// fast. The server (server.cpp) converts to and from Beast messages.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/access.h"  // Principal

namespace leadproc::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // decoded path, no query
  std::map<std::string, std::string> query;    // decoded query parameters (last one wins)
  std::map<std::string, std::string> headers;  // header names lower-cased
  std::map<std::string, std::string> params;   // path parameters from the route, e.g. {id}
  std::string body;
  std::string trace_id;  // X-Request-Id / traceparent if sent, else generated
  std::string remote_ip;
  // Whether the TCP peer is one of LEADPROC_TRUSTED_PROXIES: only then are its X-Forwarded-*
  // headers believed (client_address.h, session_cookie.h).
  bool from_trusted_proxy = false;
  // The authenticated caller, set by the router's guard before the handler runs (docs/api-auth.md);
  // nullopt on public routes.
  std::optional<Principal> principal;

  // Value of a header (name in lower case), if present.
  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  }
};

// A response that stays open and sends text as it comes (Server-Sent Events: routes_events.cpp),
// without holding a thread while it waits: the server writes the header and `body` (the first
// part), then, on the connection's network thread, asks next() for more whenever the stream was
// woken, and sends a heartbeat comment when nothing was sent for a while (ServerConfig).
class LiveBody {
 public:
  virtual ~LiveBody() = default;
  // Called once on the network thread before the first next(), with the function that wakes the
  // connection: thread-safe, cheap, callable from any thread any number of times, also after the
  // stream ended (then it does nothing).
  virtual void start(std::function<void()> wake) = 0;
  // Never blocks: the text to send now ("" when there is none), or nullopt to end the stream.
  virtual std::optional<std::string> next() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // A body streamed in parts instead of `body` (exports of any size in bounded memory): when set
  // on a 200, the server sends the header with `Transfer-Encoding: chunked`, then calls this on a
  // worker thread again and again, sending each answer at once as one chunk, until it answers
  // nullopt. It may block (database reads). If it throws, the status is already sent: the
  // connection is closed without the last chunk, so the client sees an incomplete body.
  std::function<std::optional<std::string>()> next_chunk;
  // A body that waits for events (LiveBody), sent chunked after `body` on a 200; the connection
  // closes when it ends.
  std::shared_ptr<LiveBody> live;
};

// An RFC 9457 problem response: status `status`, content type application/problem+json, body
// {"type":"about:blank","title":title,"status":status,"detail":detail}, JSON-escaped.
// Defined in router.cpp (part of leadproc_http).
Response problem_response(int status, std::string_view title, std::string_view detail);

}  // namespace leadproc::http
