#include "webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace leadproc::apitest {

WebhookReceiver::WebhookReceiver(Answerer answer) : answer_(std::move(answer)) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
    return;
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    for (;;) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::lock_guard lock(mu_);
      ++connections_;
      open_.push_back(c);
      // Each connection on its own thread, its requests one after another (keep-alive).
      connection_threads_.emplace_back([this, c] {
        std::string pending;
        while (serve(c, pending)) {
        }
        ::shutdown(c, SHUT_RDWR);
      });
    }
  });
}

WebhookReceiver::~WebhookReceiver() {
  ::shutdown(fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mu_);
    for (int c : open_) ::shutdown(c, SHUT_RDWR);
  }
  for (auto& t : connection_threads_) t.join();
  for (int c : open_) ::close(c);
  ::close(fd_);
}

int WebhookReceiver::connections() {
  std::lock_guard lock(mu_);
  return connections_;
}

std::string WebhookReceiver::url() const {
  return base() + "/hooks";
}

std::string WebhookReceiver::base() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void WebhookReceiver::set_answer(Answerer answer) {
  std::lock_guard lock(mu_);
  answer_ = std::move(answer);
}

std::vector<Received> WebhookReceiver::received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::vector<Received> WebhookReceiver::wait_for(
    const std::function<bool(const std::vector<Received>&)>& pred, std::chrono::seconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  for (;;) {
    auto r = received();
    if (pred(r) || std::chrono::steady_clock::now() > until) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool WebhookReceiver::serve(int c, std::string& pending) {
  std::string req = std::move(pending);
  pending.clear();
  char buf[8192];
  std::size_t head_end = std::string::npos;
  while ((head_end = req.find("\r\n\r\n")) == std::string::npos) {
    ssize_t got = ::recv(c, buf, sizeof buf, 0);
    if (got <= 0) return false;
    req.append(buf, static_cast<std::size_t>(got));
  }
  Received r;
  const std::string request_line = req.substr(0, req.find("\r\n"));
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  r.method = request_line.substr(0, sp1);
  if (sp1 != std::string::npos) r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::size_t pos = req.find("\r\n") + 2;
  while (pos < head_end) {
    const std::size_t eol = req.find("\r\n", pos);
    const std::string line = req.substr(pos, eol - pos);
    pos = eol + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
  }
  const std::size_t length =
      r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
  r.body = req.substr(head_end + 4);
  while (r.body.size() < length) {
    ssize_t got = ::recv(c, buf, sizeof buf, 0);
    if (got <= 0) return false;
    r.body.append(buf, static_cast<std::size_t>(got));
  }
  pending = r.body.substr(length);  // the start of a next request, if the client sent one
  r.body.resize(length);
  Answerer answer;
  int nth = 0;
  {
    std::lock_guard lock(mu_);
    received_.push_back(r);
    nth = static_cast<int>(received_.size());
    answer = answer_;
  }
  Answer a = answer ? answer(r, nth) : Answer{};
  if (a.delay.count() > 0) std::this_thread::sleep_for(a.delay);
  std::string resp = "HTTP/1.1 " + std::to_string(a.status) +
                     " X\r\nContent-Length: " + std::to_string(a.body.size()) + "\r\n";
  for (const auto& [k, v] : a.headers) resp += k + ": " + v + "\r\n";
  resp += "\r\n" + a.body;
  std::size_t sent = 0;
  while (sent < resp.size()) {
    ssize_t w = ::send(c, resp.data() + sent, resp.size() - sent, MSG_NOSIGNAL);
    if (w <= 0) return false;
    sent += static_cast<std::size_t>(w);
  }
  return true;
}

bool signature_verifies(const std::string& secret, const std::string& header, const std::string& id,
                        const std::string& timestamp, const std::string& body) {
  const std::string b64 = secret.substr(secret.find('_') + 1);
  std::string key(b64.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  if (n < 0) return false;
  std::size_t pad = 0;
  for (auto it = b64.rbegin(); it != b64.rend() && *it == '='; ++it) ++pad;
  key.resize(static_cast<std::size_t>(n) - pad);
  const std::string content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
  std::string sig(4 * ((len + 2) / 3) + 1, '\0');
  const int m =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(sig.data()), mac, static_cast<int>(len));
  sig.resize(static_cast<std::size_t>(m));
  const std::string expected = "v1," + sig;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto space = header.find(' ', start);
    if (header.substr(start, space - start) == expected) return true;
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return false;
}

}  // namespace leadproc::apitest
