#include "http/meta_page_json.h"

#include "app/meta_intake.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"

namespace leadproc::http {
namespace json = boost::json;
using codec::optional_string;
using codec::optional_time;

json::object mapping_json(const Result<AnswerMapping>& mapping) {
  json::object m;
  if (mapping)
    for (const auto& [field, key] : *mapping) m[field] = key;
  return m;
}

json::value watermark_json(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return nullptr;
  return json::value(format_iso8601(Timestamp(std::chrono::seconds(*seconds))));
}

json::object form_json(const MetaForm& f, std::string_view page_mapping) {
  return json::object{
      {"formId", f.form_id},
      {"name", optional_string(f.name)},
      {"watermark", watermark_json(f.watermark)},
      {"syncedAt", optional_time(f.synced_at)},
      {"error", optional_string(f.error)},
      {"mapping", mapping_json(answer_mapping(f.mapping_json, {}))},
      {"effectiveMapping", mapping_json(meta_answer_mapping(page_mapping, f.mapping_json))}};
}

json::object page_json(const MetaPage& p) {
  return json::object{{"pageId", p.page_id},
                      {"hasAccessToken", !p.access_token.empty()},
                      {"instagramPlatform", p.instagram_platform},
                      {"mapping", mapping_json(meta_answer_mapping(p.mapping_json))},
                      {"updatedAt", format_iso8601(p.updated_at)},
                      {"syncedAt", optional_time(p.synced_at)},
                      {"syncError", optional_string(p.sync_error)}};
}

Result<json::object> page_status_json(ReadTx& tx, const MetaPage& p) {
  auto out = page_json(p);
  auto stats = tx.meta_page_stats(p.page_id);
  if (!stats) return stats.error();
  auto forms = tx.list_meta_forms(p.page_id);
  if (!forms) return forms.error();
  out["lastLeadAt"] = optional_time(stats->last_lead_at);
  out["failedReceipts"] = stats->failed;
  out["pendingReceipts"] = stats->pending;
  json::array items;
  for (const auto& f : *forms) items.push_back(form_json(f, p.mapping_json));
  out["forms"] = std::move(items);
  return out;
}

}  // namespace leadproc::http
