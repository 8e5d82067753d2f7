#include "jobs/meta_leads.h"

#include "app/meta_intake.h"

namespace leadproc::jobs {
namespace {

constexpr int kBatch = 50;

// What happened to one receipt.
enum class Outcome { kIngested, kAlready, kRetrying, kFailed };

// `page`: the page the attempt used (fail_meta_receipt retries at once if it changed meanwhile).
Result<Outcome> failed(AppContext& ctx, const MetaReceipt& r, const std::optional<MetaPage>& page,
                       std::string reason, bool transient) {
  const auto seen = page ? std::optional<Timestamp>(page->updated_at) : std::nullopt;
  auto stored = fail_meta_receipt(ctx, r, std::move(reason), transient, seen);
  if (!stored) {
    // Ingested meanwhile by another worker: nothing to record.
    if (stored.error().code == ErrorCode::kPreconditionFailed) return Outcome::kAlready;
    return stored.error();
  }
  return stored->status == "failed" ? Outcome::kFailed : Outcome::kRetrying;
}

std::string field_list(const Error& e) {
  std::string out;
  for (const auto& f : e.fields) out += (out.empty() ? "" : "; ") + f.field + ": " + f.reason;
  return out.empty() ? e.detail : out;
}

Result<Outcome> process(AppContext& ctx, const GraphGet& get, const MetaReceipt& r) {
  std::optional<MetaPage> page;
  std::vector<MetaForm> forms;  // their mappings: the lead's form's over the page's
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto p = tx.get_meta_page(r.page_id);
    if (!p) return p.error();
    page = std::move(*p);
    if (!page) return ok_status();
    auto f = tx.list_meta_forms(r.page_id);
    if (!f) return f.error();
    forms = std::move(*f);
    return ok_status();
  });
  if (!s) return s.error();
  if (!page)
    return failed(ctx, r, page,
                  "no access token is saved for page " + r.page_id +
                      ": an admin must set the page up as a Meta lead source (Admin, Lead "
                      "sources) with its page access token; the lead is fetched then",
                  false);
  auto reply = get(meta_lead_url(ctx.config.meta, r.leadgen_id, page->access_token));
  if (!reply)
    return failed(ctx, r, page, "could not reach the Graph API: " + reply.error().detail, true);
  if (reply->status != 200) {
    auto why = describe_graph_error(reply->status, reply->body);
    return failed(ctx, r, page, std::move(why.reason), why.transient);
  }
  auto input = meta_lead_input(reply->body, *page, forms, r);
  if (!input) return failed(ctx, r, page, input.error().detail, false);
  auto ingested = ingest_meta_lead(ctx, r, *input);
  if (ingested) return Outcome::kIngested;
  const Error& e = ingested.error();
  if (e.code == ErrorCode::kPreconditionFailed) return Outcome::kAlready;
  if (e.code == ErrorCode::kValidation)
    return failed(ctx, r, page,
                  "the lead's answers do not make a valid lead (" + field_list(e) +
                      "): check the answer mapping of the page or of the lead's form, then Retry",
                  false);
  if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kConflict)
    return failed(ctx, r, page, "the database was busy: " + e.detail, true);
  return e;
}

}  // namespace

GraphGet curl_graph_get() {
  return [](const std::string& url) {
    HttpGetOptions options;
    options.max_redirects = 0;
    options.max_body_bytes = 1u << 20;
    options.user_agent = "leadproc-meta-intake/1";
    options.label = "the Graph API";
    return http_get(url, options);
  };
}

Result<MetaFetchCounts> fetch_due_meta_leads(AppContext& ctx, const GraphGet& get, int limit) {
  std::vector<MetaReceipt> due;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto d = tx.due_meta_receipts(ctx.now(), limit);
    if (!d) return d.error();
    due = std::move(*d);
    return ok_status();
  });
  if (!s) return s.error();
  MetaFetchCounts counts;
  for (const auto& r : due) {
    auto outcome = process(ctx, get, r);
    if (!outcome) return outcome.error();
    switch (*outcome) {
      case Outcome::kIngested:
        ++counts.ingested;
        break;
      case Outcome::kAlready:
        ++counts.already;
        break;
      case Outcome::kRetrying:
        ++counts.retrying;
        break;
      case Outcome::kFailed:
        ++counts.failed;
        break;
    }
  }
  return counts;
}

MetaLeadWorker::MetaLeadWorker(AppContext& ctx, GraphGet get, Report report,
                               std::function<void(const std::string&)> log,
                               std::chrono::milliseconds tick)
    : ctx_(ctx),
      get_(std::move(get)),
      report_(std::move(report)),
      log_(std::move(log)),
      tick_(tick),
      thread_([this](std::stop_token stop) {
        while (!stop.stop_requested()) {
          pass();
          std::unique_lock lock(mu_);
          cv_.wait_for(lock, stop, tick_, [this] { return woken_; });
          woken_ = false;
        }
      }) {}

MetaLeadWorker::~MetaLeadWorker() {
  thread_.request_stop();
}

void MetaLeadWorker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void MetaLeadWorker::pass() {
  MetaFetchCounts total;
  for (;;) {
    auto counts = fetch_due_meta_leads(ctx_, get_, kBatch);
    if (!counts) {
      if (log_) log_("meta lead fetch: " + counts.error().detail);
      break;
    }
    total.ingested += counts->ingested;
    total.already += counts->already;
    total.retrying += counts->retrying;
    total.failed += counts->failed;
    const int done = counts->ingested + counts->already + counts->retrying + counts->failed;
    if (done < kBatch) break;
  }
  if (!report_) return;
  std::int64_t failed_now = 0;
  std::int64_t pending_now = 0;
  auto s = ctx_.store.read([&](ReadTx& tx) -> Status {
    auto f = tx.count_meta_receipts("failed");
    if (!f) return f.error();
    auto p = tx.count_meta_receipts("pending");
    if (!p) return p.error();
    failed_now = *f;
    pending_now = *p;
    return ok_status();
  });
  if (s) report_(total, failed_now, pending_now);
}

}  // namespace leadproc::jobs
