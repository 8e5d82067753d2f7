// The webhook sender (issue 20 items 2 and 3; docs/events.md): a thread of `leadproc serve` that
// fans the outbox's new events out to the subscriptions (app/webhooks.h) and POSTs each due
// delivery, signed per Standard Webhooks (crypto/webhook_signing.h), then records the round's
// attempts.
// - At least once: a delivery is pending until a 2xx is recorded; a crash between the POST and
//   the record sends it again, with the same webhook-id.
// - In order per opportunity: a delivery is taken only when no earlier one of its opportunity is
//   pending for that subscription.
// - Per-subscription backoff: a failure blocks that subscription alone until its retry is due.
// - Several instances (PostgreSQL): a delivery is claimed for `lease` with SKIP LOCKED, so two
//   instances never send it at once; on SQLite the lease is zero (one sender in the process).
// - Intake first: the signing and POSTs run on a thread at nice `nice` (NicedWorker), so that
//   while intake keeps the cores busy, delivery gets what CPU is left and lags, then catches up;
//   the store work stays on the sender's own thread, at the process's priority.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <thread>

#include "app/context.h"
#include "app/webhooks.h"
#include "jobs/address_guard.h"
#include "jobs/http_get.h"
#include "jobs/niced_worker.h"

namespace leadproc::jobs {

struct WebhookSenderConfig {
  AddressGuard guard;
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds timeout{15};  // the whole request
  std::chrono::seconds lease{0};     // PostgreSQL: how long a claim holds (longer than timeout)
  std::chrono::milliseconds tick{250};
  int batch = 20;  // deliveries taken per subscription per round
  // The nice value (0..19) of the thread that signs and POSTs (LEADPROC_WEBHOOK_NICE): 19 gives
  // intake the CPU whenever it wants it, and delivery lags during a burst (docs/events.md).
  int nice = 0;
};

// POSTs one webhook: (url, headers, body) → the reply or a transport failure.
using WebhookPost = std::function<Result<HttpReply>(
    const std::string& url, const HttpHeaders& headers, const std::string& body)>;
// The libcurl WebhookPost: no redirects, the timeouts of `config`, a 64 KiB answer cap and the
// address guard.
WebhookPost curl_webhook_post(const WebhookSenderConfig& config);

// Signs and POSTs `due` (one subscription's claimed deliveries, in order), stopping after the
// first failure (it backs the subscription off) or once `stop` is requested; each attempt's
// outcome, in order, to be recorded (record_attempts). Touches no store.
std::vector<NextStep> post_deliveries(AppContext& ctx, const WebhookSubscription& s,
                                      const std::vector<WebhookDelivery>& due,
                                      const WebhookPost& post, std::mt19937_64& rng,
                                      const std::stop_token& stop);

// How a round has its deliveries sent: post_deliveries, on whatever thread.
using DeliverBatch = std::function<std::vector<NextStep>(const WebhookSubscription& s,
                                                         const std::vector<WebhookDelivery>& due)>;

// One round: fan out, then send what is due for every enabled subscription that is not backed
// off, recording each subscription's attempts in one transaction. Returns how many attempts were
// made. Errors: the store failed.
Result<int> send_due_webhooks(AppContext& ctx, const WebhookSenderConfig& config,
                              const DeliverBatch& deliver);

class WebhookSender {
 public:
  WebhookSender(AppContext& ctx, WebhookSenderConfig config,
                std::function<void(const std::string& line)> log);
  ~WebhookSender();  // stops the loop (an attempt in progress finishes) and joins
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void wake();

 private:
  AppContext& ctx_;
  WebhookSenderConfig config_;
  WebhookPost post_;
  std::function<void(const std::string&)> log_;
  std::mt19937_64 rng_;  // used by the worker's thread only
  NicedWorker worker_;   // signs and POSTs
  std::mutex mu_;
  bool woken_ = false;
  std::condition_variable_any cv_;
  std::jthread thread_;  // last
};

}  // namespace leadproc::jobs
