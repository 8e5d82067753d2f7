// Leads from Meta Lead Ads (issue 19 items 1 and 3; docs/intake.md). Meta's webhook carries only
// ids; the lead itself is fetched from the Graph API with the page's access token. So intake is
// two steps, each durable:
//   1. the webhook (POST /api/v1/intake/meta): the signature is checked over the raw body, and a
//      receipt of every `leadgen` change is stored (record_meta_receipts) before the 200;
//   2. later, off the request (jobs/meta_leads.h): each due receipt's lead is fetched, mapped
//      (meta_lead_input) and ingested through ingest_lead, whose transaction also marks the
//      receipt ingested (ingest_meta_lead), so there is exactly one lead per leadgen_id however
//      often Meta redelivers; or the receipt is retried with backoff, or failed with a reason an
//      admin can act on (fail_meta_receipt).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "app/ingest_lead.h"
#include "app/intake_answers.h"

namespace leadproc {

// True iff `header` (X-Hub-Signature-256) is "sha256=" followed by the lower-case hex
// HMAC-SHA256 of `raw_body` under `app_secret`, compared in constant time. An empty secret
// never matches.
bool valid_meta_signature(std::string_view raw_body, std::string_view header,
                          std::string_view app_secret);

// The receipts of every `leadgen` change of a webhook body ({"object": "page", "entry": [{
// "changes": [{"field": "leadgen", "value": {leadgen_id, page_id, form_id, ad_id, adgroup_id,
// created_time}}]}]}); other fields' changes are skipped. Ids may be JSON numbers (taken as
// their exact digits, never through a double) or strings of digits. A 422 names every bad field
// (e.g. "entry[0].changes[1].value.leadgen_id"). Receipts are pending, due at `now`.
Result<std::vector<MetaReceipt>> parse_meta_webhook(std::string_view body, Timestamp now);

// Stores the receipts in one transaction; those whose leadgen_id is stored already are left as
// they are. Returns how many were new.
Result<int> record_meta_receipts(AppContext& ctx, const std::vector<MetaReceipt>& receipts);

// Which question key of a form fills which lead field: name, number, email, destination,
// travelDate, pax. Three layers, key by key: Meta's standard keys (full_name, phone_number,
// email), then the page's mapping (`page_mapping`, MetaPage::mapping_json: every form of the
// page), then the form's own (`form_mapping`, MetaForm::mapping_json): a lead field a layer names
// takes that layer's key, the others keep the layer's below. Errors: a mapping that is not an
// object of non-empty strings for lead fields, naming each bad entry ("mapping.<field>").
Result<AnswerMapping> meta_answer_mapping(std::string_view page_mapping,
                                          std::string_view form_mapping = "{}");

// The lead of a Graph API lead object (`graph_body`: {id, created_time, ad_id, ad_name, adset_id,
// adset_name, campaign_id, campaign_name, form_id, field_data: [{name, values}], is_organic,
// platform}) for `receipt`, mapped as `page` says: the answers by meta_answer_mapping with the
// mapping of the lead's form (the Graph answer's form_id, else the receipt's) when `forms` (the
// page's forms as stored) has it, else the page's and the defaults alone (a form leadproc has not
// met yet); platform paid_ads (instagram when Meta says "ig" and the page chose so), the ad and
// campaign into attribution (adid, adName, adsetId, adsetName, campaignId, campaignName), the form
// into sourceMeta.fromId, and the leadgen_id as the traceID. Errors: a body that is not such an
// object.
Result<LeadInput> meta_lead_input(std::string_view graph_body, const MetaPage& page,
                                  const std::vector<MetaForm>& forms, const MetaReceipt& receipt);

// Ingests `input` as the lead of `receipt` and marks the receipt ingested in the same
// transaction. kPreconditionFailed when the receipt was ingested already (by another worker):
// nothing is stored.
Result<IngestResult> ingest_meta_lead(AppContext& ctx, const MetaReceipt& receipt,
                                      const LeadInput& input);

// The retry policy of a fetch that failed for a reason that may pass (a network error, a 5xx, a
// rate limit): attempt n (1-based) waits min(30 s * 2^(n-1), 1 h); after kMetaMaxAttempts the
// receipt fails.
inline constexpr int kMetaMaxAttempts = 12;
std::chrono::seconds meta_retry_delay(int attempts);

// Records a failed attempt of `receipt` (attempts + 1): pending and due after meta_retry_delay
// when `transient` and attempts remain, else "failed". `reason` says in plain words what
// happened and what an admin can do. Returns the receipt as stored.
// `page_seen` is the updated_at of the page the attempt used (nullopt: there was none): when the
// page was saved again meanwhile (a new token while the fetch was under way), the receipt is
// left pending and due now instead, so a token replaced mid-attempt is never missed.
Result<MetaReceipt> fail_meta_receipt(AppContext& ctx, MetaReceipt receipt, std::string reason,
                                      bool transient,
                                      std::optional<Timestamp> page_seen = std::nullopt);

// What a Graph API error answer means, for fail_meta_receipt: the reason in plain words, and
// whether it may pass by itself (rate limits, Meta's own errors) or needs an admin (an expired or
// revoked token, a missing permission, Leads Access Manager). `status` is the HTTP status, `body`
// Meta's {"error": {"message", "type", "code", "error_subcode"}} if any.
struct GraphFailure {
  std::string reason;
  bool transient = false;
};
GraphFailure describe_graph_error(long status, std::string_view body);

// `s` percent-encoded for a URL's query (unreserved characters kept).
std::string graph_query_escape(std::string_view s);
// "{graph}/{version}/": every Graph API URL leadproc calls starts so (LEADPROC_META_GRAPH_URL
// without trailing slashes).
std::string meta_graph_base(const MetaConfig& config);
// {graph}/{version}/{path}?{query}&access_token=<token, percent-encoded>. It holds the token:
// never log it.
std::string meta_graph_url(const MetaConfig& config, std::string_view path, std::string_view query,
                           const std::string& access_token);

// The Graph API URL of a lead: {graph}/{version}/{leadgen_id}?fields=...&access_token=<token>
// (the token percent-encoded). It holds the token: never log it.
std::string meta_lead_url(const MetaConfig& config, const std::string& leadgen_id,
                          const std::string& access_token);

}  // namespace leadproc
