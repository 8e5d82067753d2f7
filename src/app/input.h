// What the typed inputs of the use cases share. A use case takes a plain struct: the HTTP layer
// decodes a request body into it (src/http/decode_*.h: JSON types, null versus absent, the fields
// the API refuses), the CLI and the demo data fill it in directly, and the use case applies the
// entity's rules to whatever filled it, so every path gets the same checks.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace leadproc {

// A field that PATCH may set to a value, clear (null), or leave alone (absent: !given).
template <typename T>
struct Patch {
  bool given = false;
  std::optional<T> value;  // the new value; nullopt with `given` clears the field
};

// True iff some error names `field`.
bool names_field(const std::vector<FieldError>& errors, std::string_view field);

// Adds "<field>: is required" unless `present`, or an error already names the field (a decoder
// that found a value of the wrong type has said so).
void require_field(std::vector<FieldError>& errors, bool present, std::string_view field);

}  // namespace leadproc
