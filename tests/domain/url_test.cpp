#include "domain/url.h"

#include <gtest/gtest.h>

namespace leadproc {
namespace {

TEST(Url, Normalisation) {
  struct Case {
    const char* in;
    std::optional<std::string> out;
  };
  const Case cases[] = {
      {"https://Blog.Example.com/Goa-Guide/", "https://blog.example.com/Goa-Guide"},
      {"HTTPS://blog.example.com/goa?utm_source=x#top", "https://blog.example.com/goa"},
      {"https://blog.example.com:443/a/b//", "https://blog.example.com/a/b"},
      {"http://example.com:80", "http://example.com"},
      {"http://example.com:8080/x", "http://example.com:8080/x"},
      {"  https://example.com/x  ", "https://example.com/x"},
      {"https://user@example.com/x", "https://example.com/x"},
      {"ftp://example.com/x", std::nullopt},
      {"example.com/goa", std::nullopt},
      {"https:///nohost", std::nullopt},
      {"HTTP://:80/Kerala;/?#x", std::nullopt},  // a port, no host (found by fuzz/url.cpp)
      {"https://:443", std::nullopt},
      {"http://:8080/x", std::nullopt},
      {"http://user@:80/x", std::nullopt},
      {"https://example.com/goa \v?utm=1", "https://example.com/goa"},  // fuzz/url.cpp too
      {"https://example.com/goa/ /#top", "https://example.com/goa"},
      {"http://example.com:80:80/goa", "http://example.com/goa"},
      {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(normalize_url(c.in), c.out) << c.in;
}

TEST(Url, PathSegmentsAreLowerCased) {
  EXPECT_EQ(path_segments("https://x.com/Blog/Goa-Trips"),
            (std::vector<std::string>{"blog", "goa-trips"}));
  EXPECT_TRUE(path_segments("https://x.com").empty());
}

}  // namespace
}  // namespace leadproc
