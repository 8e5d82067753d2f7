#include "app/retention.h"

#include <chrono>
#include <functional>

#include "app/ingest_lead.h"

namespace leadproc {
namespace {

// Runs `purge` (one batch, in its own write transaction) until a batch deletes fewer than
// kRetentionBatch or kRetentionMaxBatches ran; adds what they deleted to `total`.
Status in_batches(AppContext& ctx, const std::function<Result<int>(WriteTx&)>& purge,
                  std::int64_t& total) {
  for (int i = 0; i < kRetentionMaxBatches; ++i) {
    int deleted = 0;
    auto s = ctx.store.write([&](WriteTx& tx) -> Status {
      auto n = purge(tx);
      if (!n) return n.error();
      deleted = *n;
      return ok_status();
    });
    if (!s) return s;
    total += deleted;
    if (deleted < kRetentionBatch) break;
  }
  return ok_status();
}

}  // namespace

Result<RetentionCounts> apply_retention(AppContext& ctx, int days,
                                        const std::vector<std::string>& jobs) {
  RetentionCounts counts;
  const Timestamp now = ctx.now();
  const Timestamp replayed_since = now - kIdempotencyWindow - std::chrono::hours(1);
  if (auto s = in_batches(
          ctx, [&](WriteTx& tx) { return tx.purge_idempotency(replayed_since, kRetentionBatch); },
          counts.idempotency_records);
      !s)
    return s.error();
  if (days <= 0) return counts;
  const Timestamp kept_since = now - std::chrono::days(days);
  if (auto s = in_batches(
          ctx, [&](WriteTx& tx) { return tx.purge_outbox(kept_since, kRetentionBatch); },
          counts.outbox_events);
      !s)
    return s.error();
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    for (const auto& job : jobs) {
      auto n = tx.purge_job_runs(job, kept_since);
      if (!n) return n.error();
      counts.job_runs += *n;
    }
    return ok_status();
  });
  if (!s) return s.error();
  return counts;
}

}  // namespace leadproc
