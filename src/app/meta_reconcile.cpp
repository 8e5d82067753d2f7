#include "app/meta_reconcile.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "app/intake_answers.h"
#include "app/meta_intake.h"
#include "domain/time_format.h"

namespace leadproc {
namespace json = boost::json;

namespace {

std::optional<std::string> string_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<std::string> id_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  return exact_id(it->value());
}

std::int64_t seconds_of(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Meta writes "2026-12-06T09:00:00+0000" (no colon in the offset); parse_iso8601 wants "+00:00".
std::optional<std::int64_t> meta_time(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (!v.is_string()) return std::nullopt;
  std::string s(v.get_string());
  if (s.size() >= 5) {
    const std::string tail = s.substr(s.size() - 5);
    if ((tail[0] == '+' || tail[0] == '-') &&
        std::all_of(tail.begin() + 1, tail.end(), [](char c) { return c >= '0' && c <= '9'; }))
      s.insert(s.size() - 2, ":");
  }
  auto t = parse_iso8601(s);
  if (!t) return std::nullopt;
  return seconds_of(*t);
}

// {"data": [...], "paging": {"next"}}: the data array's objects and the next page.
template <typename Item, typename Read>
Result<GraphListing<Item>> parse_listing(std::string_view body, Read read) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object())
    return Error::internal("the Graph API answered something that is not a listing");
  const auto& o = doc.get_object();
  auto data = o.find("data");
  if (data == o.end() || !data->value().is_array())
    return Error::internal("the Graph API answered a listing without data");
  GraphListing<Item> out;
  for (const auto& item : data->value().get_array()) {
    if (!item.is_object()) continue;
    if (auto parsed = read(item.get_object())) out.items.push_back(std::move(*parsed));
  }
  if (auto paging = o.find("paging"); paging != o.end() && paging->value().is_object())
    out.next = string_of(paging->value().get_object(), "next");
  return out;
}

}  // namespace

Result<GraphListing<MetaListedForm>> parse_meta_forms_page(std::string_view body) {
  return parse_listing<MetaListedForm>(
      body, [](const json::object& o) -> std::optional<MetaListedForm> {
        auto id = id_of(o, "id");
        if (!id) return std::nullopt;
        return MetaListedForm{std::move(*id), string_of(o, "name")};
      });
}

Result<GraphListing<MetaListedLead>> parse_meta_leads_page(std::string_view body) {
  return parse_listing<MetaListedLead>(body,
                                       [](const json::object& o) -> std::optional<MetaListedLead> {
                                         auto id = id_of(o, "id");
                                         if (!id) return std::nullopt;
                                         MetaListedLead lead;
                                         lead.leadgen_id = std::move(*id);
                                         lead.form_id = id_of(o, "form_id");
                                         lead.ad_id = id_of(o, "ad_id");
                                         lead.adset_id = id_of(o, "adset_id");
                                         if (auto t = o.find("created_time"); t != o.end())
                                           lead.created_time = meta_time(t->value());
                                         return lead;
                                       });
}

std::string meta_forms_url(const MetaConfig& config, const std::string& page_id,
                           const std::string& access_token) {
  return meta_graph_url(config, page_id + "/leadgen_forms", "fields=id,name,status&limit=100",
                        access_token);
}

std::string meta_form_leads_url(const MetaConfig& config, const std::string& form_id,
                                std::int64_t since, const std::string& access_token) {
  const std::string filtering = R"([{"field":"time_created","operator":"GREATER_THAN","value":)" +
                                std::to_string(since) + "}]";
  return meta_graph_url(config, form_id + "/leads",
                        "fields=id,created_time,ad_id,adset_id,form_id&limit=100&filtering=" +
                            graph_query_escape(filtering),
                        access_token);
}

bool is_meta_graph_url(const MetaConfig& config, std::string_view url) {
  return url.starts_with(meta_graph_base(config));
}

std::int64_t meta_sync_since(const std::optional<std::int64_t>& watermark, Timestamp now) {
  if (watermark)
    return *watermark - std::chrono::duration_cast<std::chrono::seconds>(kMetaSyncOverlap).count();
  return seconds_of(now - kMetaFirstLookBack);
}

Result<MetaFormSync> record_meta_form_sync(AppContext& ctx, const std::string& page_id,
                                           const MetaListedForm& form,
                                           const std::vector<MetaListedLead>& leads,
                                           std::optional<std::string> error) {
  const Timestamp now = ctx.now();
  MetaFormSync out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    out = MetaFormSync{form.id, form.name, static_cast<int>(leads.size()), 0, {}, error};
    auto stored = tx.get_meta_form(page_id, form.id);
    if (!stored) return stored.error();
    MetaForm f = stored->value_or(MetaForm{page_id, form.id, {}, {}, {}, {}});
    for (const auto& lead : leads) {
      MetaReceipt r;
      r.leadgen_id = lead.leadgen_id;
      r.page_id = page_id;
      r.form_id = lead.form_id ? lead.form_id : std::optional<std::string>(form.id);
      r.ad_id = lead.ad_id;
      r.adgroup_id = lead.adset_id;
      r.created_time = lead.created_time;
      r.next_attempt_at = now;
      r.received_at = now;
      r.updated_at = now;
      r.via = "sync";
      auto inserted = tx.insert_meta_receipt(r);
      if (!inserted) return inserted.error();
      out.added += *inserted ? 1 : 0;
      // Only a complete listing moves the watermark (see the header): never past a lead that a
      // cut-short listing did not reach.
      if (!error && lead.created_time)
        f.watermark = std::max(f.watermark.value_or(*lead.created_time), *lead.created_time);
    }
    if (form.name) f.name = form.name;
    f.synced_at = now;
    f.error = error;
    out.watermark = f.watermark;
    return tx.save_meta_form(f);
  });
  if (!s) return s.error();
  return out;
}

Status record_meta_page_sync(AppContext& ctx, const std::string& page_id, Timestamp at,
                             const std::optional<std::string>& error) {
  return ctx.store.write(
      [&](WriteTx& tx) -> Status { return tx.note_meta_page_sync(page_id, at, error); });
}

}  // namespace leadproc
