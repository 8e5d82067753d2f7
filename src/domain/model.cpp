#include "domain/model.h"

namespace leadproc {

std::string User::display_name() const {
  std::string out = first_name.value_or("");
  if (last_name && !last_name->empty()) {
    if (!out.empty()) out += ' ';
    out += *last_name;
  }
  return out.empty() ? email : out;
}

}  // namespace leadproc
