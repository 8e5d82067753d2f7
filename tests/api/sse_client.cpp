#include "sse_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace leadproc::apitest {

json::value SseEvent::json() const {
  boost::system::error_code ec;
  json::value v = json::parse(data, ec);
  return ec ? json::value() : v;
}

SseClient::SseClient(std::uint16_t port, const std::string& path, const Headers& headers,
                     std::chrono::seconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw FixtureError("sse: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw FixtureError("sse: cannot connect to port " + std::to_string(port));
  std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    throw FixtureError("sse: cannot send the request");

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t end = std::string::npos;
  while ((end = raw_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline)) throw FixtureError("sse: no answer header within the timeout: " + raw_);
  }
  const std::string head = raw_.substr(0, end);
  raw_.erase(0, end + 4);
  // "HTTP/1.1 200 OK"
  status_ = std::stoi(head.substr(9, 3));
  std::size_t at = head.find("\r\n");
  while (at != std::string::npos) {
    const std::size_t next = head.find("\r\n", at + 2);
    const std::string line = head.substr(at + 2, next == std::string::npos ? next : next - at - 2);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      headers_.emplace_back(std::move(name), std::move(value));
    }
    at = next;
  }
  Response recorded;
  recorded.status = status_;
  for (const auto& [name, value] : headers_) recorded.headers[name] = value;
  if (header("transfer-encoding") == "chunked") {
    // The first chunk: what the server wrote with its header (retry, a comment, a replay).
    while (text_.empty() && !ended_) {
      decode_chunks();
      if (text_.empty() && !ended_ && !fill(deadline)) break;
    }
    recorded.body = text_;
  } else {
    const std::size_t length = static_cast<std::size_t>(std::stoul("0" + header("content-length")));
    while (raw_.size() < length && fill(deadline)) {
    }
    body_ = raw_.substr(0, length);
    recorded.body = body_;
  }
  record_answer("GET", path, recorded);
}

SseClient::~SseClient() {
  close();
}

void SseClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string SseClient::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers_)
    if (name == lower_name) return value;
  return "";
}

bool SseClient::fill(std::chrono::steady_clock::time_point deadline) {
  if (fd_ < 0) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[8192];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool SseClient::decode_chunks() {
  for (;;) {
    const std::size_t line_end = raw_.find("\r\n");
    if (line_end == std::string::npos) return true;
    const std::size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
    if (size == 0) {
      ended_ = true;
      return false;
    }
    if (raw_.size() < line_end + 2 + size + 2) return true;
    text_.append(raw_, line_end + 2, size);
    raw_.erase(0, line_end + 2 + size + 2);
  }
}

std::optional<SseEvent> SseClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    decode_chunks();
    // A message ends with an empty line.
    while (true) {
      const std::size_t end = text_.find("\n\n");
      if (end == std::string::npos) break;
      const std::string block = text_.substr(0, end);
      text_.erase(0, end + 2);
      SseEvent e;
      bool any = false;
      std::size_t at = 0;
      while (at <= block.size()) {
        std::size_t nl = block.find('\n', at);
        if (nl == std::string::npos) nl = block.size();
        const std::string line = block.substr(at, nl - at);
        at = nl + 1;
        if (line.empty()) continue;
        if (line[0] == ':') {
          ++comments_;
          continue;
        }
        const auto colon = line.find(':');
        const std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (field == "id") e.id = value, any = true;
        if (field == "event") e.type = value, any = true;
        if (field == "data") e.data += (e.data.empty() ? "" : "\n") + value, any = true;
      }
      if (!any || (e.data.empty() && e.type.empty())) continue;  // comments, retry:
      if (e.type.empty()) e.type = "message";
      return e;
    }
    if (ended_ || !fill(deadline)) return std::nullopt;
  }
}

std::optional<SseEvent> SseClient::next_of(const std::string& type,
                                           std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto e = next(left);
    if (!e) return std::nullopt;
    if (e->type == type) return e;
    skipped_.push_back(std::move(*e));
  }
}

}  // namespace leadproc::apitest
