#include "domain/url.h"

#include <algorithm>
#include <cctype>

#include "domain/text.h"

namespace leadproc {

std::optional<std::string> normalize_url(std::string_view raw) {
  std::string_view s = trim(raw);
  auto scheme_end = s.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string scheme = lower_ascii(s.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  s.remove_prefix(scheme_end + 3);

  auto cut = s.find_first_of("?#");
  if (cut != std::string_view::npos) s = s.substr(0, cut);
  auto slash = s.find('/');
  std::string_view authority = s.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : s.substr(slash);

  auto at = authority.rfind('@');  // drop userinfo
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string host = lower_ascii(authority);
  // Every default port ("x.com:80:80" too, else its result would lose one more next time).
  while ((scheme == "http" && host.ends_with(":80")) ||
         (scheme == "https" && host.ends_with(":443")))
    host.resize(host.rfind(':'));
  // A port without a host name ("http://:80/x") is no URL (found by fuzz/url.cpp: it became
  // "http:///x", which does not normalise).
  if (host.empty() || host.front() == ':') return std::nullopt;
  for (char c : host)
    if (std::isspace(static_cast<unsigned char>(c))) return std::nullopt;

  std::string p(path);
  // Trailing slashes, and whitespace before the query ("/goa ?x"): the result must normalise to
  // itself, and the outer trim would take that whitespace next time (found by fuzz/url.cpp).
  while (!p.empty() && (p.back() == '/' || std::isspace(static_cast<unsigned char>(p.back()))))
    p.pop_back();
  return scheme + "://" + host + p;
}

std::vector<std::string> path_segments(std::string_view normalized_url) {
  std::vector<std::string> out;
  auto scheme_end = normalized_url.find("://");
  std::string_view rest =
      scheme_end == std::string_view::npos ? normalized_url : normalized_url.substr(scheme_end + 3);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return out;
  rest.remove_prefix(slash);
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && rest[i] == '/') ++i;
    std::size_t j = rest.find('/', i);
    if (j == std::string_view::npos) j = rest.size();
    if (j > i) out.push_back(lower_ascii(rest.substr(i, j - i)));
    i = j;
  }
  return out;
}

}  // namespace leadproc
