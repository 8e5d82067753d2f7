// Webhook signatures (crypto/webhook_signing.h) against the Standard Webhooks reference test
// vector (standard-webhooks/standard-webhooks, libraries/go/webhook_test.go TestWebhookSign; the
// same vector is in the other reference libraries' tests), plus rotation and the secret format.
#include <gtest/gtest.h>

#include "crypto/secrets.h"
#include "crypto/webhook_signing.h"

namespace leadproc {
namespace {

constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr std::string_view kPayload = R"({"test": 2432232314})";
constexpr std::string_view kExpected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSigning, MatchesTheStandardWebhooksReferenceVector) {
  const auto key = webhook_secret_key(kSecret);
  ASSERT_TRUE(key);
  EXPECT_EQ(webhook_signature({*key}, kMsgId, kTimestamp, kPayload), kExpected);
  EXPECT_TRUE(verify_webhook_signature(*key, kExpected, kMsgId, kTimestamp, kPayload));
}

TEST(WebhookSigning, AnyChangeOfIdTimestampOrBodyFailsVerification) {
  const auto key = *webhook_secret_key(kSecret);
  EXPECT_FALSE(verify_webhook_signature(key, kExpected, "msg_other", kTimestamp, kPayload));
  EXPECT_FALSE(verify_webhook_signature(key, kExpected, kMsgId, kTimestamp + 1, kPayload));
  EXPECT_FALSE(
      verify_webhook_signature(key, kExpected, kMsgId, kTimestamp, R"({"test":2432232314})"));
  EXPECT_FALSE(verify_webhook_signature(key, "v1,", kMsgId, kTimestamp, kPayload));
  EXPECT_FALSE(verify_webhook_signature(key, "", kMsgId, kTimestamp, kPayload));
}

// During a rotation both secrets sign, space-separated: a subscriber holding either verifies.
TEST(WebhookSigning, TwoSecretsGiveTwoSignaturesEitherVerifies) {
  const auto old_key = *webhook_secret_key(kSecret);
  const std::string fresh = new_webhook_secret();
  const auto new_key = webhook_secret_key(fresh);
  ASSERT_TRUE(new_key);
  const std::string header = webhook_signature({*new_key, old_key}, kMsgId, kTimestamp, kPayload);
  EXPECT_EQ(header.substr(header.find(' ') + 1), kExpected);
  EXPECT_TRUE(verify_webhook_signature(old_key, header, kMsgId, kTimestamp, kPayload));
  EXPECT_TRUE(verify_webhook_signature(*new_key, header, kMsgId, kTimestamp, kPayload));
  EXPECT_FALSE(verify_webhook_signature(*webhook_secret_key(new_webhook_secret()), header, kMsgId,
                                        kTimestamp, kPayload));
}

TEST(WebhookSigning, SecretsAreWhsecAndBase64OfEnoughBytes) {
  const std::string s = new_webhook_secret();
  EXPECT_TRUE(s.starts_with("whsec_"));
  ASSERT_TRUE(webhook_secret_key(s));
  EXPECT_EQ(webhook_secret_key(s)->size(), 32u);
  EXPECT_NE(new_webhook_secret(), s);
  EXPECT_FALSE(webhook_secret_key("whsec_"));
  EXPECT_FALSE(webhook_secret_key("whsec_not*base64"));
  EXPECT_FALSE(webhook_secret_key("whsec_" + base64(std::string(16, 'k'))));  // too short
  EXPECT_FALSE(webhook_secret_key("whsec_" + base64(std::string(65, 'k'))));  // too long
}

TEST(WebhookSigning, Base64RoundTrips) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})
    EXPECT_EQ(base64_decode(base64(s)), s);
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("fo"), "Zm8=");
}

}  // namespace
}  // namespace leadproc
