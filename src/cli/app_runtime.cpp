#include "cli/app_runtime.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "app/business_day.h"
#include "app/retention.h"
#include "cli/store_factory.h"
#include "crypto/bcrypt.h"
#include "domain/url.h"

namespace leadproc::cli {

Result<std::unique_ptr<AppRuntime>> AppRuntime::open(const Settings& settings) {
  if (!PhoneNormalizer::is_known_region(settings.default_region))
    return Error::validation({{"default-region", "is not a region code libphonenumber knows"}},
                             "bad LEADPROC_DEFAULT_REGION: " + settings.default_region);
  if (!is_known_time_zone(settings.timezone))  // "due today" and reports need the business day
    return Error::validation({{"timezone", "is not a time zone of the tz database"}},
                             "bad LEADPROC_TIMEZONE: " + settings.timezone);
  // Authentication
  AuthConfig auth;
  auth.bcrypt_cost = settings.bcrypt_cost;
  if (auth.bcrypt_cost < kMinBcryptCost || auth.bcrypt_cost > kMaxBcryptCost)
    return Error::validation({{"bcrypt-cost", "must be from 4 to 31"}},
                             "bad LEADPROC_BCRYPT_COST: " + std::to_string(settings.bcrypt_cost));
  if (auto ttl = parse_duration(settings.session_ttl); ttl && ttl->count() > 0)
    auth.session_ttl = *ttl;
  else
    return Error::validation({{"session-ttl", "must be like 90s, 30m, 12h, 7d or seconds"}},
                             "bad LEADPROC_SESSION_TTL: " + settings.session_ttl);
  if (auto delay = parse_duration(settings.login_delay); delay && delay->count() > 0)
    auth.login_delay = *delay;
  else
    return Error::validation({{"login-delay", "must be like 30s, 1m, 5m or seconds"}},
                             "bad LEADPROC_LOGIN_DELAY: " + settings.login_delay);
  auth.max_login_delay = std::max(auth.max_login_delay, auth.login_delay);
  if (settings.cookie_secure == "true")
    auth.cookie_secure = true;
  else if (settings.cookie_secure == "false")
    auth.cookie_secure = false;
  else if (settings.cookie_secure != "auto")
    return Error::validation({{"cookie-secure", "must be auto, true or false"}},
                             "bad LEADPROC_COOKIE_SECURE: " + settings.cookie_secure);
  if (!settings.cms_sitemap_url.empty() && !normalize_url(settings.cms_sitemap_url))
    return Error::validation({{"cms-sitemap-url", "is not an absolute http(s) URL"}},
                             "bad LEADPROC_CMS_SITEMAP_URL: " + settings.cms_sitemap_url);
  if (!normalize_url(settings.meta_graph_url))
    return Error::validation({{"meta-graph-url", "is not an absolute http(s) URL"}},
                             "bad LEADPROC_META_GRAPH_URL: " + settings.meta_graph_url);
  if (!normalize_url(settings.google_ads_url))
    return Error::validation({{"google-ads-url", "is not an absolute http(s) URL"}},
                             "bad LEADPROC_GOOGLE_ADS_URL: " + settings.google_ads_url);
  if (settings.retention_days < 0 || settings.retention_days > kMaxRetentionDays)
    return Error::validation(
        {{"retention-days", "must be a whole number of days from 0 (keep forever) to " +
                                std::to_string(kMaxRetentionDays)}},
        "bad LEADPROC_RETENTION_DAYS: " + std::to_string(settings.retention_days));
  SqliteTuning sqlite;
  sqlite.group_commit = settings.sqlite_group_commit;
  sqlite.wal_write_buffer = settings.sqlite_wal_write_buffer;
  sqlite.cache_mib = settings.sqlite_cache_mib;
  sqlite.mmap_mib = settings.sqlite_mmap_mib;
  sqlite.writer_cpu = settings.sqlite_writer_cpu;
  auto store = open_store(settings.database_url, sqlite);
  if (!store) return store.error();
  auto version = (*store)->migrate();
  if (!version) return version.error();

  auto rt = std::make_unique<AppRuntime>();
  rt->store_ = std::move(*store);
  if (!settings.read_database_url.empty()) {
    // A replica of a PostgreSQL primary: it is read-only, so it is not migrated (the primary's
    // migrations reach it by replication).
    const auto postgres = [](const std::string& url) {
      return url.starts_with("postgresql://") || url.starts_with("postgres://");
    };
    if (!postgres(settings.read_database_url) || !postgres(settings.database_url))
      return Error::validation(
          {{"read-database-url", "must be a postgresql:// URL, with a PostgreSQL database URL"}},
          "bad LEADPROC_READ_DATABASE_URL: a read replica needs PostgreSQL for both databases");
    auto replica = open_store(settings.read_database_url);
    if (!replica) return replica.error();
    rt->replica_ = std::move(*replica);
  }
  rt->phones_ = std::make_unique<PhoneNormalizer>(settings.default_region);
  std::random_device rd;
  std::uint64_t random5 = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  rt->ids_ = std::make_unique<ObjectIdGenerator>(random5, rd());
  AppConfig config;
  config.default_region = settings.default_region;
  config.timezone = settings.timezone;
  config.auth = auth;
  config.cms_sitemap_url = settings.cms_sitemap_url;
  config.form_posts_per_hour = settings.form_posts_per_hour;
  config.retention_days = settings.retention_days;
  config.meta = MetaConfig{settings.meta_app_secret, settings.meta_verify_token,
                           settings.meta_graph_url, settings.meta_graph_version};
  config.google_ads = GoogleAdsConfig{settings.google_ads_url, settings.google_ads_version};
  // Braces, then a move: clang 14 (the fuzz build) has no parenthesised aggregate initialisation.
  rt->context_ = std::make_unique<AppContext>(
      AppContext{*rt->store_, *rt->phones_, *rt->ids_,
                 [offset = rt->clock_offset_ms_] {
                   return std::chrono::time_point_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now()) +
                          std::chrono::milliseconds(offset->load(std::memory_order_relaxed));
                 },
                 config});
  rt->context_->replica = rt->replica_.get();
  return rt;
}

Timestamp AppRuntime::advance_clock(std::chrono::milliseconds by) {
  clock_offset_ms_->fetch_add(by.count(), std::memory_order_relaxed);
  return context_->now();
}

}  // namespace leadproc::cli
