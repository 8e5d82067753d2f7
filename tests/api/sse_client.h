// A Server-Sent Events client for the API tests (GET /api/v1/events/stream), over a real
// loopback TCP connection: it sends the request, reads the answer's header, then decodes the
// chunked body into events as they arrive. Plain POSIX sockets: the stream never ends, which a
// request-response client such as the harness's libcurl one cannot wait on piece by piece.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"

namespace leadproc::apitest {

struct SseEvent {
  std::string id;    // "" when the message had none (a reset)
  std::string type;  // the `event:` field ("message" when absent)
  std::string data;  // the `data:` lines joined with "\n"
  json::value json() const;
};

class SseClient {
 public:
  // Connects to 127.0.0.1:`port` and sends GET `path` with `headers`; then reads the status and
  // header (within `timeout`). The first chunk (what the server sent with its header) is read
  // too and recorded for the OpenAPI check (harness.h record_answer).
  SseClient(std::uint16_t port, const std::string& path, const Headers& headers,
            std::chrono::seconds timeout = std::chrono::seconds(15));
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const { return status_; }
  std::string header(const std::string& lower_name) const;
  // The body of an answer that is not a stream (a problem): read to its end.
  const std::string& body() const { return body_; }

  // The next event, waiting at most `timeout` for it; nullopt if none came (or the stream
  // ended). Comments (heartbeats, ": connected") are skipped.
  std::optional<SseEvent> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next event of type `type` within `timeout`, skipping others (kept in skipped()).
  std::optional<SseEvent> next_of(const std::string& type,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const std::vector<SseEvent>& skipped() const { return skipped_; }
  // True once the server ended the stream (its last chunk, or the connection closed).
  bool ended() const { return ended_; }
  // How many comment lines (": ...") were read so far.
  int comments() const { return comments_; }
  void close();

 private:
  // Reads more bytes into raw_ (false: closed or timed out by `deadline`).
  bool fill(std::chrono::steady_clock::time_point deadline);
  // Moves the complete chunks of raw_ into text_ (false: the last chunk was read).
  bool decode_chunks();

  int fd_ = -1;
  int status_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
  std::string raw_;   // bytes read, not yet decoded
  std::string text_;  // the decoded stream, not yet parsed into events
  bool ended_ = false;
  int comments_ = 0;
  std::vector<SseEvent> skipped_;
};

}  // namespace leadproc::apitest
