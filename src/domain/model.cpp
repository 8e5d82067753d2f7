#include "domain/model.h"

namespace leadproc {

std::string User::display_name() const {
  std::string out = first_name.value_or("");
  if (last_name && !last_name->empty()) {
    if (!out.empty()) out += ' ';
    out += *last_name;
  }
  if (!out.empty()) return out;
  // Never the email: the name is copied onto leads and into activities that agents and sales
  // read, and emails are for admins (docs/api-auth.md). The end of the id tells users apart.
  return "user " + (id.size() > 6 ? id.substr(id.size() - 6) : id);
}

}  // namespace leadproc
