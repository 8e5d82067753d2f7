// The Meta lead fetcher (issue 19 items 1 and 3; docs/intake.md): takes the receipts the webhook
// stored (app/meta_intake.h) that are due, fetches each lead from the Graph API with its page's
// access token, and ingests it; a failure is retried with backoff or left failed with its reason.
// It runs on a thread of its own in `leadproc serve`, woken when a webhook stores receipts and
// every few seconds; several instances may run it at once (a lead is still stored once: the
// receipt is marked in the lead's transaction, and a second worker's ingestion rolls back).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "app/context.h"
#include "jobs/http_get.h"

namespace leadproc::jobs {

// GETs a Graph API URL (which holds an access token: implementations must not log it).
using GraphGet = std::function<Result<HttpReply>(const std::string& url)>;

// The libcurl GraphGet: 30 s timeout, no redirects, 1 MiB body cap, errors naming "the Graph
// API" instead of the URL.
GraphGet curl_graph_get();

struct MetaFetchCounts {
  int ingested = 0;  // leads stored
  int already = 0;   // receipts another worker ingested meanwhile
  int retrying = 0;  // failed attempts left pending, to be retried
  int failed = 0;    // receipts that became failed
};

// Processes the receipts due at ctx.now(), at most `limit` of them. Errors: the store failed.
Result<MetaFetchCounts> fetch_due_meta_leads(AppContext& ctx, const GraphGet& get, int limit);

class MetaLeadWorker {
 public:
  // After each pass: what it did, and the receipts now failed and pending (for /metrics).
  using Report =
      std::function<void(const MetaFetchCounts& pass, std::int64_t failed, std::int64_t pending)>;
  // Starts the thread: a pass at once, then on every wake() and every `tick`.
  MetaLeadWorker(AppContext& ctx, GraphGet get, Report report,
                 std::function<void(const std::string& line)> log,
                 std::chrono::milliseconds tick = std::chrono::seconds(5));
  ~MetaLeadWorker();  // stops the loop (a pass in progress finishes) and joins
  MetaLeadWorker(const MetaLeadWorker&) = delete;
  MetaLeadWorker& operator=(const MetaLeadWorker&) = delete;

  // Asks for a pass now (thread-safe, cheap: the webhook calls it).
  void wake();

 private:
  void pass();

  AppContext& ctx_;
  GraphGet get_;
  Report report_;
  std::function<void(const std::string&)> log_;
  std::chrono::milliseconds tick_;
  std::mutex mu_;
  bool woken_ = false;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: starts after the members it uses exist, stops before they go
};

}  // namespace leadproc::jobs
