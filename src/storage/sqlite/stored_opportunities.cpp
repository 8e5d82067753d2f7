#include "storage/sqlite/stored_opportunities.h"

#include <string>

#include "codec/json_codec.h"
#include "storage/sql/columns.h"

namespace leadproc::sqlite {

Result<std::vector<std::pair<Id, Opportunity>>> stored_opportunities(Connection& c,
                                                                     std::string_view condition) {
  std::vector<std::pair<Id, Opportunity>> out;
  auto q = c.query("SELECT id, doc FROM opportunities WHERE " + std::string(condition));
  if (!q) return q.error();
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    auto doc = sql::parse_object(q->text_at(1), "opportunities.doc");
    if (!doc) return doc.error();
    out.emplace_back(q->text_at(0), codec::opportunity_from_json(*doc));
  }
  return out;
}

}  // namespace leadproc::sqlite
