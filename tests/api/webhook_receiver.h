// A webhook subscriber for the tests: an HTTP/1.1 server on 127.0.0.1 that records every POST
// (request line, headers and body) and answers each with what `answer` says, keeping each
// connection open for the client's next request (a thread per connection). The conversions
// tests use it as the Meta and Google stand-in too (any path on url()'s host and port). Signatures
// are verified here with OpenSSL directly (not with leadproc's code), as a subscriber would
// (docs/events.md).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace leadproc::apitest {

struct Received {
  std::string method;
  std::string target;                          // the path and query, as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct Answer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "ok";
  std::chrono::milliseconds delay{0};  // before answering
};

class WebhookReceiver {
 public:
  using Answerer = std::function<Answer(const Received&, int nth)>;  // nth: 1-based
  explicit WebhookReceiver(Answerer answer = nullptr);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const;   // http://127.0.0.1:{port}/hooks
  std::string base() const;  // http://127.0.0.1:{port}
  void set_answer(Answerer answer);
  std::vector<Received> received();
  int connections();  // TCP connections accepted so far
  // Waits (bounded, 60 s) until `pred(received())` holds; the last received list either way.
  std::vector<Received> wait_for(const std::function<bool(const std::vector<Received>&)>& pred,
                                 std::chrono::seconds bound = std::chrono::seconds(60));

 private:
  // Reads one request from `c` (after what `pending` holds of it) and answers it; false when the
  // connection is done. Leaves in `pending` what the client sent after the request.
  bool serve(int c, std::string& pending);
  int fd_ = -1;
  int port_ = 0;
  std::mutex mu_;
  Answerer answer_;
  std::vector<Received> received_;
  int connections_ = 0;                          // under mu_
  std::vector<int> open_;                        // accepted sockets, closed at the end; under mu_
  std::vector<std::thread> connection_threads_;  // written by thread_ only, joined after it
  std::thread thread_;
};

// True iff `header` (webhook-signature) holds a "v1," signature of "{id}.{timestamp}.{body}" under
// `secret` ("whsec_" + base64 key).
bool signature_verifies(const std::string& secret, const std::string& header, const std::string& id,
                        const std::string& timestamp, const std::string& body);

}  // namespace leadproc::apitest
