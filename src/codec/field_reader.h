// Reading a JSON request body field by field while collecting every problem, so that one 422
// can name every bad field (PRODUCT.md: "problem+json listing every bad field").
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.h"

namespace leadproc::codec {

class FieldReader {
 public:
  // Field names in errors are `prefix` + key (e.g. "destinations[2].").
  FieldReader(const boost::json::object& object, std::vector<FieldError>& errors,
              std::string prefix = "");

  bool has(std::string_view key) const;      // present and not null
  bool is_null(std::string_view key) const;  // present with the value null (PATCH: "clear it")

  // Each getter returns nullopt when the field is absent or null (adding an error if `required`)
  // or of the wrong type (adding an error).
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  std::optional<double> number(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required = false);
  // A number of people (domain/field_limits.h): a whole number from 0 to kMaxPax, sent as a JSON
  // number (3, 3.0) or as a string of digits ("3"); anything else ("2-3", "nan", 2.5) an error.
  std::optional<int> pax(std::string_view key, bool required = false);
  const boost::json::object* object(std::string_view key, bool required = false);
  const boost::json::array* array(std::string_view key, bool required = false);

  // Records a problem with a field of this object.
  void fail(std::string_view key, std::string reason);
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  const boost::json::value* find(std::string_view key, bool required);
  const boost::json::object& object_;
  std::vector<FieldError>& errors_;
  std::string prefix_;
};

// Parses a request body that must be a JSON object: every JSON request body of the API is read
// here. A 422 naming `body` when it is not JSON or not an object; a 422 naming each key that an
// object repeats (`leadSource.platform`: json::parse would keep the last one silently) and each
// string holding a NUL character (find_nul_characters). At most 50 fields are named.
Result<boost::json::object> parse_object(std::string_view body);

// Appends an error for every string of `o` (and every key) that holds a NUL character, named by
// its path ("tags[2]", "sourceMeta.formName"). PostgreSQL cannot store U+0000 in text or jsonb and
// SQLite can, so both stores refuse it before it reaches them, alike.
void find_nul_characters(const boost::json::object& o, std::vector<FieldError>& errors);

}  // namespace leadproc::codec
