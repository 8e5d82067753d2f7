// The retention deletes of the store (app/retention.h): the outbox with its webhook deliveries
// and attempts, idempotency records and job runs, against every adapter (SQLite always;
// PostgreSQL when LEADPROC_TEST_PG_URL is set, run by the storage_pg test). What must stay is
// checked as carefully as what goes: an event a subscriber has not had, an event not fanned out,
// and everything newer than the cut.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/store.h"
#include "contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kT0 = 1'700'000'000'000;

class RetentionContract : public storage_test::ContractTest {
 protected:
  // Stores an event created at `created` and returns its seq.
  std::int64_t event(unsigned n, std::int64_t created) {
    OutboxEvent e;
    e.id = oid(n);
    e.type = "lead.created";
    e.opp_id = oid(1000 + n);
    e.at = at(created);
    e.body = R"({"n":)" + std::to_string(n) + "}";
    EXPECT_TRUE(write([&](WriteTx& tx) { return tx.insert_outbox_event(e); }).ok());
    auto all = read([](ReadTx& tx) { return tx.outbox_events_after(0, 1000); });
    EXPECT_TRUE(all.ok());
    for (const auto& got : *all)
      if (got.id == e.id) return got.seq;
    ADD_FAILURE() << "event " << n << " not stored";
    return 0;
  }
  void fan_out(const std::vector<std::int64_t>& seqs) {
    ASSERT_TRUE(write([&](WriteTx& tx) { return tx.mark_outbox_fanned_out(seqs); }).ok());
  }
  void subscription(const Id& id, bool enabled) {
    WebhookSubscription s;
    s.id = id;
    s.url = "http://127.0.0.1:9/hook";
    s.event_types = {"*"};
    s.secret = "whsec_dGVzdA==";
    s.enabled = enabled;
    s.created_at = at(kT0);
    s.updated_at = at(kT0);
    ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_webhook_subscription(s); }).ok());
  }
  // A delivery of event `seq` to `sub` with `status`, and one attempt in its log.
  void delivery(const Id& sub, std::int64_t seq, const std::string& status) {
    WebhookDelivery d;
    d.subscription_id = sub;
    d.event_seq = seq;
    d.event_id = oid(static_cast<unsigned>(seq));
    d.event_type = "lead.created";
    d.status = status;
    d.attempts = 1;
    d.next_attempt_at = at(kT0);
    d.created_at = at(kT0);
    d.updated_at = at(kT0);
    WebhookAttempt a;
    a.subscription_id = sub;
    a.event_seq = seq;
    a.attempt = 1;
    a.at = at(kT0);
    a.status = status == "delivered" ? 200 : 503;
    ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                  if (auto s = tx.insert_webhook_delivery(d); !s) return s;
                  return tx.finish_webhook_delivery(d, a);
                }).ok());
  }
  std::vector<std::int64_t> stored_seqs() {
    auto all = read([](ReadTx& tx) { return tx.outbox_events_after(0, 1000); });
    EXPECT_TRUE(all.ok());
    std::vector<std::int64_t> out;
    for (const auto& e : *all) out.push_back(e.seq);
    return out;
  }
  std::size_t deliveries(const Id& sub) {
    auto all =
        read([&](ReadTx& tx) { return tx.list_webhook_deliveries(sub, std::nullopt, 0, 1000); });
    EXPECT_TRUE(all.ok());
    return all->size();
  }
  std::size_t attempts(const Id& sub, std::int64_t seq) {
    auto all = read([&](ReadTx& tx) { return tx.list_webhook_attempts(sub, seq); });
    EXPECT_TRUE(all.ok());
    return all->size();
  }
};

TEST_P(RetentionContract, OldDeliveredEventsGoWithTheirDeliveriesAndAttempts) {
  const Id sub = oid(500);
  subscription(sub, true);
  const auto e1 = event(1, kT0);
  const auto e2 = event(2, kT0 + 1);
  const auto e3 = event(3, kT0 + 40 * kDay);  // newer than the cut
  fan_out({e1, e2, e3});
  delivery(sub, e1, "delivered");
  delivery(sub, e2, "dead");  // a dead letter goes with its event
  delivery(sub, e3, "delivered");

  auto n = write([](WriteTx& tx) { return tx.purge_outbox(at(kT0 + 30 * kDay), 100); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(stored_seqs(), std::vector<std::int64_t>{e3});
  EXPECT_EQ(deliveries(sub), 1u);
  EXPECT_EQ(attempts(sub, e1), 0u);
  EXPECT_EQ(attempts(sub, e2), 0u);
  EXPECT_EQ(attempts(sub, e3), 1u);
}

TEST_P(RetentionContract, APendingDeliveryKeepsItsEventAndEveryLaterOne) {
  const Id up = oid(500), down = oid(501);
  subscription(up, true);
  subscription(down, true);
  const auto e1 = event(1, kT0);
  const auto e2 = event(2, kT0 + 1);
  const auto e3 = event(3, kT0 + 2);
  fan_out({e1, e2, e3});
  for (auto seq : {e1, e2, e3}) delivery(up, seq, "delivered");
  delivery(down, e1, "delivered");
  delivery(down, e2, "pending");  // the subscriber has not had it yet
  delivery(down, e3, "delivered");

  auto n = write([](WriteTx& tx) { return tx.purge_outbox(at(kT0 + 30 * kDay), 100); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(stored_seqs(), (std::vector<std::int64_t>{e2, e3}));
  EXPECT_EQ(deliveries(down), 2u);
  EXPECT_EQ(deliveries(up), 2u);
  EXPECT_EQ(attempts(down, e2), 1u);
}

TEST_P(RetentionContract, ADisabledSubscriptionHoldsNothingBack) {
  const Id gone = oid(502);
  subscription(gone, false);
  const auto e1 = event(1, kT0);
  fan_out({e1});
  delivery(gone, e1, "pending");
  auto n = write([](WriteTx& tx) { return tx.purge_outbox(at(kT0 + 30 * kDay), 100); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(stored_seqs().empty());
  EXPECT_EQ(deliveries(gone), 0u);
}

TEST_P(RetentionContract, EventsNotFannedOutStayAndSoDoLaterOnes) {
  const auto e1 = event(1, kT0);
  const auto e2 = event(2, kT0 + 1);
  const auto e3 = event(3, kT0 + 2);
  fan_out({e1, e3});
  auto n = write([](WriteTx& tx) { return tx.purge_outbox(at(kT0 + 30 * kDay), 100); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(stored_seqs(), (std::vector<std::int64_t>{e2, e3}));
}

TEST_P(RetentionContract, ABatchDeletesAtMostItsLimitOldestFirst) {
  std::vector<std::int64_t> seqs;
  for (unsigned i = 1; i <= 5; ++i) seqs.push_back(event(i, kT0 + i));
  fan_out(seqs);
  auto n = write([](WriteTx& tx) { return tx.purge_outbox(at(kT0 + 30 * kDay), 2); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(stored_seqs(), (std::vector<std::int64_t>{seqs[2], seqs[3], seqs[4]}));
}

// What retention may delete rests on the fan-out's marks: marking names events one by one (in
// statements of several at a time), so exactly those are marked, across statement boundaries and
// with a short last statement, and none between them.
TEST_P(RetentionContract, FanningOutMarksExactlyTheEventsNamed) {
  std::vector<std::int64_t> all;
  for (unsigned n = 1; n <= 75; ++n) all.push_back(event(n, kT0));
  std::vector<std::int64_t> marked, left;
  for (std::size_t i = 0; i < all.size(); ++i) (i % 3 == 1 ? left : marked).push_back(all[i]);
  ASSERT_GT(marked.size(), 32u);  // more than one statement's worth
  fan_out(marked);
  auto unfanned = write([](WriteTx& tx) { return tx.unfanned_outbox_events(1000); });
  ASSERT_TRUE(unfanned.ok()) << unfanned.error().detail;
  std::vector<std::int64_t> got;
  for (const auto& e : *unfanned) got.push_back(e.seq);
  EXPECT_EQ(got, left);
  fan_out({});  // nothing to mark: no statement, no error
}

TEST_P(RetentionContract, IdempotencyRecordsOlderThanTheCutGo) {
  ASSERT_TRUE(write([](WriteTx& tx) -> Status {
                for (unsigned i = 1; i <= 3; ++i) {
                  IdempotencyRecord r{"api-key:k", "key-" + std::to_string(i), "h", 201,
                                      "{}",        at(kT0 + i * kDay)};
                  if (auto s = tx.save_idempotency(r); !s) return s;
                }
                return ok_status();
              }).ok());
  auto n = write([](WriteTx& tx) { return tx.purge_idempotency(at(kT0 + 2 * kDay + 1), 100); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 2);
  for (unsigned i = 1; i <= 3; ++i) {
    auto got = read(
        [&](ReadTx& tx) { return tx.find_idempotency("api-key:k", "key-" + std::to_string(i)); });
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->has_value(), i == 3) << "key-" << i;
  }
}

TEST_P(RetentionContract, JobRunsOlderThanTheCutGoPerJob) {
  ASSERT_TRUE(write([](WriteTx& tx) -> Status {
                for (const char* job : {"a", "b"})
                  for (std::int64_t d : {0, 1, 2}) {
                    JobRun r;
                    r.job = job;
                    r.slot = at(kT0 + d * kDay);
                    r.instance = "test";
                    r.started_at = r.slot;
                    auto claimed = tx.claim_job_run(r);
                    if (!claimed) return claimed.error();
                  }
                return ok_status();
              }).ok());
  auto n = write([](WriteTx& tx) { return tx.purge_job_runs("a", at(kT0 + 2 * kDay)); });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 2);
  auto a = read([](ReadTx& tx) { return tx.list_job_runs("a", 10); });
  auto b = read([](ReadTx& tx) { return tx.list_job_runs("b", 10); });
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 1u);
  EXPECT_EQ(b->size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Adapters, RetentionContract,
                         ::testing::ValuesIn(storage_test::contract_backends("retention")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
