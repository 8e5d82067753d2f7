// One HTTP GET with libcurl, for the jobs that read other services (the CMS sitemap, Meta's Graph
// API): http and https only, a timeout, a body cap, redirects followed up to a bound.
#pragma once

#include <cstddef>
#include <string>

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
};

struct HttpReply {
  long status = 0;
  std::string body;
};

// GETs `url`. Any HTTP status is a reply (the caller judges it); a transport failure (no
// connection, a timeout, a body over the cap) is kUnavailable naming the label.
Result<HttpReply> http_get(const std::string& url, const HttpGetOptions& options);

}  // namespace leadproc::jobs
