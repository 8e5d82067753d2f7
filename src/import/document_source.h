// Where the documents of one collection come from: a sequence of Extended JSON objects, each
// with its location for reports. The files of mongodump/mongoexport are read by file_sources.h;
// tests may feed documents from memory.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace leadproc::import {

struct SourceDocument {
  // Where the document is, for an admin to find it: "leads.json:12" (a line), "leads.json[3]"
  // (an index of a JSON array), "leads.bson#3" (the 1-based document of a BSON file).
  std::string location;
  // The document as Extended JSON, or why it could not be read (malformed JSON or BSON, not an
  // object): kValidation.
  Result<boost::json::object> document;
};

class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  // The next document; nullopt at the end. After a document that cannot be read, a source that
  // cannot find the start of the next one (a corrupt BSON length) ends.
  virtual std::optional<SourceDocument> next() = 0;
  // How much of the source has been read, from 0 to 1 (the bytes of a file), for progress;
  // nullopt when the source cannot tell.
  virtual std::optional<double> fraction_read() const { return std::nullopt; }
};

// A source over documents held in memory (tests, and callers that already have them).
class VectorSource final : public DocumentSource {
 public:
  explicit VectorSource(std::vector<SourceDocument> docs) : docs_(std::move(docs)) {}
  std::optional<SourceDocument> next() override {
    if (next_ >= docs_.size()) return std::nullopt;
    return std::move(docs_[next_++]);
  }
  std::optional<double> fraction_read() const override {
    return docs_.empty() ? 1.0 : static_cast<double>(next_) / static_cast<double>(docs_.size());
  }

 private:
  std::vector<SourceDocument> docs_;
  std::size_t next_ = 0;
};

}  // namespace leadproc::import
