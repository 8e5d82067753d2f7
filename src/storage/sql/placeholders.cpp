#include "storage/sql/placeholders.h"

namespace leadproc::sql {

std::string dollar_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;  // the open quote ('\'' or '"'), 0 outside quotes
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (quote != 0) {
      if (ch == quote) quote = 0;  // a doubled quote closes and reopens: the same result
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '$';
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace leadproc::sql
