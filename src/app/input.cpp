#include "app/input.h"

#include <algorithm>
#include <string>

namespace leadproc {

bool names_field(const std::vector<FieldError>& errors, std::string_view field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

void require_field(std::vector<FieldError>& errors, bool present, std::string_view field) {
  if (!present && !names_field(errors, field))
    errors.push_back({std::string(field), "is required"});
}

}  // namespace leadproc
