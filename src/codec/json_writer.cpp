#include "codec/json_writer.h"

#include <algorithm>
#include <boost/json/serializer.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

namespace leadproc::codec {
namespace json = boost::json;

void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  // Longest results: "-0.00000" + 17 digits (fixed, 1e-6 <= |d| < 1), a sign and 21 digits
  // (fixed, up to 1e21), "-1.2345678901234567e-308" (scientific).
  char buf[64];
  const double magnitude = std::fabs(d);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21);
  // Without a precision, std::to_chars gives the shortest text that reads back as `d` in the
  // notation asked for.
  const auto [end, ec] = std::to_chars(
      buf, buf + sizeof buf, d, plain ? std::chars_format::fixed : std::chars_format::scientific);
  if (ec != std::errc()) {  // cannot happen with this buffer; never write a broken number
    out += "null";
    return;
  }
  if (plain) {
    out.append(buf, end);
    return;
  }
  // "2.5e-08" -> "2.5e-8": to_chars writes at least two exponent digits, JavaScript none extra.
  char* e = buf;
  while (*e != 'e') ++e;
  char* digits = e + 2;  // past 'e' and its sign
  while (digits + 1 < end && *digits == '0') ++digits;
  out.append(buf, e + 2);
  out.append(digits, end);
}

std::string format_double(double d) {
  std::string out;
  append_double(out, d);
  return out;
}

namespace {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void value(const json::value& v) {
    switch (v.kind()) {
      case json::kind::null:
        out_ += "null";
        break;
      case json::kind::bool_:
        out_ += v.get_bool() ? "true" : "false";
        break;
      case json::kind::int64:
        integer(v.get_int64());
        break;
      case json::kind::uint64:
        integer(v.get_uint64());
        break;
      case json::kind::double_:
        append_double(out_, v.get_double());
        break;
      case json::kind::string:
        string(v.get_string());
        break;
      case json::kind::array:
        array(v.get_array());
        break;
      case json::kind::object:
        object(v.get_object());
        break;
    }
  }

  void array(const json::array& a) {
    out_ += '[';
    bool first = true;
    for (const auto& element : a) {
      if (!first) out_ += ',';
      first = false;
      value(element);
    }
    out_ += ']';
  }

  void object(const json::object& o) {
    out_ += '{';
    bool first = true;
    for (const auto& member : o) {
      if (!first) out_ += ',';
      first = false;
      string(member.key());
      out_ += ':';
      value(member.value());
    }
    out_ += '}';
  }

 private:
  template <typename Integer>
  void integer(Integer i) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
    out_.append(buf, end);
  }

  // Quoted and escaped by Boost.JSON, so strings come out exactly as json::serialize writes them.
  // Most strings need no escape (Boost.JSON escapes only '"', '\\' and bytes below 0x20): those
  // are copied as they are, without the serializer's per-call overhead.
  void string(json::string_view s) {
    const bool plain = std::none_of(s.begin(), s.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
    });
    if (plain) {
      out_ += '"';
      out_.append(s.data(), s.size());
      out_ += '"';
      return;
    }
    serializer_.reset(s);
    do {
      char buf[512];
      const json::string_view part = serializer_.read(buf);
      out_.append(part.data(), part.size());
    } while (!serializer_.done());
  }

  std::string& out_;
  json::serializer serializer_;  // reused for every string: its memory is kept across resets
};

}  // namespace

std::string serialize(const json::value& v) {
  std::string out;
  Writer(out).value(v);
  return out;
}

std::string serialize(const json::object& o) {
  std::string out;
  Writer(out).object(o);
  return out;
}

std::string serialize(const json::array& a) {
  std::string out;
  Writer(out).array(a);
  return out;
}

}  // namespace leadproc::codec
