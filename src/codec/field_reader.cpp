#include "codec/field_reader.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <set>

#include "domain/field_limits.h"

namespace leadproc::codec {
namespace json = boost::json;

FieldReader::FieldReader(const json::object& object, std::vector<FieldError>& errors,
                         std::string prefix)
    : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

bool FieldReader::has(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && !it->value().is_null();
}

bool FieldReader::is_null(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && it->value().is_null();
}

void FieldReader::fail(std::string_view key, std::string reason) {
  errors_.push_back(FieldError{path(key), std::move(reason)});
}

const json::value* FieldReader::find(std::string_view key, bool required) {
  auto it = object_.find(key);
  if (it == object_.end() || it->value().is_null()) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> FieldReader::string(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(key, "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<double> FieldReader::number(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  fail(key, "must be a number");
  return std::nullopt;
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::floor(v->get_double()) == v->get_double() &&
      std::abs(v->get_double()) < 9e15)
    return static_cast<std::int64_t>(v->get_double());
  fail(key, "must be an integer");
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::strings(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    fail(key, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& item = v->get_array()[i];
    if (!item.is_string()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
      return std::nullopt;
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

std::optional<int> FieldReader::pax(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  std::optional<int> pax;
  if (v->is_string())
    pax = pax_from_text(v->get_string());
  else if (v->is_double())
    pax = pax_from_number(v->get_double());
  else if (v->is_int64())  // exact as a double in range; any other stays out of range
    pax = pax_from_number(static_cast<double>(v->get_int64()));
  else if (v->is_uint64())
    pax = pax_from_number(static_cast<double>(v->get_uint64()));
  if (!pax)
    fail(key, "must be a whole number from 0 to " + std::to_string(kMaxPax) +
                  " (a number, or a string of digits)");
  return pax;
}

const json::object* FieldReader::object(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

const json::array* FieldReader::array(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(key, "must be an array");
    return nullptr;
  }
  return &v->get_array();
}

namespace {

// The SAX handler behind parse_object: builds the value exactly as json::parse does (its own
// handler is this, over a value_stack) and, on the way, names every key that an object repeats.
// json::parse keeps the last of two equal keys silently, so `{"pax": 2, "pax": 900}` would be
// read as something else than what a reviewer of the body sees; refusing it is the only safe
// answer. Paths are named as FieldReader names fields ("leadSource.platform", "tags[2]").
class CheckingHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::vector<FieldError> errors;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    frames_.emplace_back().object = true;
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    frames_.pop_back();
    st.push_object(n);
    return value_done();
  }
  bool on_array_begin(json::error_code&) {
    frames_.emplace_back().object = false;
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    frames_.pop_back();
    st.push_array(n);
    return value_done();
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    st.push_key(s);
    key_.append(s.data(), s.size());
    Frame& f = frames_.back();
    f.key = std::move(key_);
    key_.clear();
    if (!f.keys.insert(f.key).second)
      errors.push_back({path(), "appears more than once in its object"});
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return value_done();
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    st.push_int64(i);
    return value_done();
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    st.push_uint64(u);
    return value_done();
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    st.push_double(d);
    return value_done();
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return value_done();
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return value_done();
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool object = false;
    std::string key;                          // an object's current key
    std::size_t index = 0;                    // an array's current index
    std::set<std::string, std::less<>> keys;  // an object's keys so far (ordered: no hash floods)
  };

  // The next value of an array has the next index.
  bool value_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  std::string path() const {
    std::string out;
    for (const auto& f : frames_) {
      if (f.object)
        out += (out.empty() ? "" : ".") + f.key;
      else
        out += "[" + std::to_string(f.index) + "]";
    }
    return out;
  }

  std::vector<Frame> frames_;
  std::string key_;  // the parts of a key split across buffers
};

constexpr std::string_view kNulReason = "must not contain a NUL character (\\u0000)";

void find_nul_characters(const json::object& o, const std::string& prefix,
                         std::vector<FieldError>& errors);

void find_nul_characters(const json::value& v, const std::string& path,
                         std::vector<FieldError>& errors) {
  if (v.is_string()) {
    if (v.get_string().find('\0') != json::string::npos)
      errors.push_back({path, std::string(kNulReason)});
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i)
      find_nul_characters(a[i], path + "[" + std::to_string(i) + "]", errors);
  } else if (v.is_object()) {
    find_nul_characters(v.get_object(), path + ".", errors);
  }
}

void find_nul_characters(const json::object& o, const std::string& prefix,
                         std::vector<FieldError>& errors) {
  for (const auto& kv : o) {
    const std::string field = prefix + std::string(kv.key());
    if (kv.key().find('\0') != json::string_view::npos)
      errors.push_back({field, std::string(kNulReason) + " in its name"});
    find_nul_characters(kv.value(), field, errors);
  }
}

// A body of thousands of repeated keys is one mistake: name the first ones, not all.
constexpr std::size_t kMaxReported = 50;

}  // namespace

void find_nul_characters(const json::object& o, std::vector<FieldError>& errors) {
  find_nul_characters(o, "", errors);
}

Result<json::object> parse_object(std::string_view body) {
  json::basic_parser<CheckingHandler> parser(json::parse_options{});
  parser.handler().st.reset();
  json::error_code ec;
  const std::size_t n = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && n < body.size()) ec = json::error::extra_data;
  if (ec)
    return Error::validation({{"body", "is not valid JSON: " + ec.message()}}, "malformed JSON");
  json::value v = parser.handler().st.release();
  if (!v.is_object())
    return Error::validation({{"body", "must be a JSON object"}}, "malformed JSON");
  std::vector<FieldError> errors = std::move(parser.handler().errors);
  find_nul_characters(v.get_object(), errors);
  if (!errors.empty()) {
    if (errors.size() > kMaxReported) {
      const std::size_t more = errors.size() - kMaxReported;
      errors.resize(kMaxReported);
      errors.push_back({"body", "and " + std::to_string(more) + " more problems of the same kind"});
    }
    return Error::validation(std::move(errors), "the body repeats a key or holds a NUL character");
  }
  return std::move(v.get_object());
}

}  // namespace leadproc::codec
