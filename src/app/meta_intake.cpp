#include "app/meta_intake.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "app/intake_answers.h"
#include "crypto/secrets.h"

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::string_view kSignaturePrefix = "sha256=";

// Meta's standard question keys (docs/intake.md "What the lead gets").
const AnswerMapping kDefaultMapping{
    {"name", "full_name"}, {"number", "phone_number"}, {"email", "email"}};

std::optional<std::string> string_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

}  // namespace

bool valid_meta_signature(std::string_view raw_body, std::string_view header,
                          std::string_view app_secret) {
  if (app_secret.empty() || !header.starts_with(kSignaturePrefix)) return false;
  return constant_time_equals(header.substr(kSignaturePrefix.size()),
                              hmac_sha256_hex(app_secret, raw_body));
}

Result<std::vector<MetaReceipt>> parse_meta_webhook(std::string_view body, Timestamp now) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object())
    return Error::validation({{"body", "must be a JSON object"}}, "the webhook is not JSON");
  std::vector<FieldError> errors;
  std::vector<MetaReceipt> out;
  const auto& root = doc.get_object();
  auto entries = root.find("entry");
  if (entries == root.end() || !entries->value().is_array())
    return Error::validation({{"entry", "must be an array"}}, "not a Meta webhook");
  std::size_t i = 0;
  for (const auto& entry : entries->value().get_array()) {
    const std::string entry_path = "entry[" + std::to_string(i++) + "]";
    if (!entry.is_object()) {
      errors.push_back({entry_path, "must be an object"});
      continue;
    }
    auto changes = entry.get_object().find("changes");
    if (changes == entry.get_object().end()) continue;  // e.g. a messaging entry
    if (!changes->value().is_array()) {
      errors.push_back({entry_path + ".changes", "must be an array"});
      continue;
    }
    std::size_t j = 0;
    for (const auto& change : changes->value().get_array()) {
      const std::string path = entry_path + ".changes[" + std::to_string(j++) + "]";
      if (!change.is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      if (string_of(change.get_object(), "field") != "leadgen") continue;
      auto value = change.get_object().find("value");
      if (value == change.get_object().end() || !value->value().is_object()) {
        errors.push_back({path + ".value", "must be an object"});
        continue;
      }
      const auto& v = value->value().get_object();
      const std::string vpath = path + ".value.";
      MetaReceipt r;
      std::optional<std::string> leadgen_id, page_id, created;
      read_id(v, "leadgen_id", vpath, leadgen_id, errors);
      read_id(v, "page_id", vpath, page_id, errors);
      read_id(v, "form_id", vpath, r.form_id, errors);
      read_id(v, "ad_id", vpath, r.ad_id, errors);
      read_id(v, "adgroup_id", vpath, r.adgroup_id, errors);
      read_id(v, "created_time", vpath, created, errors);
      if (!leadgen_id && !v.contains("leadgen_id"))
        errors.push_back({vpath + "leadgen_id", "is required"});
      if (!page_id && !v.contains("page_id")) errors.push_back({vpath + "page_id", "is required"});
      if (!leadgen_id || !page_id) continue;
      r.leadgen_id = *leadgen_id;
      r.page_id = *page_id;
      if (created && created->size() <= 12) r.created_time = std::stoll(*created);
      r.next_attempt_at = now;
      r.received_at = now;
      r.updated_at = now;
      out.push_back(std::move(r));
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the webhook is invalid");
  return out;
}

Result<int> record_meta_receipts(AppContext& ctx, const std::vector<MetaReceipt>& receipts) {
  int added = 0;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    added = 0;
    for (const auto& r : receipts) {
      auto inserted = tx.insert_meta_receipt(r);
      if (!inserted) return inserted.error();
      added += *inserted ? 1 : 0;
    }
    return ok_status();
  });
  if (!s) return s.error();
  return added;
}

Result<AnswerMapping> meta_answer_mapping(std::string_view page_mapping,
                                          std::string_view form_mapping) {
  auto page = answer_mapping(page_mapping, kDefaultMapping);
  if (!page) return page.error();
  return answer_mapping(form_mapping, *page);
}

Result<LeadInput> meta_lead_input(std::string_view graph_body, const MetaPage& page,
                                  const std::vector<MetaForm>& forms, const MetaReceipt& receipt) {
  boost::system::error_code ec;
  json::value doc = json::parse(graph_body, ec);
  if (ec || !doc.is_object())
    return Error::internal("the Graph API answered something that is not a lead object");
  const auto& o = doc.get_object();
  std::optional<std::string> form_id = receipt.form_id;
  std::vector<FieldError> ignored;  // a malformed form_id in Graph's answer: the receipt's stays
  read_id(o, "form_id", "", form_id, ignored);
  auto form = std::find_if(forms.begin(), forms.end(),
                           [&](const MetaForm& f) { return form_id && f.form_id == *form_id; });
  auto mapping =
      meta_answer_mapping(page.mapping_json, form == forms.end() ? "{}" : form->mapping_json);
  if (!mapping) return mapping.error();

  // field_data: [{"name": key, "values": [text, ...]}]; the first value of each key.
  Answers answers;
  if (auto fd = o.find("field_data"); fd != o.end() && fd->value().is_array()) {
    for (const auto& item : fd->value().get_array()) {
      if (!item.is_object()) continue;
      auto name = string_of(item.get_object(), "name");
      auto values = item.get_object().find("values");
      if (!name || values == item.get_object().end() || !values->value().is_array() ||
          values->value().get_array().empty())
        continue;
      const auto& first = values->value().get_array()[0];
      if (first.is_string())
        answers.emplace_back(*name, std::string(first.get_string()));
      else if (first.is_number())
        answers.emplace_back(*name, json::serialize(first));
    }
  }
  LeadInput in;
  in.trace_id = receipt.leadgen_id;
  apply_answers(*mapping, answers, in);
  const bool ig = string_of(o, "platform") == "ig";
  in.platform = ig && page.instagram_platform ? Platform::kInstagram : Platform::kPaidAds;
  in.primary_source = "meta_lead_ads";
  in.secondary_source = ig ? "instagram" : "facebook";
  in.source_meta.from_id = form_id;
  static constexpr std::pair<std::string_view, std::string_view> kAttribution[] = {
      {"ad_id", "adid"},           {"ad_name", "adName"},         {"adset_id", "adsetId"},
      {"adset_name", "adsetName"}, {"campaign_id", "campaignId"}, {"campaign_name", "campaignName"},
  };
  for (const auto& [graph, field] : kAttribution) {
    auto it = o.find(graph);
    if (it == o.end()) continue;
    if (auto id = exact_id(it->value()))
      in.attribution[std::string(field)] = *id;
    else if (it->value().is_string())
      in.attribution[std::string(field)] = std::string(it->value().get_string());
  }
  if (!in.attribution.contains("adid") && receipt.ad_id) in.attribution["adid"] = *receipt.ad_id;
  if (!in.attribution.contains("adsetId") && receipt.adgroup_id)
    in.attribution["adsetId"] = *receipt.adgroup_id;
  return in;
}

Result<IngestResult> ingest_meta_lead(AppContext& ctx, const MetaReceipt& receipt,
                                      const LeadInput& input) {
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string(); };
  auto mark = [&](WriteTx& tx, const Lead&, const Opportunity& opp) -> Status {
    MetaReceipt done = receipt;
    done.status = "ingested";
    done.attempts = receipt.attempts + 1;
    done.reason.reset();
    done.opportunity_id = opp.id;
    done.updated_at = ctx.now();
    return tx.update_meta_receipt(done);
  };
  return ingest_lead(ctx, input, IdempotencyInput{}, render, mark);
}

std::chrono::seconds meta_retry_delay(int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 7);  // 30 s * 2^7 = 64 min: capped below
  return std::min<std::chrono::seconds>(std::chrono::seconds(30) * (1 << doublings),
                                        std::chrono::hours(1));
}

Result<MetaReceipt> fail_meta_receipt(AppContext& ctx, MetaReceipt receipt, std::string reason,
                                      bool transient, std::optional<Timestamp> page_seen) {
  const Timestamp now = ctx.now();
  const MetaReceipt attempted = receipt;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    receipt = attempted;
    receipt.attempts += 1;
    receipt.updated_at = now;
    auto page = tx.get_meta_page(receipt.page_id);
    if (!page) return page.error();
    const std::optional<Timestamp> page_now =
        *page ? std::optional<Timestamp>((*page)->updated_at) : std::nullopt;
    if (page_now != page_seen) {
      receipt.status = "pending";
      receipt.next_attempt_at = now;
      receipt.reason = reason + " (the page was saved again meanwhile: retried now)";
    } else if (transient && receipt.attempts < kMetaMaxAttempts) {
      receipt.status = "pending";
      receipt.next_attempt_at = now + meta_retry_delay(receipt.attempts);
      receipt.reason = reason;
    } else {
      receipt.status = "failed";
      receipt.reason = transient ? reason + " (gave up after " + std::to_string(receipt.attempts) +
                                       " attempts; Retry tries again)"
                                 : reason;
    }
    return tx.update_meta_receipt(receipt);
  });
  if (!s) return s.error();
  return receipt;
}

GraphFailure describe_graph_error(long status, std::string_view body) {
  std::int64_t code = 0;
  std::int64_t subcode = 0;
  std::string message;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    if (auto e = doc.get_object().find("error");
        e != doc.get_object().end() && e->value().is_object()) {
      const auto& err = e->value().get_object();
      if (auto c = err.find("code"); c != err.end() && c->value().is_int64())
        code = c->value().get_int64();
      if (auto c = err.find("error_subcode"); c != err.end() && c->value().is_int64())
        subcode = c->value().get_int64();
      if (auto m = string_of(err, "message")) message = *m;
    }
  }
  const std::string said = message.empty() ? "" : " (Meta said: " + message + ")";
  if (code == 190 || status == 401)
    return {"the page access token has expired or was revoked" + said +
                ": an admin must save a new page access token for this page; the lead is fetched "
                "again then",
            false};
  if (code == 10 || code == 200 || (code >= 200 && code < 300) || status == 403)
    return {
        "the page access token lacks permission to read leads (leads_retrieval, "
        "pages_manage_ads) or the app is not allowed by the page's Leads Access Manager" +
            said + ": an admin must grant it and save the token again",
        false};
  if (code == 4 || code == 17 || code == 32 || code == 613 || code == 80001 || status == 429)
    return {"Meta's rate limit was reached" + said + "; retried later", true};
  if (code == 100 && subcode == 33)
    return {"the lead does not exist or this token cannot see it" + said +
                ": check that the page's token belongs to the page that owns the form",
            false};
  if (status >= 500 || status == 0)
    return {"the Graph API did not answer properly (HTTP " + std::to_string(status) + ")" + said +
                "; retried later",
            true};
  return {"the Graph API refused the request (HTTP " + std::to_string(status) + ")" + said, false};
}

std::string graph_query_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string meta_graph_base(const MetaConfig& config) {
  std::string base = config.graph_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + config.graph_version + "/";
}

std::string meta_graph_url(const MetaConfig& config, std::string_view path, std::string_view query,
                           const std::string& access_token) {
  return meta_graph_base(config) + std::string(path) + "?" + std::string(query) +
         "&access_token=" + graph_query_escape(access_token);
}

std::string meta_lead_url(const MetaConfig& config, const std::string& leadgen_id,
                          const std::string& access_token) {
  return meta_graph_url(config, leadgen_id,
                        "fields=id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,"
                        "campaign_name,form_id,field_data,is_organic,platform",
                        access_token);
}

}  // namespace leadproc
