// The Server end to end over loopback: routing, headers, problem responses, port file, stop(),
// and overload (queue full, queue deadline, routes answered on the I/O thread).
// Uses plain POSIX sockets as the client so that this file needs no Beast headers.
// Links leadproc_http and GTest::gtest_main.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"

namespace leadproc::http {
namespace {

// Sends `request` to 127.0.0.1:`port` and returns everything read until the server closes
// (requests should carry "Connection: close"). Gives up after 5 s of silence.
std::string roundtrip(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  }
  ::close(fd);
  return out;
}

std::string get(std::uint16_t port, const std::string& method, const std::string& target,
                const std::string& extra_headers = "") {
  return roundtrip(port, method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers +
                             "Connection: close\r\n\r\n");
}

// A config for tests: no signal handling. (Assignments rather than designated initializers:
// g++ 12 -Wextra warns when a designated initializer skips a member.)
ServerConfig test_config(std::string listen, int worker_threads = 1) {
  ServerConfig config;
  config.listen = std::move(listen);
  config.worker_threads = worker_threads;
  config.handle_signals = false;
  return config;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/items/{id}", "item_get", [](Request& req) {
      Response res;
      res.body = req.params.at("id") + "|" + req.query["q"] + "|" + req.trace_id;
      return res;
    });
    router_.add("GET", "/boom", "boom",
                [](Request&) -> Response { throw std::runtime_error("expected test failure"); });
    port_file_ = std::filesystem::temp_directory_path() /
                 ("leadproc_server_test_" + std::to_string(::getpid()) + ".port");
    ServerConfig config = test_config("127.0.0.1:0", 2);
    config.port_file = port_file_.string();
    server_ = std::make_unique<Server>(config, router_, metrics_);
    thread_ = std::thread([this] { rc_ = server_->run(); });
  }

  void TearDown() override {
    server_->stop();
    thread_.join();
    EXPECT_EQ(rc_, 0);
    std::filesystem::remove(port_file_);
  }

  Router router_;
  Metrics metrics_;
  std::filesystem::path port_file_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int rc_ = -1;
};

TEST_F(ServerTest, AnswersWithParamsQueryTraceIdAndSecurityHeaders) {
  const std::string res =
      get(server_->port(), "GET", "/items/a%20b?q=x+y", "X-Request-Id: t-1\r\n");
  EXPECT_EQ(res.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << res;
  EXPECT_NE(res.find("X-Request-Id: t-1\r\n"), std::string::npos);
  EXPECT_NE(res.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(res.find("X-Frame-Options: DENY\r\n"), std::string::npos);
  EXPECT_NE(res.find("Referrer-Policy: no-referrer\r\n"), std::string::npos);
  EXPECT_NE(res.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(res.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(res.find("\r\n\r\na b|x y|t-1"), std::string::npos) << res;

  const std::string text = metrics_.render();
  EXPECT_NE(text.find("leadproc_http_requests_total{method=\"GET\",route=\"item_get\","
                      "status=\"200\"} 1"),
            std::string::npos)
      << text;
}

TEST_F(ServerTest, ReplacesAnInvalidRequestIdWithAGeneratedOne) {
  const std::string res = get(server_->port(), "GET", "/items/1", "X-Request-Id: a b\r\n");
  const auto at = res.find("X-Request-Id: ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(res.substr(at + 14, res.find("\r\n", at) - at - 14).size(), 16u);
}

TEST_F(ServerTest, AnswersProblemJsonFor404And405And500) {
  const std::string not_found = get(server_->port(), "GET", "/nope");
  EXPECT_EQ(not_found.rfind("HTTP/1.1 404 ", 0), 0u) << not_found;
  EXPECT_NE(not_found.find("Content-Type: application/problem+json\r\n"), std::string::npos);
  EXPECT_NE(not_found.find("\"status\":404"), std::string::npos);

  const std::string wrong_method = get(server_->port(), "DELETE", "/items/1");
  EXPECT_EQ(wrong_method.rfind("HTTP/1.1 405 ", 0), 0u) << wrong_method;
  EXPECT_NE(wrong_method.find("Allow: GET\r\n"), std::string::npos);

  const std::string failed = get(server_->port(), "GET", "/boom");
  EXPECT_EQ(failed.rfind("HTTP/1.1 500 ", 0), 0u) << failed;
  EXPECT_NE(failed.find("\"type\":\"about:blank\""), std::string::npos);
  EXPECT_EQ(failed.find("expected test failure"), std::string::npos);  // no internals leak

  // The server survives the throwing handler.
  EXPECT_EQ(get(server_->port(), "GET", "/items/2").rfind("HTTP/1.1 200 ", 0), 0u);
}

TEST_F(ServerTest, WritesThePortFile) {
  // run() writes the file on start; wait for it without assuming thread timing.
  for (int i = 0; i < 200 && !std::filesystem::exists(port_file_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(port_file_);
  int port = 0;
  in >> port;
  EXPECT_NE(port, 0);
  EXPECT_EQ(port, server_->port());
}

TEST(Server, StopBeforeRunReturnsPromptly) {
  Router router;
  Metrics metrics;
  Server server(test_config("127.0.0.1:0"), router, metrics);
  EXPECT_NE(server.port(), 0);
  server.stop();
  EXPECT_EQ(server.run(), 0);
}

TEST(Server, RejectsABadListenAddress) {
  Router router;
  Metrics metrics;
  EXPECT_ANY_THROW(Server(test_config("127.0.0.1"), router, metrics));
  EXPECT_ANY_THROW(Server(test_config("127.0.0.1:70000"), router, metrics));
  EXPECT_THROW(Server(test_config("127.0.0.1:0", 0), router, metrics), std::invalid_argument);
}

// Overload

// Holds handlers until opened; counts the handlers that entered.
class Gate {
 public:
  void pass() {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits up to 5 s until `n` handlers have entered; true if they did.
  bool wait_entered(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return entered_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = false;
};

// One worker; GET /block waits at the gate, GET /count counts its runs, GET /live runs on the
// I/O thread.
class OverloadTest : public ::testing::Test {
 protected:
  void start(std::size_t max_queue, std::chrono::milliseconds deadline) {
    router_.add("GET", "/block", "block", Access::public_route(), [this](Request&) {
      gate_.pass();
      return Response{};
    });
    router_.add("GET", "/count", "count", Access::public_route(), [this](Request&) {
      ++counted_;
      return Response{};
    });
    router_.add(
        "GET", "/live", "live", Access::public_route(), [](Request&) { return Response{}; },
        Execution::kIoThread);
    ServerConfig config = test_config("127.0.0.1:0", 1);
    config.max_queue = max_queue;
    config.queue_deadline = deadline;
    server_ = std::make_unique<Server>(config, router_, metrics_);
    thread_ = std::thread([this] { rc_ = server_->run(); });
  }

  void TearDown() override {
    gate_.open();
    if (!server_) return;
    server_->stop();
    thread_.join();
    EXPECT_EQ(rc_, 0);
  }

  // GET `path` in the background.
  std::future<std::string> get_async(const std::string& path) {
    const std::uint16_t port = server_->port();
    return std::async(std::launch::async, [port, path] { return get(port, "GET", path); });
  }

  // Waits up to 5 s until `n` requests wait for or run on the worker.
  bool wait_queued(std::size_t n) {
    for (int i = 0; i < 500 && server_->queued() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return server_->queued() >= n;
  }

  Router router_;
  Metrics metrics_;
  Gate gate_;
  std::atomic<int> counted_{0};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int rc_ = -1;
};

bool is_shed_503(const std::string& res) {
  return res.rfind("HTTP/1.1 503 ", 0) == 0 &&
         res.find("Retry-After: 1\r\n") != std::string::npos &&
         res.find("application/problem+json") != std::string::npos;
}

TEST_F(OverloadTest, AFullQueueAnswers503AtOnceWithoutRunningTheHandler) {
  start(1, std::chrono::milliseconds(0));
  auto blocked = get_async("/block");
  ASSERT_TRUE(gate_.wait_entered(1));  // the one slot is taken

  const std::string shed = get(server_->port(), "GET", "/count");
  EXPECT_TRUE(is_shed_503(shed)) << shed;
  EXPECT_EQ(counted_.load(), 0);

  gate_.open();
  EXPECT_EQ(blocked.get().rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(get(server_->port(), "GET", "/count").rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(counted_.load(), 1);
  EXPECT_NE(metrics_.render().find("leadproc_http_shed_total{reason=\"queue_full\"} 1"),
            std::string::npos)
      << metrics_.render();
}

TEST_F(OverloadTest, ARequestThatWaitedPastTheDeadlineIsShedWithoutRunningItsHandler) {
  const auto deadline = std::chrono::milliseconds(20);
  start(16, deadline);
  auto blocked = get_async("/block");
  ASSERT_TRUE(gate_.wait_entered(1));
  auto waiting = get_async("/count");
  ASSERT_TRUE(wait_queued(2));  // queued behind /block, which holds the only worker
  // It has now waited at least this long, whatever the machine's speed.
  std::this_thread::sleep_for(deadline * 3);
  gate_.open();

  const std::string shed = waiting.get();
  EXPECT_TRUE(is_shed_503(shed)) << shed;
  EXPECT_EQ(counted_.load(), 0) << "the shed request's handler ran";
  EXPECT_EQ(blocked.get().rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_NE(metrics_.render().find("leadproc_http_shed_total{reason=\"queue_deadline\"} 1"),
            std::string::npos)
      << metrics_.render();
}

TEST_F(OverloadTest, WithoutADeadlineAQueuedRequestWaitsForItsTurn) {
  start(16, std::chrono::milliseconds(0));
  auto blocked = get_async("/block");
  ASSERT_TRUE(gate_.wait_entered(1));
  auto waiting = get_async("/count");
  ASSERT_TRUE(wait_queued(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  gate_.open();
  EXPECT_EQ(waiting.get().rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(counted_.load(), 1);
  EXPECT_EQ(blocked.get().rfind("HTTP/1.1 200 ", 0), 0u);
}

TEST_F(OverloadTest, IoThreadRoutesAnswerWhileTheWorkersAreBusyAndTheQueueIsFull) {
  start(1, std::chrono::milliseconds(500));
  auto blocked = get_async("/block");
  ASSERT_TRUE(gate_.wait_entered(1));
  EXPECT_TRUE(is_shed_503(get(server_->port(), "GET", "/count")));  // the queue is full
  const std::string live = get(server_->port(), "GET", "/live");
  EXPECT_EQ(live.rfind("HTTP/1.1 200 ", 0), 0u) << live;
  EXPECT_NE(live.find("X-Request-Id: "), std::string::npos);
  gate_.open();
  EXPECT_EQ(blocked.get().rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_NE(metrics_.render().find("route=\"live\",status=\"200\"} 1"), std::string::npos)
      << metrics_.render();
}

TEST(Server, RejectsAnEmptyQueueAndANegativeDeadline) {
  Router router;
  Metrics metrics;
  ServerConfig no_queue = test_config("127.0.0.1:0");
  no_queue.max_queue = 0;
  EXPECT_THROW(Server(no_queue, router, metrics), std::invalid_argument);
  ServerConfig negative = test_config("127.0.0.1:0");
  negative.queue_deadline = std::chrono::milliseconds(-1);
  EXPECT_THROW(Server(negative, router, metrics), std::invalid_argument);
}

}  // namespace
}  // namespace leadproc::http
