// What every use case needs from the outside world, passed in explicitly (no singletons): the
// store, the clock, the id generator and the configuration. Tests build one with a fixed clock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/api_key_cache.h"
#include "app/score_configs.h"
#include "app/store.h"
#include "domain/model.h"
#include "domain/object_id.h"
#include "phone/phone_normalizer.h"

namespace leadproc {

// Authentication settings (README "Configuration"; docs/api-auth.md).
struct AuthConfig {
  int bcrypt_cost = 12;                                       // 4..31; 12 takes ~220 ms
  std::chrono::seconds session_ttl = std::chrono::hours(12);  // a login's lifetime
  // Login throttling (domain/login_throttle.h): failures admitted without delay per (account,
  // client address) pair and per address; then delays from login_delay, doubling, up to
  // max_login_delay; a throttle idle for forget_failures_after starts afresh.
  int max_failed_logins = 5;
  int max_failed_logins_per_address = 50;
  std::chrono::seconds login_delay = std::chrono::minutes(1);
  std::chrono::seconds max_login_delay = std::chrono::hours(1);
  std::chrono::seconds forget_failures_after = std::chrono::hours(24);
  // The browser session cookie's Secure flag (LEADPROC_COOKIE_SECURE): true/false as set; nullopt
  // (auto) sets it when a trusted proxy says the request came over https (http/session_cookie.h).
  std::optional<bool> cookie_secure;
};

// Intake from Meta Lead Ads (docs/intake.md; README "Configuration").
struct MetaConfig {
  std::string app_secret;    // LEADPROC_META_APP_SECRET: signs webhooks; empty: every POST is 401
  std::string verify_token;  // LEADPROC_META_VERIFY_TOKEN: the handshake's; empty: refused
  std::string graph_url = "https://graph.facebook.com";  // LEADPROC_META_GRAPH_URL
  std::string graph_version = "v21.0";                   // LEADPROC_META_GRAPH_VERSION
};

// Conversions to Google Ads (docs/conversions.md; README "Configuration"): where the API is.
struct GoogleAdsConfig {
  std::string url = "https://googleads.googleapis.com";  // LEADPROC_GOOGLE_ADS_URL
  std::string version = "v22";                           // LEADPROC_GOOGLE_ADS_VERSION
};

struct AppConfig {
  std::string default_region = "IN";
  std::string timezone = "Asia/Kolkata";
  AuthConfig auth;
  // The CMS sitemap the cms-url-sync job reads (src/jobs/cms_sync.h); empty: the job is skipped.
  std::string cms_sitemap_url;
  MetaConfig meta;  // also where Meta conversions go (graph_url, graph_version)
  GoogleAdsConfig google_ads;
  // Website form posts admitted per client address per hour (LEADPROC_FORM_POSTS_PER_HOUR;
  // http/rate_limit.h), over every form.
  int form_posts_per_hour = 20;
  // How many days the outbox and the jobs' runs are kept (LEADPROC_RETENTION_DAYS;
  // app/retention.h); 0: forever.
  int retention_days = 30;
};

struct AppContext {
  Store& store;
  const PhoneNormalizer& phones;
  ObjectIdGenerator& ids;
  std::function<Timestamp()> now;
  AppConfig config;
  // The active score configuration, cached (app/score_configs.h). Shared by copies of this
  // context; null disables scoring (scores are left as they are).
  std::shared_ptr<ScoreCache> scores = std::make_shared<ScoreCache>();
  // The API keys recently presented (app/api_key_cache.h). Shared by copies of this context.
  std::shared_ptr<ApiKeyCache> api_keys = std::make_shared<ApiKeyCache>();
  // A read-only replica of `store` (LEADPROC_READ_DATABASE_URL), or null. Only reads that
  // tolerate a little lag go there (lagging_reads()): reports and exports. Writes, and every read
  // a person expects to show their own change (the opportunity page after a move, the lists),
  // stay on `store`.
  Store* replica = nullptr;

  Id new_id() { return ids.next(now()); }
  // Where the reports and exports read: the replica when there is one, else the store.
  Store& lagging_reads() { return replica != nullptr ? *replica : store; }
};

}  // namespace leadproc
