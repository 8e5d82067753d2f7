// Intake from Meta Lead Ads (docs/intake.md): the webhook Meta calls (public: it is
// authenticated by its signature, not by a key of ours) and the admin routes that configure pages
// and their forms' answer mappings, show and retry receipts, and an admin's Sync now (the
// reconciler on one page).
#include <algorithm>
#include <boost/json/serialize.hpp>

#include "app/intake_answers.h"
#include "app/intake_sources.h"
#include "app/meta_admin.h"
#include "app/meta_intake.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "crypto/secrets.h"
#include "domain/time_format.h"
#include "http/meta_page_json.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;
using codec::optional_string;
using codec::optional_time;

namespace {

constexpr std::string_view kReceiptStatuses[] = {"pending", "ingested", "failed"};

json::object receipt_json(const MetaReceipt& r) {
  return json::object{
      {"leadgenId", r.leadgen_id},
      {"pageId", r.page_id},
      {"formId", optional_string(r.form_id)},
      {"adId", optional_string(r.ad_id)},
      {"adgroupId", optional_string(r.adgroup_id)},
      {"createdTime", r.created_time ? json::value(*r.created_time) : json::value(nullptr)},
      {"status", r.status},
      {"attempts", r.attempts},
      {"nextAttemptAt", r.status == "pending" ? json::value(format_iso8601(r.next_attempt_at))
                                              : json::value(nullptr)},
      {"reason", optional_string(r.reason)},
      {"opportunityId", optional_string(r.opportunity_id)},
      {"receivedAt", format_iso8601(r.received_at)},
      {"updatedAt", format_iso8601(r.updated_at)},
      {"via", r.via},
  };
}

json::object sync_json(const MetaPageSync& s) {
  json::array forms;
  for (const auto& f : s.forms)
    forms.push_back(json::object{{"formId", f.form_id},
                                 {"name", optional_string(f.name)},
                                 {"listed", f.listed},
                                 {"new", f.added},
                                 {"watermark", watermark_json(f.watermark)},
                                 {"error", optional_string(f.error)}});
  return json::object{{"pageId", s.page_id},
                      {"syncedAt", format_iso8601(s.synced_at)},
                      {"error", optional_string(s.error)},
                      {"listed", s.listed},
                      {"new", s.added},
                      {"forms", std::move(forms)}};
}

Response forbidden(const Request& req, std::string detail) {
  return problem_response(Error{ErrorCode::kForbidden, std::move(detail), {}, {}, 0}, req.trace_id);
}

// Whether `sent` is one of `keys` (each compared in constant time, all of them compared).
bool any_equals(const std::vector<std::string>& keys, std::string_view sent) {
  bool found = false;
  for (const auto& key : keys) found = constant_time_equals(sent, key) || found;
  return found;
}

// GET /api/v1/intake/meta: Meta's subscription handshake. The challenge is echoed as text only
// for hub.mode=subscribe with a verify token of this server: the configured one or a Meta
// source's (app/intake_sources.h; compared in constant time).
Response verify(AppContext& ctx, const Request& req) {
  const auto mode = query_string(req, "hub.mode");
  const auto sent = query_string(req, "hub.verify_token");
  const auto challenge = query_string(req, "hub.challenge");
  if (mode != "subscribe" || !sent || sent->empty() || !challenge || challenge->empty() ||
      challenge->size() > 256)
    return forbidden(req, "the verification request does not carry this server's verify token");
  auto keys = meta_app_keys(ctx);
  if (!keys) return problem_response(keys.error(), req.trace_id);
  if (!any_equals(keys->verify_tokens, *sent))
    return forbidden(req, "the verification request does not carry this server's verify token");
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = *challenge;
  return r;
}

// POST /api/v1/intake/meta: checks the signature over the raw bytes (before any parsing: Meta
// signs its own escaping of the body, which a re-serialisation would change) under the app
// secrets of this server (the configured one and each Meta source's), stores a receipt per
// leadgen change, then answers 200. Nothing is stored unless all of it is stored.
Response receive(AppContext& ctx, const std::function<void()>& wake, const Request& req) {
  auto keys = meta_app_keys(ctx);
  if (!keys) return problem_response(keys.error(), req.trace_id);
  if (keys->app_secrets.empty())
    return problem_response(
        Error::unavailable("Meta intake is not configured: set up a Meta lead source (or "
                           "LEADPROC_META_APP_SECRET)",
                           60),
        req.trace_id);
  const auto signature = req.header("x-hub-signature-256");
  bool valid = false;
  if (signature)
    for (const auto& secret : keys->app_secrets)
      valid = valid_meta_signature(req.body, *signature, secret) || valid;
  if (!valid)
    return problem_response(
        Error{ErrorCode::kUnauthorized,
              "X-Hub-Signature-256 is missing or is not this body's signature under an app secret "
              "of this server",
              {},
              {},
              0},
        req.trace_id);
  auto receipts = parse_meta_webhook(req.body, ctx.now());
  if (!receipts) return problem_response(receipts.error(), req.trace_id);
  auto added = record_meta_receipts(ctx, *receipts);
  if (!added) return problem_response(added.error(), req.trace_id);
  if (*added > 0 && wake) wake();
  return json_response(200, json::object{{"received", receipts->size()}, {"new", *added}});
}

Response save_page(AppContext& ctx, const std::function<void()>& wake, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  MetaPageChange change;
  for (const auto& [key, value] : *body) {
    if (key != "accessToken" && key != "instagramPlatform" && key != "mapping")
      change.decode_errors.push_back({std::string(key), "is not a field of a page"});
  }
  codec::FieldReader r(*body, change.decode_errors);
  change.access_token = r.string("accessToken");
  change.instagram_platform = r.boolean("instagramPlatform");
  if (const auto* mapping = r.object("mapping")) change.mapping_json = json::serialize(*mapping);
  auto saved = save_meta_page(ctx, req.params.at("pageId"), change);
  if (!saved) return problem_response(saved.error(), req.trace_id);
  // A new token: a fetch may be waiting on it (requeued receipts, or one failing right now).
  if (change.access_token && wake) wake();
  auto out = page_json(saved->page);
  out["requeued"] = saved->requeued;
  return json_response(200, out);
}

Response list_pages(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto pages = tx.list_meta_pages();
    if (!pages) return pages.error();
    for (const auto& p : *pages) {
      auto page = page_status_json(tx, p);
      if (!page) return page.error();
      items.push_back(std::move(*page));
    }
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response list_receipts(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"status", "pageId", "limit"}, errors);
  auto status = query_string(req, "status");
  if (status && std::find(std::begin(kReceiptStatuses), std::end(kReceiptStatuses), *status) ==
                    std::end(kReceiptStatuses))
    errors.push_back({"status", "must be pending, ingested or failed"});
  auto page_id = query_string(req, "pageId");
  if (page_id && !is_id_digits(*page_id))
    errors.push_back({"pageId", "must be a page's id (digits)"});
  const int limit = query_int(req, "limit", 1, 500, errors).value_or(100);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid query parameters"),
                            req.trace_id);
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto receipts = tx.list_meta_receipts(status, page_id, limit);
    if (!receipts) return receipts.error();
    for (const auto& r : *receipts) items.push_back(receipt_json(r));
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

// GET /api/v1/intake/meta/pages/{pageId}/forms: the page's forms with their mappings (the
// reconciler's and those an admin mapped). 404 for a page not set up.
Response list_forms(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  const std::string& page_id = req.params.at("pageId");
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto page = tx.get_meta_page(page_id);
    if (!page) return page.error();
    if (!*page) return Error::not_found("no Meta page " + page_id + " is set up");
    auto forms = tx.list_meta_forms(page_id);
    if (!forms) return forms.error();
    for (const auto& f : *forms) items.push_back(form_json(f, (*page)->mapping_json));
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

// PUT /api/v1/intake/meta/pages/{pageId}/forms/{formId}: {"mapping": {...}, "name"?}.
Response save_form(AppContext& ctx, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  MetaFormChange change;
  for (const auto& [key, value] : *body) {
    if (key != "mapping" && key != "name")
      change.decode_errors.push_back({std::string(key), "is not a field of a form"});
  }
  codec::FieldReader r(*body, change.decode_errors);
  change.name = r.string("name");
  if (const auto* mapping = r.object("mapping")) change.mapping_json = json::serialize(*mapping);
  auto saved = set_meta_form_mapping(ctx, req.params.at("pageId"), req.params.at("formId"), change);
  if (!saved) return problem_response(saved.error(), req.trace_id);
  return json_response(200, form_json(saved->form, saved->page_mapping_json));
}

// POST /api/v1/intake/meta/pages/{pageId}/sync: an admin's Sync now. Runs the reconciler on the
// page while the request waits (a few Graph API calls per form), then wakes the fetcher for the
// receipts it stored. A Graph API failure is a 200 whose `error` says it (and stays on the page).
Response sync_page(const MetaPageSyncer& sync, const std::function<void()>& wake,
                   const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  auto synced = sync(req.params.at("pageId"));
  if (!synced) return problem_response(synced.error(), req.trace_id);
  if (synced->added > 0 && wake) wake();
  return json_response(200, sync_json(*synced));
}

}  // namespace

void register_intake_routes(Router& router, AppContext& ctx, std::function<void()> wake,
                            MetaPageSyncer sync) {
  router.add("GET", "/api/v1/intake/meta", "meta_intake.verify", Access::public_route(),
             [&ctx](Request& req) { return verify(ctx, req); });
  router.add(
      "POST", "/api/v1/intake/meta", "meta_intake.receive", Access::public_route(),
      [&ctx, wake](Request& req) { return receive(ctx, wake, req); }, Execution::kWorker,
      BodySize::kLarge);
  router.add("PUT", "/api/v1/intake/meta/pages/{pageId}", "meta_pages.save", Access::admin(),
             [&ctx, wake](Request& req) { return save_page(ctx, wake, req); });
  router.add("GET", "/api/v1/intake/meta/pages", "meta_pages.list", Access::admin(),
             [&ctx](Request& req) { return list_pages(ctx, req); });
  router.add("GET", "/api/v1/intake/meta/receipts", "meta_receipts.list", Access::admin(),
             [&ctx](Request& req) { return list_receipts(ctx, req); });
  router.add("POST", "/api/v1/intake/meta/receipts/{leadgenId}/retry", "meta_receipts.retry",
             Access::admin(), [&ctx, wake](Request& req) {
               auto r = retry_meta_receipt(ctx, req.params.at("leadgenId"));
               if (!r) return problem_response(r.error(), req.trace_id);
               if (wake) wake();
               return json_response(200, receipt_json(*r));
             });
  router.add("GET", "/api/v1/intake/meta/pages/{pageId}/forms", "meta_forms.list", Access::admin(),
             [&ctx](Request& req) { return list_forms(ctx, req); });
  router.add("PUT", "/api/v1/intake/meta/pages/{pageId}/forms/{formId}", "meta_forms.save",
             Access::admin(), [&ctx](Request& req) { return save_form(ctx, req); });
  router.add("POST", "/api/v1/intake/meta/pages/{pageId}/sync", "meta_pages.sync", Access::admin(),
             [sync = std::move(sync), wake](Request& req) { return sync_page(sync, wake, req); });
}

}  // namespace leadproc::http
