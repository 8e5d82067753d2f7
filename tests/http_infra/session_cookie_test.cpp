// The session cookie's parsing and the same-origin rule of the CSRF defence (http/session_cookie.h)
// as tables: what counts as this server's origin, directly and behind trusted proxies.
#include "http/session_cookie.h"

#include <gtest/gtest.h>

namespace leadproc::http {
namespace {

Request request(std::map<std::string, std::string> headers, bool trusted_proxy = false) {
  Request r;
  r.method = "POST";
  r.headers = std::move(headers);
  r.from_trusted_proxy = trusted_proxy;
  return r;
}

TEST(SessionCookie, FoundAmongOtherCookies) {
  EXPECT_EQ(session_cookie_of(request({{"cookie", "a=1; leadproc_session=lps_x; b=2"}})), "lps_x");
  EXPECT_EQ(session_cookie_of(request({{"cookie", "leadproc_session=\"lps_q\""}})), "lps_q");
  EXPECT_EQ(session_cookie_of(request({{"cookie", "a=1, leadproc_session=lps_y"}})), "lps_y");
  EXPECT_EQ(session_cookie_of(request({{"cookie", "xleadproc_session=lps_z"}})), std::nullopt);
  EXPECT_EQ(session_cookie_of(request({{"cookie", "leadproc_session="}})), std::nullopt);
  EXPECT_EQ(session_cookie_of(request({})), std::nullopt);
}

TEST(SessionCookie, HeadersCarryTheFlags) {
  EXPECT_EQ(session_cookie_header("lps_t", 60, false),
            "leadproc_session=lps_t; Max-Age=60; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(expired_session_cookie_header(true),
            "leadproc_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure");
}

struct OriginCase {
  std::map<std::string, std::string> headers;
  bool trusted_proxy;
  std::optional<bool> secure;
  bool same;
};

TEST(SessionCookie, SameOriginIsSchemeHostAndPort) {
  const OriginCase cases[] = {
      {{{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8080"}}, false, {}, true},
      {{{"host", "Leads.Example.com"}, {"origin", "http://leads.example.com:80"}}, false, {}, true},
      {{{"host", "[::1]:8080"}, {"origin", "http://[::1]:8080"}}, false, {}, true},
      {{{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8081"}}, false, {}, false},
      {{{"host", "127.0.0.1:8080"}, {"origin", "https://127.0.0.1:8080"}}, false, {}, false},
      {{{"host", "127.0.0.1:8080"}, {"origin", "http://evil.example"}}, false, {}, false},
      {{{"host", "127.0.0.1:8080"}, {"origin", "null"}}, false, {}, false},
      {{{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8080/x"}}, false, {}, false},
      // The operator says the public side is https.
      {{{"host", "leads.example.com"}, {"origin", "https://leads.example.com"}}, false, true, true},
      {{{"host", "leads.example.com"}, {"origin", "http://leads.example.com"}}, false, true, false},
      // A trusted proxy names the scheme and host; an untrusted peer's X-Forwarded-* are ignored.
      {{{"host", "10.0.0.2:8080"},
        {"x-forwarded-proto", "https"},
        {"x-forwarded-host", "leads.example.com"},
        {"origin", "https://leads.example.com"}},
       true,
       {},
       true},
      {{{"host", "10.0.0.2:8080"},
        {"x-forwarded-proto", "https"},
        {"x-forwarded-host", "leads.example.com"},
        {"origin", "https://leads.example.com"}},
       false,
       {},
       false},
      {{{"host", "leads.example.com"},
        {"x-forwarded-proto", "https, http"},
        {"origin", "https://leads.example.com:443"}},
       true,
       {},
       true},
  };
  for (const auto& c : cases) {
    const Request r = request(c.headers, c.trusted_proxy);
    auto why = cross_origin_reason(r, c.secure, true);
    EXPECT_EQ(!why.has_value(), c.same)
        << r.header("origin").value_or("") << " vs " << r.header("host").value_or("") << ": "
        << why.value_or("same");
  }
}

TEST(SessionCookie, AMissingOriginFailsOnlyWhenRequired) {
  const Request r = request({{"host", "127.0.0.1:8080"}});
  EXPECT_TRUE(cross_origin_reason(r, std::nullopt, true).has_value());
  EXPECT_FALSE(cross_origin_reason(r, std::nullopt, false).has_value());
}

TEST(SessionCookie, SecureFlagFollowsTheSettingOrATrustedProxy) {
  const Request direct = request({{"x-forwarded-proto", "https"}});
  const Request proxied = request({{"x-forwarded-proto", "https"}}, true);
  EXPECT_FALSE(cookie_secure_for(direct, std::nullopt));
  EXPECT_TRUE(cookie_secure_for(proxied, std::nullopt));
  EXPECT_FALSE(cookie_secure_for(proxied, false));
  EXPECT_TRUE(cookie_secure_for(direct, true));
}

}  // namespace
}  // namespace leadproc::http
