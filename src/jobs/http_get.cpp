#include "jobs/http_get.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <string_view>

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

// Keeps the Retry-After header (the last answer's, after redirects).
std::size_t read_header(char* ptr, std::size_t size, std::size_t nmemb, void* user) {
  auto* retry_after = static_cast<std::string*>(user);
  const std::size_t n = size * nmemb;
  std::string_view line(ptr, n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      line.remove_prefix(kName.size());
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
        line.remove_suffix(1);
      *retry_after = std::string(line);
    }
  }
  return n;
}

struct SocketGuard {
  const std::function<bool(const sockaddr*)>* allow;
  bool refused = false;
};

curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && guard->allow && *guard->allow &&
      !(*guard->allow)(&address->addr)) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

CurlEasy new_handle() {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return CurlEasy(curl_easy_init());
}

// One request on `h`, whose options are reset first (its cache of open connections is kept).
Result<HttpReply> perform(CurlEasy& h, const std::string& url, const HttpHeaders* headers,
                          const std::string* post_body, const HttpGetOptions& options) {
  const std::string& label = options.label.empty() ? url : options.label;
  if (!h) return Error::internal("curl_easy_init failed");
  curl_easy_reset(h.get());
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
  if (options.connect_timeout_seconds > 0)
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  HttpReply reply;
  curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &reply.retry_after);
  SocketGuard guard{&options.allow_address};
  if (options.allow_address) {
    curl_easy_setopt(h.get(), CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(h.get(), CURLOPT_OPENSOCKETDATA, &guard);
  }
  std::unique_ptr<curl_slist, CurlSlistDeleter> header_list;
  if (headers) {
    for (const auto& [name, value] : *headers) {
      // "Name:" with nothing after it removes a header curl would add (Expect: 100-continue).
      const std::string line = value.empty() ? name + ":" : name + ": " + value;
      curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
      if (!next) return Error::internal("curl_slist_append failed");
      (void)header_list.release();
      header_list.reset(next);
    }
    curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, header_list.get());
  }
  if (post_body) {
    curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(post_body->size()));
  }
  const CURLcode rc = curl_easy_perform(h.get());
  if (body.too_large)
    return Error::unavailable("fetching " + label + ": the body exceeds " +
                              std::to_string(options.max_body_bytes) + " bytes");
  if (rc != CURLE_OK && guard.refused)
    return Error::unavailable("requesting " + label +
                              ": refused, its address is loopback, private or link-local and "
                              "not allowed (LEADPROC_WEBHOOK_ALLOW_NETWORKS)");
  if (rc != CURLE_OK) {
    // curl's message may quote the URL (a redirect's, say): with a label, only the code's text.
    const std::string why =
        options.label.empty() && errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc);
    return Error::unavailable("fetching " + label + " failed: " + why);
  }
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(body.data);
  return reply;
}

}  // namespace

Result<HttpReply> http_get(const std::string& url, const HttpGetOptions& options) {
  CurlEasy h = new_handle();
  return perform(h, url, nullptr, nullptr, options);
}

Result<HttpReply> http_post(const std::string& url, const HttpHeaders& headers,
                            const std::string& body, const HttpGetOptions& options) {
  CurlEasy h = new_handle();
  return perform(h, url, &headers, &body, options);
}

struct HttpSession::Handle {
  std::mutex mu;
  CurlEasy curl = new_handle();
};

HttpSession::HttpSession() : handle_(std::make_unique<Handle>()) {}
HttpSession::~HttpSession() = default;

Result<HttpReply> HttpSession::post(const std::string& url, const HttpHeaders& headers,
                                    const std::string& body, const HttpGetOptions& options) {
  std::lock_guard lock(handle_->mu);
  return perform(handle_->curl, url, &headers, &body, options);
}

}  // namespace leadproc::jobs
