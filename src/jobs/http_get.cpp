#include "jobs/http_get.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace leadproc::jobs {
namespace {

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct Body {
  std::string data;
  std::size_t cap = 0;
  bool too_large = false;
};

std::size_t write_body(char* ptr, std::size_t size, std::size_t nmemb, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t n = size * nmemb;
  if (body->data.size() + n > body->cap) {
    body->too_large = true;
    return 0;  // aborts the transfer
  }
  body->data.append(ptr, n);
  return n;
}

}  // namespace

Result<HttpReply> http_get(const std::string& url, const HttpGetOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::string& label = options.label.empty() ? url : options.label;
  CurlEasy h(curl_easy_init());
  if (!h) return Error::internal("curl_easy_init failed");
  Body body;
  body.cap = options.max_body_bytes;
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, options.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, options.timeout_seconds);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate if offered
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  const CURLcode rc = curl_easy_perform(h.get());
  if (body.too_large)
    return Error::unavailable("fetching " + label + ": the body exceeds " +
                              std::to_string(options.max_body_bytes) + " bytes");
  if (rc != CURLE_OK) {
    // curl's message may quote the URL (a redirect's, say): with a label, only the code's text.
    const std::string why =
        options.label.empty() && errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc);
    return Error::unavailable("fetching " + label + " failed: " + why);
  }
  HttpReply reply;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(body.data);
  return reply;
}

}  // namespace leadproc::jobs
