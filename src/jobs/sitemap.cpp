#include "jobs/sitemap.h"

#include <cstdint>
#include <optional>

#include "domain/text.h"
#include "domain/url.h"
#include "domain/utf8.h"

namespace leadproc::jobs {
namespace {

Error bad(const std::string& what) {
  return Error::validation({{"sitemap", what}}, "malformed sitemap: " + what);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The local part of a qualified name: "image:loc" -> "loc".
std::string_view local_name(std::string_view qname) {
  auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// Decodes the entities of character data into `out`; an error names the bad entity.
std::optional<std::string> decode_text(std::string_view text, std::string& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    auto semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12)
      return "unterminated entity at \"" + std::string(text.substr(i, 12)) + "\"";
    std::string_view name = text.substr(i + 1, semi - i - 1);
    if (name == "amp") {
      out += '&';
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      bool okay = !digits.empty();
      for (char d : digits) {
        int v = -1;
        if (d >= '0' && d <= '9') v = d - '0';
        if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
        if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
        if (v < 0) okay = false;
        if (!okay) break;
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
        if (cp > 0x10FFFF) okay = false;
      }
      if (!okay || cp == 0) return "bad character reference &" + std::string(name) + ";";
      append_utf8(out, cp);
    } else {
      return "unknown entity &" + std::string(name) + ";";
    }
    i = semi + 1;
  }
  return std::nullopt;
}

// Line number (1-based) of offset `pos`, for error details.
std::string at_line(std::string_view xml, std::size_t pos) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < pos && i < xml.size(); ++i)
    if (xml[i] == '\n') ++line;
  return " (line " + std::to_string(line) + ")";
}

}  // namespace

Result<Sitemap> parse_sitemap(std::string_view xml) {
  Sitemap out;
  std::vector<std::string> stack;  // local names of the open elements
  bool root_seen = false;
  bool in_loc = false;
  bool entry_has_loc = false;
  std::string loc;
  std::size_t i = 0;
  if (xml.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark

  const char* entry_name = "url";
  while (i < xml.size()) {
    if (xml[i] != '<') {
      auto next = xml.find('<', i);
      std::string_view text =
          xml.substr(i, next == std::string_view::npos ? xml.size() - i : next - i);
      if (stack.empty()) {
        if (!trim(text).empty()) return bad("text outside the root element" + at_line(xml, i));
      } else if (in_loc) {
        if (auto e = decode_text(text, loc)) return bad(*e + at_line(xml, i));
      }
      i += text.size();
      continue;
    }
    std::string_view rest = xml.substr(i);
    if (rest.starts_with("<!--")) {
      auto end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return bad("unterminated comment" + at_line(xml, i));
      i = end + 3;
      continue;
    }
    if (rest.starts_with("<![CDATA[")) {
      auto end = xml.find("]]>", i + 9);
      if (end == std::string_view::npos) return bad("unterminated CDATA section" + at_line(xml, i));
      if (stack.empty()) return bad("CDATA outside the root element" + at_line(xml, i));
      if (in_loc) loc.append(xml.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (rest.starts_with("<?")) {
      auto end = xml.find("?>", i + 2);
      if (end == std::string_view::npos)
        return bad("unterminated processing instruction" + at_line(xml, i));
      i = end + 2;
      continue;
    }
    if (rest.starts_with("<!")) return bad("DOCTYPE is not allowed" + at_line(xml, i));

    // A tag: find its '>' outside attribute quotes.
    std::size_t j = i + 1;
    char quote = 0;
    for (; j < xml.size(); ++j) {
      char c = xml[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      } else if (c == '<') {
        return bad("'<' inside a tag" + at_line(xml, j));
      }
    }
    if (j >= xml.size()) return bad("unterminated tag" + at_line(xml, i));
    std::string_view tag = xml.substr(i + 1, j - i - 1);
    const std::size_t tag_pos = i;
    i = j + 1;

    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    const bool self_closing = !closing && !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && !is_space(tag[name_end])) ++name_end;
    std::string_view qname = tag.substr(0, name_end);
    if (qname.empty()) return bad("a tag without a name" + at_line(xml, tag_pos));
    if (closing && !trim(tag.substr(name_end)).empty())
      return bad("attributes in the end tag </" + std::string(qname) + ">" + at_line(xml, tag_pos));
    const std::string name(local_name(qname));

    if (closing) {
      if (stack.empty() || stack.back() != name)
        return bad("unexpected end tag </" + std::string(qname) + ">" +
                   (stack.empty() ? std::string() : ", expected </" + stack.back() + ">") +
                   at_line(xml, tag_pos));
      if (in_loc && name == "loc" && stack.size() == 3) {
        in_loc = false;
        std::string value(trim(loc));
        if (!normalize_url(value))
          return bad("<loc> \"" + value + "\" is not an absolute http(s) URL" +
                     at_line(xml, tag_pos));
        out.locs.push_back(std::move(value));
        entry_has_loc = true;
      } else if (stack.size() == 2 && name == entry_name && !entry_has_loc) {
        return bad(std::string("a <") + entry_name + "> entry without <loc>" +
                   at_line(xml, tag_pos));
      }
      stack.pop_back();
      continue;
    }

    // A start tag.
    if (stack.empty()) {
      if (root_seen) return bad("content after the root element" + at_line(xml, tag_pos));
      root_seen = true;
      if (name == "urlset") {
        out.kind = Sitemap::Kind::kUrlset;
        entry_name = "url";
      } else if (name == "sitemapindex") {
        out.kind = Sitemap::Kind::kIndex;
        entry_name = "sitemap";
      } else {
        return bad("the root element is <" + std::string(qname) +
                   ">, not <urlset> or <sitemapindex>");
      }
    } else if (in_loc) {
      return bad("an element inside <loc>" + at_line(xml, tag_pos));
    }
    if (stack.size() == 1 && name == entry_name) entry_has_loc = false;
    if (stack.size() == 2 && name == "loc" && stack.back() == entry_name) {
      if (entry_has_loc)
        return bad(std::string("a <") + entry_name + "> entry with two <loc>" +
                   at_line(xml, tag_pos));
      if (self_closing) return bad("an empty <loc/>" + at_line(xml, tag_pos));
      in_loc = true;
      loc.clear();
    }
    if (self_closing) {
      if (stack.size() == 1 && name == entry_name)
        return bad(std::string("a <") + entry_name + "> entry without <loc>" +
                   at_line(xml, tag_pos));
      if (stack.empty()) root_seen = true;  // an empty root: no entries
      continue;
    }
    stack.push_back(name);
  }
  if (!root_seen) return bad("no root element (<urlset> or <sitemapindex>)");
  if (!stack.empty())
    return bad("unterminated element <" + stack.back() + "> at the end of the document");
  return out;
}

}  // namespace leadproc::jobs
