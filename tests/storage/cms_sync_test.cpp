// The CMS URL sync (src/jobs/cms_sync.h) over a real SQLite store: a fake fetcher serving fixture
// sitemaps by URL, and the libcurl fetcher against a tiny local HTTP server.
#include "jobs/cms_sync.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <thread>

#include "app/weburls.h"
#include "backends.h"
#include "jobs/jobs.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc::jobs {
namespace {

const std::map<std::string, std::string> kSite = {
    {"https://cms.test/sitemap_index.xml",
     R"(<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://cms.test/post-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://cms.test/page-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://cms.test/sitemap_index.xml</loc></sitemap>
</sitemapindex>)"},
    {"https://cms.test/post-sitemap.xml",
     R"(<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://cms.test/goa-trips/</loc></url>
  <url><loc>https://CMS.test/kerala?utm=x</loc></url>
</urlset>)"},
    {"https://cms.test/page-sitemap.xml",
     R"(<urlset><url><loc>https://cms.test/about</loc></url>
<url><loc>https://cms.test/goa-trips</loc></url></urlset>)"},
    {"https://cms.test/bad_index.xml",
     R"(<sitemapindex><sitemap><loc>https://cms.test/post-sitemap.xml</loc></sitemap>
<sitemap><loc>https://cms.test/broken-sitemap.xml</loc></sitemap></sitemapindex>)"},
    {"https://cms.test/broken-sitemap.xml",
     "<urlset><url><loc>https://cms.test/new-page</loc></url><url><loc>https://cms.test/x"},
    {"https://cms.test/missing_index.xml",
     R"(<sitemapindex><sitemap><loc>https://cms.test/post-sitemap.xml</loc></sitemap>
<sitemap><loc>https://cms.test/gone.xml</loc></sitemap></sitemapindex>)"},
};

Result<std::string> fake_fetch(const std::string& url) {
  auto it = kSite.find(url);
  if (it == kSite.end()) return Error::unavailable("fetching " + url + " failed: HTTP status 404");
  return it->second;
}

class CmsSync : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = sqlite::SqliteStore::open((dir_.path() / "cms.db").string());
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate().ok());
    ctx_ = std::make_unique<AppContext>(
        *store_, phones_, ids_, [this] { return now_; }, AppConfig{});
  }
  void TearDown() override {
    ctx_.reset();
    store_.reset();
  }

  std::vector<std::string> stored_urls() {
    WebUrlFilter f;
    f.limit = 1000;
    auto r = list_weburls(*ctx_, f);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& w : *r) out.push_back(w.url);
    std::sort(out.begin(), out.end());
    return out;
  }

  storage_test::TempDir dir_{"cms"};
  std::unique_ptr<Store> store_;
  PhoneNormalizer phones_{"IN"};
  ObjectIdGenerator ids_{0x1234567890ULL, 1};
  Timestamp now_{std::chrono::milliseconds(1'700'000'000'000)};
  std::unique_ptr<AppContext> ctx_;
};

TEST_F(CmsSync, FollowsTheIndexAndUpsertsEveryPageNormalised) {
  auto r = sync_cms_sitemap(*ctx_, "https://cms.test/sitemap_index.xml", fake_fetch);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->sitemaps, 3);  // the index (named again in itself: not refetched) and two sitemaps
  EXPECT_EQ(r->urls, 3);
  EXPECT_EQ(r->created, 3);
  EXPECT_EQ(r->unchanged, 0);
  EXPECT_EQ(stored_urls(),
            (std::vector<std::string>{"https://cms.test/about", "https://cms.test/goa-trips",
                                      "https://cms.test/kerala"}));

  auto again = sync_cms_sitemap(*ctx_, "https://cms.test/sitemap_index.xml", fake_fetch);
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(stored_urls().size(), 3u);
}

TEST_F(CmsSync, AMalformedNestedSitemapWritesNothing) {
  auto r = sync_cms_sitemap(*ctx_, "https://cms.test/bad_index.xml", fake_fetch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_NE(r.error().detail.find("https://cms.test/broken-sitemap.xml"), std::string::npos)
      << r.error().detail;
  EXPECT_TRUE(stored_urls().empty());
}

TEST_F(CmsSync, AFetchFailureWritesNothing) {
  ASSERT_TRUE(sync_cms_sitemap(*ctx_, "https://cms.test/page-sitemap.xml", fake_fetch).ok());
  const auto before = stored_urls();
  ASSERT_EQ(before.size(), 2u);
  auto r = sync_cms_sitemap(*ctx_, "https://cms.test/missing_index.xml", fake_fetch);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("https://cms.test/gone.xml"), std::string::npos)
      << r.error().detail;
  EXPECT_NE(r.error().detail.find("404"), std::string::npos) << r.error().detail;
  EXPECT_EQ(stored_urls(), before);
}

// One-shot HTTP/1.0 server on 127.0.0.1: serves `body` at `path`, 404 elsewhere, for `requests`
// connections, then exits.
class TinyServer {
 public:
  TinyServer(std::string path, std::string body, int requests) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0)
      return;
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, path = std::move(path), body = std::move(body), requests] {
      for (int n = 0; n < requests; ++n) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string req;
        char buf[1024];
        while (req.find("\r\n\r\n") == std::string::npos) {
          ssize_t got = ::recv(c, buf, sizeof buf, 0);
          if (got <= 0) break;
          req.append(buf, static_cast<std::size_t>(got));
        }
        const bool hit = req.starts_with("GET " + path + " ");
        const std::string content = hit ? body : std::string("not found");
        std::string resp = std::string(hit ? "HTTP/1.0 200 OK" : "HTTP/1.0 404 Not Found") +
                           "\r\nContent-Type: application/xml\r\nContent-Length: " +
                           std::to_string(content.size()) + "\r\nConnection: close\r\n\r\n" +
                           content;
        std::size_t sent = 0;
        while (sent < resp.size()) {
          ssize_t w = ::send(c, resp.data() + sent, resp.size() - sent, MSG_NOSIGNAL);
          if (w <= 0) break;
          sent += static_cast<std::size_t>(w);
        }
        ::close(c);
      }
    });
  }
  ~TinyServer() {
    if (thread_.joinable()) {
      ::shutdown(fd_, SHUT_RDWR);
      thread_.join();
    }
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(CurlFetcher, FetchesABodyAndReportsAnHttpErrorStatus) {
  const std::string xml = kSite.at("https://cms.test/page-sitemap.xml");
  TinyServer server("/sitemap.xml", xml, 2);
  ASSERT_NE(server.port(), 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  Fetcher fetch = curl_fetcher();

  auto ok = fetch(base + "/sitemap.xml");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(*ok, xml);

  auto missing = fetch(base + "/missing.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().detail.find(base + "/missing.xml"), std::string::npos)
      << missing.error().detail;
  EXPECT_NE(missing.error().detail.find("404"), std::string::npos) << missing.error().detail;
}

TEST_F(CmsSync, TheJobIsSkippedWithoutAConfiguredSitemap) {
  const auto jobs = default_jobs();
  const Job* job = find_job(jobs, "cms-url-sync");
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->schedule.describe(), Schedule::daily_at(3, 0).describe());
  auto r = job->run(*ctx_);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->at("skipped"), "LEADPROC_CMS_SITEMAP_URL is not set");
}

}  // namespace
}  // namespace leadproc::jobs
