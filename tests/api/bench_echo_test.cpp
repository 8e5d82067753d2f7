// POST /api/v1/_bench/echo, the benchmark-only endpoint (docs/api.md): absent unless
// LEADPROC_BENCH_ENDPOINTS is on; when on, the access rule and body parsing of POST
// /api/v1/leads, a 201 of a set size, and nothing written.
#include <algorithm>
#include <memory>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

constexpr const char* kEcho = "/api/v1/_bench/echo";

class BenchEchoOn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    start_error_.clear();
    try {
      server_ = std::make_unique<TestServer>(own_database({{"LEADPROC_BENCH_ENDPOINTS", "1"}}));
      HttpClient admin = server_->client();
      key_ = issue_key(admin, "bench echo", "website").key;
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(server_ && !key_.empty()) << "leadproc did not start: " << start_error_;
    log_offset_ = server_->log_size();
  }
  void TearDown() override {
    if (HasFailure() && server_) print_server_log(*server_, log_offset_);
  }

  static Headers api_key() { return {{"X-Api-Key", key_}}; }

  inline static std::unique_ptr<TestServer> server_;
  inline static std::string start_error_;
  inline static std::string key_;
  std::size_t log_offset_ = 0;
};

TEST_F(BenchEchoOn, EchoesTheLeadInALeadSizedAnswerAndWritesNothing) {
  HttpClient admin = server_->client();
  const std::size_t before = list_opportunities(admin).size();
  HttpClient source(server_->base_url());
  const json::object lead = lead_body("Echo", next_mobile());

  Response r = source.post(kEcho, lead, api_key());
  ASSERT_EQ(r.status, 201) << r.describe();
  EXPECT_EQ(r.body.size(), 2250u) << "the default answer is the size of a lead's 201";
  EXPECT_TRUE(r.header("content-type").starts_with("application/json")) << r.header("content-type");
  const json::value v = r.json();
  EXPECT_EQ(at(v, "echo"), json::value(lead));
  const std::string id = str(v, "_id");
  EXPECT_TRUE(is_object_id(id)) << r.body.substr(0, 200);
  EXPECT_EQ(r.header("location"), std::string(kEcho) + "/" + id);
  const std::string padding = str(v, "padding");
  EXPECT_FALSE(padding.empty());
  EXPECT_TRUE(std::all_of(padding.begin(), padding.end(), [](char c) { return c == '.'; }));

  EXPECT_EQ(source.post(kEcho, lead, api_key()).status, 201) << "the same lead again";
  EXPECT_EQ(list_opportunities(admin).size(), before) << "the echo stored a lead";
}

TEST_F(BenchEchoOn, TheSizeParameterSetsTheAnswerSize) {
  HttpClient source(server_->base_url());
  const json::object lead = lead_body("Echo Size", next_mobile());
  Response big = source.post(std::string(kEcho) + "?size=5000", lead, api_key());
  ASSERT_EQ(big.status, 201) << big.describe();
  EXPECT_EQ(big.body.size(), 5000u);

  Response bare = source.post(std::string(kEcho) + "?size=0", lead, api_key());
  ASSERT_EQ(bare.status, 201) << bare.describe();
  EXPECT_EQ(str(bare.json(), "padding"), "");
  EXPECT_LT(bare.body.size(), 2250u);

  expect_problem(source.post(std::string(kEcho) + "?size=lots", lead, api_key()), 422);
  expect_problem(source.post(std::string(kEcho) + "?size=2000000", lead, api_key()), 422);
}

TEST_F(BenchEchoOn, TakesTheCredentialsAndBodiesOfPostLeads) {
  HttpClient anonymous(server_->base_url());
  const json::object lead = lead_body("Echo Auth", next_mobile());
  EXPECT_EQ(anonymous.post(kEcho, lead).status, 401);
  EXPECT_EQ(anonymous.post(kEcho, lead, {{"X-Api-Key", "lpk_no-such-key"}}).status, 401);
  EXPECT_EQ(anonymous.post(kEcho, lead, {{"Authorization", "ApiKey " + key_}}).status, 201);

  HttpClient admin = server_->client();
  const Login sales = create_login(admin, "SALES");
  EXPECT_EQ(anonymous.post(kEcho, lead, bearer(sales.token)).status, 201) << "an agent's token";

  // A body POST /api/v1/leads cannot parse is refused the same way here.
  for (const std::string bad : {"not json", "[1, 2]", ""}) {
    Response echo = anonymous.request("POST", kEcho, bad, api_key());
    Response leads = anonymous.request("POST", "/api/v1/leads", bad, api_key());
    EXPECT_EQ(echo.status, leads.status) << "body '" << bad << "': " << echo.describe();
    EXPECT_GE(echo.status, 400) << echo.describe();
  }
}

class BenchEchoOff : public SharedServerTest<BenchEchoOff> {};

TEST_F(BenchEchoOff, IsAnUnknownRouteByDefault) {
  const json::object lead = lead_body("Echo Off", next_mobile());
  expect_problem(http().post(kEcho, lead), 404);  // as the admin
  HttpClient anonymous(server().base_url());
  expect_problem(anonymous.post(kEcho, lead), 404);  // not even a 401: the route does not exist
  expect_problem(anonymous.get(kEcho), 404);
}

}  // namespace
}  // namespace leadproc::apitest
