#include "jobs/webhook_sender.h"

#include <pthread.h>

#include <charconv>

#include "crypto/webhook_signing.h"

namespace leadproc::jobs {
namespace {

constexpr int kFanOutBatch = 500;
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

std::optional<std::chrono::seconds> retry_after_of(const std::string& value) {
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

// Sends one delivery; what happened, to be recorded (record_attempts).
NextStep send_one(AppContext& ctx, const WebhookSubscription& s, const WebhookDelivery& d,
                  const WebhookPost& post, std::mt19937_64& rng) {
  const Timestamp now = ctx.now();
  const std::int64_t timestamp =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const HttpHeaders headers{
      {"Content-Type", "application/json"},
      {"Expect", ""},  // no 100-continue round trip before the body
      {"webhook-id", d.event_id},
      {"webhook-timestamp", std::to_string(timestamp)},
      {"webhook-signature", webhook_signature(signing_keys(s, now), d.event_id, timestamp, d.body)},
  };
  const auto started = std::chrono::steady_clock::now();
  auto reply = post(s.url, headers, d.body);
  AttemptOutcome outcome;
  outcome.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  if (reply) {
    outcome.status = static_cast<int>(reply->status);
    outcome.response = std::move(reply->body);
    outcome.retry_after = retry_after_of(reply->retry_after);
  } else {
    outcome.error = reply.error().detail;
  }
  return next_step(d, outcome, ctx.now(), rng);
}

}  // namespace

WebhookPost curl_webhook_post(const WebhookSenderConfig& config) {
  HttpGetOptions options;
  options.timeout_seconds = config.timeout.count();
  options.connect_timeout_seconds = config.connect_timeout.count();
  options.max_redirects = 0;  // a redirect is an answer (3xx: a failure), never followed
  options.max_body_bytes = kMaxAnswerBytes;
  options.user_agent = "leadproc-webhooks/1";
  options.label = "the webhook URL";
  options.allow_address = [guard = config.guard](const sockaddr* a) { return guard.allows(a); };
  // One session per sender: deliveries to a subscriber reuse its connection.
  return [options, session = std::make_shared<HttpSession>()](
             const std::string& url, const HttpHeaders& headers, const std::string& body) {
    return session->post(url, headers, body, options);
  };
}

std::vector<NextStep> post_deliveries(AppContext& ctx, const WebhookSubscription& s,
                                      const std::vector<WebhookDelivery>& due,
                                      const WebhookPost& post, std::mt19937_64& rng,
                                      const std::stop_token& stop) {
  std::vector<NextStep> steps;
  for (const WebhookDelivery& d : due) {
    if (stop.stop_requested()) break;  // the rest stay pending (PostgreSQL: until the lease ends)
    steps.push_back(send_one(ctx, s, d, post, rng));
    // A failure backs the subscription off: its other claimed deliveries wait (their claims
    // end with the lease; on SQLite at once).
    if (steps.back().delivery.status != "delivered") break;
  }
  return steps;
}

Result<int> send_due_webhooks(AppContext& ctx, const WebhookSenderConfig& config,
                              const DeliverBatch& deliver) {
  for (;;) {
    auto fanned = fan_out_outbox(ctx, kFanOutBatch);
    if (!fanned) return fanned.error();
    if (*fanned < kFanOutBatch) break;
  }
  std::vector<WebhookSubscription> subs;
  if (auto s = ctx.store.read([&](ReadTx& tx) -> Status {
        auto all = tx.list_webhook_subscriptions();
        if (!all) return all.error();
        subs = std::move(*all);
        return ok_status();
      });
      !s)
    return s.error();
  int attempts = 0;
  for (const WebhookSubscription& s : subs) {
    const Timestamp now = ctx.now();
    if (!s.enabled || (s.blocked_until && *s.blocked_until > now)) continue;
    std::vector<WebhookDelivery> due;
    if (auto st = ctx.store.write([&](WriteTx& tx) -> Status {
          auto claimed = tx.claim_webhook_deliveries(s.id, now, now + config.lease, config.batch);
          if (!claimed) return claimed.error();
          due = std::move(*claimed);
          return ok_status();
        });
        !st)
      return st.error();
    // The round's attempts are recorded together, after its POSTs (a crash in between sends
    // them again: at least once, with the same webhook-id).
    if (due.empty()) continue;
    const std::vector<NextStep> steps = deliver(s, due);
    attempts += static_cast<int>(steps.size());
    if (auto r = record_attempts(ctx, steps); !r) return r.error();
  }
  return attempts;
}

WebhookSender::WebhookSender(AppContext& ctx, WebhookSenderConfig config,
                             std::function<void(const std::string&)> log)
    : ctx_(ctx),
      config_(std::move(config)),
      post_(curl_webhook_post(config_)),
      log_(std::move(log)),
      rng_(std::random_device{}()),
      worker_(config_.nice, "webhook-post"),
      thread_([this](std::stop_token stop) {
        (void)pthread_setname_np(pthread_self(), "webhooks");
        if (const std::string why = worker_.error(); !why.empty() && log_)
          log_("webhook delivery runs at the process's priority: " + why);
        // The POSTs on the worker's (lower-priority) thread; the store work stays here.
        const DeliverBatch deliver = [this, &stop](const WebhookSubscription& s,
                                                   const std::vector<WebhookDelivery>& due) {
          std::vector<NextStep> steps;
          worker_.run([&] { steps = post_deliveries(ctx_, s, due, post_, rng_, stop); });
          return steps;
        };
        while (!stop.stop_requested()) {
          auto sent = send_due_webhooks(ctx_, config_, deliver);
          if (!sent && log_) log_("webhook delivery: " + sent.error().detail);
          if (sent && *sent > 0) continue;  // more may be due at once
          std::unique_lock lock(mu_);
          cv_.wait_for(lock, stop, config_.tick, [this] { return woken_; });
          woken_ = false;
        }
      }) {}

WebhookSender::~WebhookSender() {
  thread_.request_stop();
}

void WebhookSender::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

}  // namespace leadproc::jobs
