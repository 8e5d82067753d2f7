// Idempotency keys are scoped to the caller (PRODUCT.md "Idempotency"): a traceID or
// Idempotency-Key that one lead source (API key) or user has used never refuses another caller's
// lead, and a replay returns the stored answer only to the caller that made it.
#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

class IdempotencyScope : public SharedServerTest<IdempotencyScope> {
 protected:
  void SetUp() override {
    SharedServerTest::SetUp();
    if (HasFatalFailure()) return;
    a_ = {{"X-Api-Key", issue_key(http(), "source A", "website").key}};
    b_ = {{"X-Api-Key", issue_key(http(), "source B", "instagram").key}};
  }
  // POST /api/v1/leads as a lead source: its key's header, plus `extra`.
  Response send(const Headers& source, const json::object& body, Headers extra = {}) {
    HttpClient c(server().base_url());
    extra.insert(extra.begin(), source.begin(), source.end());
    return c.post("/api/v1/leads", body, extra);
  }
  // The same as `send`, as the test admin (a signed-in user).
  Response send_as_user(const json::object& body, const Headers& extra = {}) {
    return post_lead(http(), body, extra);
  }

  Headers a_, b_;
};

TEST_F(IdempotencyScope, TheSameTraceIdFromTwoSourcesIsTwoLeads) {
  const std::string trace = unique_name("shared-trace");
  json::object body_a = lead_body("Asha", next_mobile());
  body_a["traceID"] = trace;
  json::object body_b = lead_body("Bina", next_mobile(), "instagram");
  body_b["traceID"] = trace;

  Response first_a = send(a_, body_a);
  ASSERT_EQ(first_a.status, 201) << first_a.describe();
  Response first_b = send(b_, body_b);
  ASSERT_EQ(first_b.status, 201) << "source B's lead was refused for A's traceID: "
                                 << first_b.describe();
  EXPECT_NE(str(first_a.json(), "opportunity._id"), str(first_b.json(), "opportunity._id"));
  EXPECT_EQ(str(first_b.json(), "lead.name"), "Bina");

  // Each source's retry replays its own first answer.
  Response replay_a = send(a_, body_a);
  EXPECT_EQ(replay_a.status, 200) << replay_a.describe();
  EXPECT_EQ(replay_a.json(), first_a.json());
  Response replay_b = send(b_, body_b);
  EXPECT_EQ(replay_b.status, 200) << replay_b.describe();
  EXPECT_EQ(replay_b.json(), first_b.json());

  // A different body under a source's own traceID is still refused.
  json::object changed = body_a;
  changed["name"] = "Asha R";
  Response refused = send(a_, changed);
  expect_problem(refused, 422);
  EXPECT_TRUE(contains(problem_fields(refused), "Idempotency-Key")) << refused.describe();

  // A signed-in user may use the same traceID too.
  json::object body_user = lead_body("Chitra", next_mobile(), "dc");
  body_user["traceID"] = trace;
  Response from_user = send_as_user(body_user);
  EXPECT_EQ(from_user.status, 201) << from_user.describe();
}

TEST_F(IdempotencyScope, TheSameIdempotencyKeyFromTwoSourcesIsTwoLeads) {
  const Headers key = {{"Idempotency-Key", unique_name("shared-key")}};
  const json::object body_a = lead_body("Deepa", next_mobile());
  const json::object body_b = lead_body("Esha", next_mobile(), "instagram");

  Response first_a = send(a_, body_a, key);
  ASSERT_EQ(first_a.status, 201) << first_a.describe();
  Response first_b = send(b_, body_b, key);
  ASSERT_EQ(first_b.status, 201) << "source B's lead was refused for A's key: "
                                 << first_b.describe();
  EXPECT_NE(str(first_a.json(), "opportunity._id"), str(first_b.json(), "opportunity._id"));

  Response replay_a = send(a_, body_a, key);
  EXPECT_EQ(replay_a.status, 200) << replay_a.describe();
  EXPECT_EQ(replay_a.json(), first_a.json());
  Response replay_b = send(b_, body_b, key);
  EXPECT_EQ(replay_b.status, 200) << replay_b.describe();
  EXPECT_EQ(replay_b.json(), first_b.json());
  expect_problem(send(b_, body_a, key), 422);  // B's key, a body B never sent under it

  Response from_user = send_as_user(lead_body("Farah", next_mobile(), "dc"), key);
  EXPECT_EQ(from_user.status, 201) << from_user.describe();
}

// Caller B sending exactly what caller A sent, under the same key, is B's own request: it is
// stored (as a duplicate of A's: same number and destination) and B never sees A's answer.
TEST_F(IdempotencyScope, ACallerNeverGetsAnotherCallersStoredAnswer) {
  const Headers key = {{"Idempotency-Key", unique_name("same-body")}};
  json::object body = lead_body("Gauri", next_mobile());
  body["traceID"] = unique_name("same-body-trace");

  Response from_a = send(a_, body, key);
  ASSERT_EQ(from_a.status, 201) << from_a.describe();
  Response from_b = send(b_, body, key);
  ASSERT_EQ(from_b.status, 201) << "B was given A's stored answer: " << from_b.describe();
  EXPECT_NE(from_b.json(), from_a.json());
  EXPECT_NE(str(from_b.json(), "opportunity._id"), str(from_a.json(), "opportunity._id"));
  EXPECT_EQ(at(from_b.json(), "duplicate"), json::value(true));
  EXPECT_EQ(str(from_b.json(), "opportunity.duplicateOf"), str(from_a.json(), "opportunity._id"));

  // The signed-in user too gets an answer of their own, not either source's.
  Response from_user = send_as_user(body, key);
  ASSERT_EQ(from_user.status, 201) << from_user.describe();
  EXPECT_NE(str(from_user.json(), "opportunity._id"), str(from_a.json(), "opportunity._id"));
  EXPECT_NE(str(from_user.json(), "opportunity._id"), str(from_b.json(), "opportunity._id"));

  // And each replay is its own caller's.
  EXPECT_EQ(send(a_, body, key).json(), from_a.json());
  EXPECT_EQ(send(b_, body, key).json(), from_b.json());
  Response replay_user = send_as_user(body, key);
  EXPECT_EQ(replay_user.status, 200);
  EXPECT_EQ(replay_user.json(), from_user.json());
}

}  // namespace
}  // namespace leadproc::apitest
