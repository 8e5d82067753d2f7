#include "jobs/conversion_sender.h"

#include <charconv>

#include "app/conversions.h"
#include "app/webhooks.h"

namespace leadproc::jobs {
namespace {

constexpr int kFanOutBatch = 500;
constexpr int kMetaBatch = 50;     // conversions claimed per round (one request each)
constexpr int kGoogleBatch = 100;  // conversions per upload request
constexpr int kMaxRounds = 100;    // per platform per run: a bound, not a target
// A claim outlives a request's 30 s several times over (PostgreSQL: another run skips it).
constexpr auto kLease = std::chrono::minutes(5);

struct Counts {
  int sent = 0;
  int rejected = 0;
  int expired = 0;
  int retrying = 0;
  void add(const Conversion& c) {
    if (c.status == "sent") ++sent;
    if (c.status == "rejected") ++rejected;
    if (c.status == "expired") ++expired;
    if (c.status == "pending") ++retrying;
  }
};

std::string without_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

PlatformAnswer answer_of(Result<HttpReply> reply) {
  PlatformAnswer a;
  if (!reply) {
    a.error = reply.error().detail;
    return a;
  }
  a.status = static_cast<int>(reply->status);
  a.body = std::move(reply->body);
  std::int64_t seconds = 0;
  const std::string& ra = reply->retry_after;
  if (auto [end, ec] = std::from_chars(ra.data(), ra.data() + ra.size(), seconds);
      ec == std::errc() && end == ra.data() + ra.size() && seconds >= 0)
    a.retry_after = std::chrono::seconds(seconds);
  return a;
}

Result<std::vector<Conversion>> claim(AppContext& ctx, const std::string& platform, int limit) {
  std::vector<Conversion> out;
  const Timestamp now = ctx.now();
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto c = tx.claim_conversions(platform, now, now + kLease, limit);
    if (!c) return c.error();
    out = std::move(*c);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Status finish(AppContext& ctx, const std::vector<Conversion>& done, Counts& counts) {
  if (done.empty()) return ok_status();
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    for (const Conversion& c : done)
      if (auto f = tx.finish_conversion(c); !f) return f;
    return ok_status();
  });
  if (!s) return s;
  for (const Conversion& c : done) counts.add(c);
  return ok_status();
}

// Those of `batch` past their window, marked expired (moved to `expired`); the rest stay.
std::vector<Conversion> take_expired(std::vector<Conversion>& batch, Timestamp now) {
  std::vector<Conversion> expired, rest;
  for (Conversion& c : batch) {
    if (auto why = conversion_expiry(c, now)) {
      c.status = "expired";
      c.reason = *why;
      c.updated_at = now;
      expired.push_back(std::move(c));
    } else {
      rest.push_back(std::move(c));
    }
  }
  batch = std::move(rest);
  return expired;
}

Status send_meta(AppContext& ctx, const MetaConversionSettings& m, const ConversionPost& post,
                 Counts& counts) {
  const std::string url = without_slash(ctx.config.meta.graph_url) + "/" +
                          ctx.config.meta.graph_version + "/" + m.dataset_id + "/events";
  const HttpHeaders headers{{"Content-Type", "application/json"}, {"Expect", ""}};
  for (int round = 0; round < kMaxRounds; ++round) {
    auto batch = claim(ctx, "meta", kMetaBatch);
    if (!batch) return batch.error();
    if (batch->empty()) return ok_status();
    std::vector<Conversion> done = take_expired(*batch, ctx.now());
    for (Conversion& c : *batch) {
      auto reply = post(url, headers, meta_events_body(c, m.access_token));
      done.push_back(after_meta_answer(std::move(c), answer_of(std::move(reply)), ctx.now()));
    }
    if (auto f = finish(ctx, done, counts); !f) return f;
  }
  return ok_status();
}

Status send_google(AppContext& ctx, const GoogleConversionSettings& g, const ConversionPost& post,
                   Counts& counts) {
  const std::string url = without_slash(ctx.config.google_ads.url) + "/" +
                          ctx.config.google_ads.version + "/customers/" + g.customer_id +
                          ":uploadClickConversions";
  HttpHeaders headers{{"Content-Type", "application/json"},
                      {"Expect", ""},
                      {"Authorization", "Bearer " + g.access_token},
                      {"developer-token", g.developer_token}};
  if (g.login_customer_id) headers.emplace_back("login-customer-id", *g.login_customer_id);
  for (int round = 0; round < kMaxRounds; ++round) {
    auto batch = claim(ctx, "google", kGoogleBatch);
    if (!batch) return batch.error();
    if (batch->empty()) return ok_status();
    std::vector<Conversion> done = take_expired(*batch, ctx.now());
    if (!batch->empty()) {
      auto reply = post(url, headers, google_upload_body(*batch));
      for (Conversion& c :
           after_google_answer(std::move(*batch), answer_of(std::move(reply)), ctx.now()))
        done.push_back(std::move(c));
    }
    if (auto f = finish(ctx, done, counts); !f) return f;
  }
  return ok_status();
}

}  // namespace

ConversionPost curl_conversion_post() {
  HttpGetOptions options;
  options.timeout_seconds = 30;
  options.connect_timeout_seconds = 10;
  options.max_redirects = 0;
  options.max_body_bytes = 1024 * 1024;
  options.user_agent = "leadproc-conversions/1";
  options.label = "the ad platform's API";  // the URL is an operator setting; no secret in it
  return [options](const std::string& url, const HttpHeaders& headers, const std::string& body) {
    return http_post(url, headers, body, options);
  };
}

Result<JobCounts> send_conversions(AppContext& ctx, const ConversionPost& post) {
  for (;;) {
    auto fanned = fan_out_outbox(ctx, kFanOutBatch);
    if (!fanned) return fanned.error();
    if (*fanned < kFanOutBatch) break;
  }
  auto settings = read_conversion_settings(ctx);
  if (!settings) return settings.error();
  Counts counts;
  if (settings->meta.enabled) {
    if (auto m = send_meta(ctx, settings->meta, post, counts); !m) return m.error();
  }
  if (settings->google.enabled) {
    if (auto g = send_google(ctx, settings->google, post, counts); !g) return g.error();
  }
  return JobCounts{{"sent", counts.sent},
                   {"rejected", counts.rejected},
                   {"expired", counts.expired},
                   {"retrying", counts.retrying}};
}

}  // namespace leadproc::jobs
