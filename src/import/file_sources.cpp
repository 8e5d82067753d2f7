#include "import/file_sources.h"

#include <bson/bson.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "domain/text.h"

namespace leadproc::import {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

Result<json::object> parse_document(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec)
    return Error::validation({{"(document)", "is not valid JSON: " + ec.message()}},
                             "malformed document");
  if (!v.is_object())
    return Error::validation({{"(document)", "must be a JSON object"}}, "malformed document");
  return std::move(v.get_object());
}

// mongoexport's default: one document per line; blank lines are skipped.
// `mongoexport --pretty` writes each document over several lines: when the file's first document
// does not end on its first line, every document is read up to where its JSON value ends, and is
// located by its first line. Deciding once, by the first document, keeps a truncated line of a
// one-per-line file from swallowing the lines after it.
class JsonLinesSource final : public DocumentSource {
 public:
  JsonLinesSource(std::ifstream in, std::string name, std::uintmax_t size)
      : in_(std::move(in)), name_(std::move(name)), size_(size) {}

  std::optional<double> fraction_read() const override {
    if (size_ == 0) return std::nullopt;
    const auto at = in_.tellg();
    return at < 0 ? 1.0 : std::min(1.0, static_cast<double>(at) / static_cast<double>(size_));
  }

  std::optional<SourceDocument> next() override {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_no_;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      // After a bad multi-line document: its other lines up to the next document's '{'.
      if (resync_ && line[0] != '{') continue;
      resync_ = false;
      const std::string location = name_ + ":" + std::to_string(line_no_);
      if (mode_ == Mode::kUnknown) mode_ = ends_on_its_line(line) ? Mode::kLines : Mode::kPretty;
      if (mode_ == Mode::kLines) return SourceDocument{location, parse_document(line)};
      return SourceDocument{location, read_over_lines(std::move(line))};
    }
    return std::nullopt;
  }

 private:
  enum class Mode { kUnknown, kLines, kPretty };

  // True unless `line` is the valid start of a JSON value that goes on.
  static bool ends_on_its_line(std::string_view line) {
    json::stream_parser p;
    json::error_code ec;
    p.write(line.data(), line.size(), ec);
    return ec || p.done();
  }

  // The document that starts with `line`, read up to the line where its value ends.
  Result<json::object> read_over_lines(std::string line) {
    json::stream_parser p;
    json::error_code ec;
    const std::int64_t first = line_no_;
    for (;;) {
      line += '\n';
      p.write(line.data(), line.size(), ec);
      if (ec) break;
      if (p.done()) {
        json::value v = p.release();
        if (!v.is_object())
          return Error::validation({{"(document)", "must be a JSON object"}}, "malformed document");
        return std::move(v.get_object());
      }
      if (!std::getline(in_, line)) {
        ec = json::error::incomplete;
        break;
      }
      ++line_no_;
    }
    resync_ = true;
    return Error::validation(
        {{"(document)", "is not valid JSON: " + ec.message() + " (lines " + std::to_string(first) +
                            "-" + std::to_string(line_no_) + ")"}},
        "malformed document");
  }

  mutable std::ifstream in_;  // mutable: tellg() (fraction_read) is not const
  std::string name_;
  std::uintmax_t size_ = 0;  // bytes of the file
  std::int64_t line_no_ = 0;
  Mode mode_ = Mode::kUnknown;
  bool resync_ = false;
};

// `mongoexport --jsonArray`: one array; documents are located by their index.
class JsonArraySource final : public DocumentSource {
 public:
  JsonArraySource(std::string text, std::string name) : name_(std::move(name)) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) {
      error_ = ec ? "is not valid JSON: " + ec.message() : std::string("must be a JSON array");
      return;
    }
    items_ = std::move(v.get_array());
  }

  std::optional<double> fraction_read() const override {
    return items_.empty() ? 1.0 : static_cast<double>(index_) / static_cast<double>(items_.size());
  }

  std::optional<SourceDocument> next() override {
    if (error_) {
      auto e = std::move(*error_);
      error_.reset();
      done_ = true;
      return SourceDocument{name_, Error::validation({{"(file)", e}}, "malformed file")};
    }
    if (done_ || index_ >= items_.size()) return std::nullopt;
    std::size_t i = index_++;
    std::string location = name_ + "[" + std::to_string(i) + "]";
    auto& item = items_[i];
    if (!item.is_object())
      return SourceDocument{location, Error::validation({{"(document)", "must be a JSON object"}},
                                                        "malformed document")};
    json::object doc = std::move(item.get_object());
    item = nullptr;  // what was handed out is not kept twice
    return SourceDocument{location, std::move(doc)};
  }

 private:
  std::string name_;
  json::array items_;
  std::size_t index_ = 0;
  std::optional<std::string> error_;
  bool done_ = false;
};

struct ReaderDeleter {
  void operator()(bson_reader_t* r) const { bson_reader_destroy(r); }
};
struct BsonFree {
  void operator()(char* p) const { bson_free(p); }
};

// The Extended JSON object of a BSON document, built straight from its elements: what libbson's
// relaxed rendering followed by json::parse gives (plain_value reads both the same way: a date
// is always {"$date": {"$numberLong"}}, which it reads like relaxed mode's ISO text), without
// writing and parsing the text (a third of an import's CPU went to that). Nullopt for what it
// does not build (a type other than the spec's: binary, regex, timestamp...; text that is not
// UTF-8): the caller then renders the document with libbson, as before.
bool append_elements(bson_iter_t& it, bool array, json::value& into);

// UTF-8 as libbson's rendering accepts it (a NUL inside a string is allowed, as \u0000); ASCII,
// almost every string of a dump, is checked without libbson's per-character decoding.
bool valid_utf8(const char* text, std::uint32_t len, bool allow_nul) {
  bool ascii = true;
  for (std::uint32_t i = 0; i < len; ++i) ascii &= static_cast<unsigned char>(text[i]) < 0x80;
  if (ascii && (allow_nul || std::memchr(text, 0, len) == nullptr)) return true;
  return bson_utf8_validate(text, len, allow_nul);
}

std::optional<json::value> element_value(bson_iter_t& it) {
  switch (bson_iter_type(&it)) {
    case BSON_TYPE_UTF8: {
      std::uint32_t len = 0;
      const char* text = bson_iter_utf8(&it, &len);
      if (!valid_utf8(text, len, true)) return std::nullopt;
      return json::value(json::string_view(text, len));
    }
    case BSON_TYPE_INT32:
      return json::value(static_cast<std::int64_t>(bson_iter_int32(&it)));
    case BSON_TYPE_INT64:
      return json::value(bson_iter_int64(&it));
    case BSON_TYPE_DOUBLE: {
      const double d = bson_iter_double(&it);
      if (!std::isfinite(d))
        return json::value(json::object{{"$numberDouble", std::isnan(d) ? "NaN"
                                                          : d > 0       ? "Infinity"
                                                                        : "-Infinity"}});
      return json::value(d);
    }
    case BSON_TYPE_BOOL:
      return json::value(bson_iter_bool(&it));
    case BSON_TYPE_NULL:
      return json::value(nullptr);
    case BSON_TYPE_OID: {
      char hex[25];
      bson_oid_to_string(bson_iter_oid(&it), hex);
      return json::value(json::object{{"$oid", hex}});
    }
    case BSON_TYPE_DATE_TIME:
      return json::value(json::object{
          {"$date", json::object{{"$numberLong", std::to_string(bson_iter_date_time(&it))}}}});
    case BSON_TYPE_DECIMAL128: {
      bson_decimal128_t dec;
      if (!bson_iter_decimal128(&it, &dec)) return std::nullopt;
      char text[BSON_DECIMAL128_STRING];
      bson_decimal128_to_string(&dec, text);
      return json::value(json::object{{"$numberDecimal", text}});
    }
    case BSON_TYPE_DOCUMENT:
    case BSON_TYPE_ARRAY: {
      const bool array = bson_iter_type(&it) == BSON_TYPE_ARRAY;
      bson_iter_t child;
      if (!bson_iter_recurse(&it, &child)) return std::nullopt;
      json::value v = array ? json::value(json::array()) : json::value(json::object());
      if (!append_elements(child, array, v)) return std::nullopt;
      return v;
    }
    default:
      return std::nullopt;
  }
}

bool append_elements(bson_iter_t& it, bool array, json::value& into) {
  while (bson_iter_next(&it)) {
    auto v = element_value(it);
    if (!v) return false;
    if (array) {
      into.get_array().push_back(std::move(*v));
      continue;
    }
    const std::uint32_t key_len = bson_iter_key_len(&it);
    const char* key = bson_iter_key(&it);
    if (!valid_utf8(key, key_len, false)) return false;
    into.get_object().insert_or_assign(json::string_view(key, key_len), std::move(*v));
  }
  return true;
}

std::optional<json::object> extended_json_of(const bson_t* doc) {
  bson_iter_t it;
  if (!bson_iter_init(&it, doc)) return std::nullopt;
  json::value v = json::object();
  if (!append_elements(it, false, v)) return std::nullopt;
  return std::move(v.get_object());
}

// mongodump: concatenated BSON documents. Each becomes the Extended JSON object libbson's relaxed
// rendering gives, so that BSON and mongoexport's JSON share the decoder.
class BsonSource final : public DocumentSource {
 public:
  BsonSource(bson_reader_t* reader, std::string name, std::uintmax_t size)
      : reader_(reader), name_(std::move(name)), size_(size) {}

  std::optional<double> fraction_read() const override {
    if (size_ == 0) return std::nullopt;
    const auto at = static_cast<double>(bson_reader_tell(reader_.get()));
    return std::min(1.0, at / static_cast<double>(size_));
  }

  std::optional<SourceDocument> next() override {
    if (done_) return std::nullopt;
    const auto offset = bson_reader_tell(reader_.get());
    bool eof = false;
    const bson_t* doc = bson_reader_read(reader_.get(), &eof);
    ++count_;
    std::string location = name_ + "#" + std::to_string(count_);
    if (!doc) {
      done_ = true;
      if (eof) return std::nullopt;
      // A length that runs past the end or a truncated file: nothing after it can be found.
      return SourceDocument{location + " (byte " + std::to_string(offset) + ")",
                            Error::validation({{"(document)",
                                                "is not a complete BSON document; the rest of the "
                                                "file is not read"}},
                                              "malformed BSON")};
    }
    if (!bson_validate(doc, BSON_VALIDATE_NONE, nullptr)) {
      return SourceDocument{
          location, Error::validation({{"(document)", "is not valid BSON"}}, "malformed BSON")};
    }
    if (auto object = extended_json_of(doc)) return SourceDocument{location, std::move(*object)};
    std::size_t length = 0;
    std::unique_ptr<char, BsonFree> text(bson_as_relaxed_extended_json(doc, &length));
    if (!text)
      return SourceDocument{
          location,
          Error::validation({{"(document)", "cannot be rendered as JSON (invalid UTF-8?)"}},
                            "malformed BSON")};
    return SourceDocument{location, parse_document(std::string_view(text.get(), length))};
  }

 private:
  std::unique_ptr<bson_reader_t, ReaderDeleter> reader_;
  std::string name_;
  std::uintmax_t size_ = 0;  // bytes of the file
  std::int64_t count_ = 0;
  bool done_ = false;
};

ssize_t read_stdio(void* handle, void* buf, std::size_t count) {
  auto* in = static_cast<std::FILE*>(handle);
  const std::size_t n = std::fread(buf, 1, count, in);
  return n == 0 && std::ferror(in) ? -1 : static_cast<ssize_t>(n);
}
void close_stdio(void* handle) {
  std::fclose(static_cast<std::FILE*>(handle));
}

std::uintmax_t file_size_or_zero(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  return ec ? 0 : size;
}

}  // namespace

Result<std::unique_ptr<DocumentSource>> open_file(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string lname = lower_ascii(name);
  if (lname.ends_with(".gz"))
    return Error::validation({{file.string(), "is compressed (mongodump --gzip): gunzip it first"}},
                             "cannot read " + file.string());
  if (lname.ends_with(".bson")) {
    // Read through a stdio buffer of 1 MiB: libbson's own file reader asks the kernel for 1 KiB
    // at a time (a read() per two documents).
    std::FILE* in = std::fopen(file.c_str(), "rb");
    if (!in)
      return Error::validation(
          {{file.string(), std::string("cannot be opened: ") + std::strerror(errno)}},
          "cannot read " + file.string());
    std::setvbuf(in, nullptr, _IOFBF, 1 << 20);
    bson_reader_t* reader = bson_reader_new_from_handle(in, &read_stdio, &close_stdio);
    return std::unique_ptr<DocumentSource>(
        std::make_unique<BsonSource>(reader, name, file_size_or_zero(file)));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Error::validation({{file.string(), "cannot be opened"}}, "cannot read " + file.string());
  // A JSON array (--jsonArray) starts with '['; one document per line starts with '{'.
  char first = 0;
  while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
  }
  in.clear();
  in.seekg(0);
  if (first == '[') {
    std::ostringstream text;
    text << in.rdbuf();
    return std::unique_ptr<DocumentSource>(std::make_unique<JsonArraySource>(text.str(), name));
  }
  return std::unique_ptr<DocumentSource>(
      std::make_unique<JsonLinesSource>(std::move(in), name, file_size_or_zero(file)));
}

Result<std::vector<ImportFile>> files_to_import(const std::vector<fs::path>& paths,
                                                std::vector<fs::path>& ignored) {
  std::vector<ImportFile> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> entries;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file()) entries.push_back(e.path());
      if (ec) return Error::validation({{p.string(), ec.message()}}, "cannot read " + p.string());
      std::sort(entries.begin(), entries.end());
      for (const auto& e : entries) {
        const std::string name = e.filename().string();
        if (lower_ascii(name).ends_with(".gz") &&
            collection_of_file(name.substr(0, name.size() - 3)))
          return Error::validation(
              {{e.string(), "is compressed (mongodump --gzip): gunzip the folder's files first"}},
              "cannot import " + e.string());
        if (auto c = collection_of_file(name))
          out.push_back({e, *c});
        else
          ignored.push_back(e);
      }
    } else if (fs::is_regular_file(p, ec)) {
      auto c = collection_of_file(p.filename().string());
      if (!c)
        return Error::validation(
            {{p.string(),
              "does not name a collection leadproc imports (<collection>.bson or "
              "<collection>.json)"}},
            "cannot import " + p.string());
      out.push_back({p, *c});
    } else {
      return Error::validation({{p.string(), "no such file or directory"}},
                               "cannot import " + p.string());
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ImportFile& a, const ImportFile& b) {
    if (a.collection != b.collection) return a.collection < b.collection;
    return a.path < b.path;
  });
  return out;
}

}  // namespace leadproc::import
