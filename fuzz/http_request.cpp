// Fuzz target: one connection to the whole HTTP stack. The input is the raw bytes a client sends
// on a TCP connection to a real http::Server (Beast's parser, the server's limits and timeouts,
// the router, the access guard, every handler) serving the fuzz fixture's application
// (app_fixture.h) on a loopback port. The target writes the bytes, half-closes, and reads until
// the server closes. Per input: the server must close the connection (no hang), and must never
// answer 500 (a handler threw; the SQLite store does not fail here).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "app_fixture.h"
#include "http/server.h"

namespace {

std::uint16_t server_port() {
  static const std::uint16_t port = [] {
    auto& a = leadproc::fuzz::app();
    leadproc::http::ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.io_threads = 1;
    config.worker_threads = 2;
    config.handle_signals = false;
    // Kept for the process's life: its threads serve until the fuzzer exits.
    auto* server = std::make_unique<leadproc::http::Server>(config, a.router, a.metrics).release();
    std::thread([server] { server->run(); }).detach();
    return server->port();
  }();
  return port;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "http_request: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint16_t port = server_port();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fail("connect");
  // The server may answer and close before it has read everything (413, 431, 400): a failed
  // send is then expected, not a finding.
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string response;
  char buf[16384];
  // Far below the server's 30 s timeouts: after the client's FIN a server that waits for more
  // bytes is hanging on a request that can never complete.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) fail("the server did not close the connection within 20 s");
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;  // libFuzzer's -timeout alarm
    if (ready < 0) fail("poll");
    if (ready == 0) continue;  // the deadline check above fails it
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // closed (or reset after an early answer)
    response.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  // An HTTP/1.0 request is answered in HTTP/1.0.
  if (!response.empty() && response.rfind("HTTP/1.", 0) != 0) fail("not an HTTP response");
  if (response.find(" 500 Internal Server Error\r\n") != std::string::npos) fail("a 500 answer");
  return 0;
}
