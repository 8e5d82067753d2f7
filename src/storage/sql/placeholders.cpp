#include "storage/sql/placeholders.h"

namespace leadproc::sql {

std::string dollar_placeholders(std::string_view sql, int* highest) {
  if (highest != nullptr) *highest = 0;
  std::string out;
  out.reserve(sql.size());
  char quote = 0;  // the open quote ('\'' or '"'), 0 outside quotes
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (quote != 0) {
      if (ch == quote) quote = 0;  // a doubled quote closes and reopens: the same result
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if ((ch == '?' || ch == '$') && i + 1 < sql.size() && sql[i + 1] >= '0' &&
               sql[i + 1] <= '9') {
      int n = 0;
      std::size_t j = i + 1;
      for (; j < sql.size() && sql[j] >= '0' && sql[j] <= '9'; ++j) n = n * 10 + (sql[j] - '0');
      if (highest != nullptr && n > *highest) *highest = n;
      out += '$';
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace leadproc::sql
