// One HTTP request with libcurl, for the jobs that talk to other services (the CMS sitemap, Meta's
// Graph API, webhook subscribers): http and https only, a timeout, a body cap, redirects followed
// up to a bound (none for webhooks), and optionally a guard on the address connected to. A
// session (HttpSession) keeps connections open between requests.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace leadproc::jobs {

struct HttpGetOptions {
  long timeout_seconds = 30;
  long max_redirects = 5;
  std::size_t max_body_bytes = 50u * 1024 * 1024;
  std::string user_agent = "leadproc/1";
  // How errors name the request: the URL when empty; set it when the URL holds a secret (a
  // Graph API access token) so that the secret never reaches a log or an answer.
  std::string label;
  // The connection phase's own bound (0: only timeout_seconds bounds it).
  long connect_timeout_seconds = 0;
  // Asked with each address before connecting to it (after name resolution, so a name that
  // resolves to a refused address is refused too); false: not connected (a transport failure).
  std::function<bool(const sockaddr* address)> allow_address;
};

struct HttpReply {
  long status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header's value, when the answer had one
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// GETs `url`. Any HTTP status is a reply (the caller judges it); a transport failure (no
// connection, a timeout, a body over the cap) is kUnavailable naming the label.
Result<HttpReply> http_get(const std::string& url, const HttpGetOptions& options);

// POSTs `body` to `url` with `headers` (Content-Type among them), like http_get otherwise.
Result<HttpReply> http_post(const std::string& url, const HttpHeaders& headers,
                            const std::string& body, const HttpGetOptions& options);

// Requests one after another on one libcurl handle, so that a connection to a server is kept
// open and reused by the next request to it (HTTP keep-alive), as a webhook sender posting event
// after event to the same subscriber wants. The address guard is asked for each new connection
// only (a reused one was allowed when it was opened). Thread-safe (requests take turns).
class HttpSession {
 public:
  HttpSession();
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // As http_post, on this session's connections.
  Result<HttpReply> post(const std::string& url, const HttpHeaders& headers,
                         const std::string& body, const HttpGetOptions& options);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace leadproc::jobs
