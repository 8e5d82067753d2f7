#include "codec/form_body.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "domain/text.h"

namespace leadproc::codec {
namespace {

// More fields than any lead form has: a body beyond it is not a lead form.
constexpr std::size_t kMaxFields = 200;

Error bad_body(std::string reason) {
  return Error::validation({{"body", std::move(reason)}}, "the form's body cannot be read");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The parameters of a header value "type; a=1; b="x y"" (names lower-cased), after the first
// token, which is returned as `first`. nullopt if a quoted string is not closed.
struct HeaderValue {
  std::string first;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> param(std::string_view name) const {
    for (const auto& [k, v] : params)
      if (k == name) return v;
    return std::nullopt;
  }
};

std::optional<HeaderValue> parse_header_value(std::string_view v) {
  HeaderValue out;
  std::size_t i = v.find(';');
  out.first = lower_ascii(trim(v.substr(0, i)));
  while (i != std::string_view::npos && i < v.size()) {
    ++i;  // past ';'
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    const std::size_t eq = v.find('=', i);
    const std::size_t semi = v.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      if (!trim(v.substr(i, semi - i)).empty())
        out.params.emplace_back(lower_ascii(trim(v.substr(i, semi - i))), "");
      i = semi;
      continue;
    }
    std::string name = lower_ascii(trim(v.substr(i, eq - i)));
    i = eq + 1;
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      for (; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          value += v[++i];
        } else if (v[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          value += v[i];
        }
      }
      if (!closed) return std::nullopt;
      i = v.find(';', i);
    } else {
      const std::size_t end = v.find(';', i);
      value = std::string(trim(v.substr(i, end - i)));
      i = end;
    }
    out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace

Result<FormFields> parse_urlencoded(std::string_view body) {
  FormFields fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view piece = body.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    auto name = form_decode(piece.substr(0, eq));
    auto value =
        form_decode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
    if (!name || !value) return bad_body("has a '%' not followed by two hex digits");
    if (fields.size() == kMaxFields)
      return bad_body("has more than " + std::to_string(kMaxFields) + " fields");
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::string multipart_boundary(std::string_view content_type) {
  auto parsed = parse_header_value(content_type);
  if (!parsed || parsed->first != "multipart/form-data") return {};
  auto b = parsed->param("boundary");
  if (!b || b->empty() || b->size() > 70) return {};
  return *b;
}

Result<FormFields> parse_multipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) return bad_body("multipart/form-data needs a boundary");
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next_delimiter = "\r\n" + delimiter;
  // The first delimiter: at the very start, or after a preamble ending in CRLF.
  std::size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    pos = body.find(next_delimiter);
    if (pos == std::string_view::npos) return bad_body("has no part delimited by its boundary");
    pos += next_delimiter.size();
  }
  FormFields fields;
  for (;;) {
    if (body.substr(pos, 2) == "--") return fields;  // the closing delimiter; the rest: epilogue
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return bad_body("has a boundary line not ending in CRLF");
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos - 2);
    if (headers_end == std::string_view::npos)
      return bad_body("has a part without its headers' end");
    std::optional<std::string> name;
    bool file = false;
    std::string_view headers = body.substr(pos, headers_end >= pos ? headers_end - pos : 0);
    while (!headers.empty()) {
      const std::size_t eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return bad_body("has a part header without ':'");
      if (lower_ascii(trim(line.substr(0, colon))) != "content-disposition") continue;
      auto value = parse_header_value(line.substr(colon + 1));
      if (!value || value->first != "form-data")
        return bad_body("has a part whose Content-Disposition is not form-data");
      name = value->param("name");
      file = value->param("filename").has_value();
    }
    const std::size_t value_start = headers_end + 4;
    const std::size_t value_end = body.find(next_delimiter, value_start);
    if (value_end == std::string_view::npos)
      return bad_body("does not end with its closing boundary");
    if (!name) return bad_body("has a part without a form-data name");
    if (file) return bad_body("has a file (" + *name + "): a lead form takes none");
    if (fields.size() == kMaxFields)
      return bad_body("has more than " + std::to_string(kMaxFields) + " fields");
    fields.emplace_back(std::move(*name),
                        std::string(body.substr(value_start, value_end - value_start)));
    pos = value_end + next_delimiter.size();
  }
}

}  // namespace leadproc::codec
