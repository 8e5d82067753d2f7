// Meta Lead Ads intake's use cases (app/meta_intake.h) over a real SQLite store: signature
// vectors with Hindi, Arabic and accented text, ids beyond 2^53 kept digit for digit, and exactly
// one lead per leadgen_id: the receipt is marked in the lead's own transaction, so a second
// ingestion of the same receipt (a second worker, a redelivery) stores nothing, and a failure of
// the marking rolls the lead back.
#include "app/meta_intake.h"

#include <gtest/gtest.h>

#include <memory>

#include "backends.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

// Meta escapes non-ASCII as \uXXXX in the body it signs; the signature is over those bytes.
// The expected digests were computed with Python's hmac (key "app-secret-é" in UTF-8).
constexpr std::string_view kEscapedBody =
    R"({"object":"page","entry":[{"changes":[{"field":"leadgen","value":{"leadgen_id":98765432109876543,"page_id":1}}],"n":"\u0905\u0928\u093f\u0932 \u0645\u062d\u0645\u062f Ren\u00e9e"}]})";
constexpr std::string_view kEscapedSignature =
    "sha256=ab090520e2ffa5a492cda344f552f204cf30c5f45d94d1a91fb5dcd1d864ea67";
constexpr std::string_view kRawBody = "{\"n\":\"अनिल محمد Renée\"}";
constexpr std::string_view kRawSignature =
    "sha256=ffe556676a6addb35d0e0bc9360a5916ddcce87fac5cb44a1ca6205f570391b7";

TEST(MetaSignature, MatchesMetasHmacOfTheRawBytes) {
  EXPECT_TRUE(valid_meta_signature(kEscapedBody, kEscapedSignature, "app-secret-é"));
  EXPECT_TRUE(valid_meta_signature(kRawBody, kRawSignature, "app-secret-é"));
  // The same text, escaped differently, is other bytes: refused.
  EXPECT_FALSE(valid_meta_signature(kRawBody, kEscapedSignature, "app-secret-é"));
  EXPECT_FALSE(valid_meta_signature(kEscapedBody, kEscapedSignature, "another secret"));
  EXPECT_FALSE(valid_meta_signature(kEscapedBody, kEscapedSignature.substr(7), "app-secret-é"));
  EXPECT_FALSE(valid_meta_signature(kEscapedBody, "sha1=ab09", "app-secret-é"));
  EXPECT_FALSE(valid_meta_signature(kEscapedBody, "sha256=", ""));  // no secret: nothing valid
}

TEST(MetaWebhook, IdsKeepEveryDigit) {
  const Timestamp now{std::chrono::milliseconds(1'700'000'000'000)};
  auto r = parse_meta_webhook(
      R"({"entry":[{"changes":[{"field":"feed","value":{}},{"field":"leadgen","value":{)"
      R"("leadgen_id":18446744073709551615,"page_id":"104857600123456","form_id":9007199254740993,)"
      R"("ad_id":null,"created_time":1765011600}}]},{"changes":[{"field":"leadgen","value":{)"
      R"("leadgen_id":9007199254740993,"page_id":1}}]}]})",
      now);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].leadgen_id, "18446744073709551615");  // the uint64 maximum
  EXPECT_EQ((*r)[0].page_id, "104857600123456");
  EXPECT_EQ((*r)[0].form_id, "9007199254740993");  // 2^53 + 1: a double would make it ...992
  EXPECT_EQ((*r)[0].ad_id, std::nullopt);
  EXPECT_EQ((*r)[0].created_time, 1765011600);
  EXPECT_EQ((*r)[1].leadgen_id, "9007199254740993");

  // Beyond uint64, a fraction, an exponent, a negative: named, never rounded.
  auto bad = parse_meta_webhook(
      R"({"entry":[{"changes":[{"field":"leadgen","value":{"leadgen_id":18446744073709551616,)"
      R"("page_id":1.0,"form_id":1e15,"ad_id":-5}}]}]})",
      now);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "entry[0].changes[0].value.leadgen_id", "entry[0].changes[0].value.page_id",
                        "entry[0].changes[0].value.form_id", "entry[0].changes[0].value.ad_id"}));
}

class MetaIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = sqlite::SqliteStore::open((dir_.path() / "meta.db").string());
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate().ok());
    ctx_ = std::make_unique<AppContext>(
        *store_, phones_, ids_, [this] { return now_; }, AppConfig{});
    receipt_.leadgen_id = "98765432109876543";
    receipt_.page_id = "104857600123456";
    receipt_.next_attempt_at = receipt_.received_at = receipt_.updated_at = now_;
    auto added = record_meta_receipts(*ctx_, {receipt_, receipt_});
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 1);  // the same leadgen_id twice in one body: one receipt
    input_.name = "Renée";
    input_.number = "+919812345670";
  }
  void TearDown() override {
    ctx_.reset();
    store_.reset();
  }
  std::size_t opportunities() {
    std::size_t n = 0;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Status {
                      auto list = tx.list_opportunities({}, Page{std::nullopt, 100});
                      if (!list) return list.error();
                      n = list->size();
                      return ok_status();
                    })
                    .ok());
    return n;
  }
  MetaReceipt stored() {
    MetaReceipt out;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Status {
                      auto r = tx.get_meta_receipt(receipt_.leadgen_id);
                      if (!r) return r.error();
                      if (*r) out = **r;
                      return ok_status();
                    })
                    .ok());
    return out;
  }

  storage_test::TempDir dir_{"meta"};
  std::unique_ptr<Store> store_;
  PhoneNormalizer phones_{"IN"};
  ObjectIdGenerator ids_{0x1234567890ULL, 1};
  Timestamp now_{std::chrono::milliseconds(1'700'000'000'000)};
  std::unique_ptr<AppContext> ctx_;
  MetaReceipt receipt_;
  LeadInput input_;
};

TEST_F(MetaIngest, ASecondIngestionOfTheSameReceiptStoresNothing) {
  auto first = ingest_meta_lead(*ctx_, receipt_, input_);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(stored().status, "ingested");
  EXPECT_EQ(stored().opportunity_id, first->opportunity_id);
  // A second worker holding the same (pending) receipt: its lead is rolled back.
  auto second = ingest_meta_lead(*ctx_, receipt_, input_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(opportunities(), 1u);
  // And a failure recorded late cannot undo the ingestion.
  EXPECT_FALSE(fail_meta_receipt(*ctx_, receipt_, "late", true).ok());
  EXPECT_EQ(stored().status, "ingested");
}

TEST_F(MetaIngest, ALeadWhoseReceiptCannotBeMarkedIsNotStored) {
  // The receipt vanishes (as if the marking failed): the lead's transaction rolls back whole.
  MetaReceipt unknown = receipt_;
  unknown.leadgen_id = "1";
  auto r = ingest_meta_lead(*ctx_, unknown, input_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(opportunities(), 0u);
  EXPECT_EQ(stored().status, "pending");
}

TEST_F(MetaIngest, TransientFailuresBackOffThenFail) {
  MetaReceipt r = receipt_;
  for (int i = 1; i < kMetaMaxAttempts; ++i) {
    auto f = fail_meta_receipt(*ctx_, r, "rate limit", true);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->status, "pending");
    EXPECT_EQ(f->next_attempt_at, now_ + meta_retry_delay(i));
    r = *f;
  }
  EXPECT_EQ(meta_retry_delay(1), std::chrono::seconds(30));
  EXPECT_EQ(meta_retry_delay(2), std::chrono::seconds(60));
  EXPECT_EQ(meta_retry_delay(20), std::chrono::hours(1));
  auto last = fail_meta_receipt(*ctx_, r, "rate limit", true);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->status, "failed");
  EXPECT_NE(last->reason->find("gave up after 12 attempts"), std::string::npos) << *last->reason;
}

}  // namespace
}  // namespace leadproc
