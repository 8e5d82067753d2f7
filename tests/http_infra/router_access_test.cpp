// Router access rules: the guard runs before every handler (routes added before or after it was
// set), gets each route's rule (nullopt for a route without one), and routes() lists the rules.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/router.h"

namespace leadproc::http {
namespace {

Handler ok_handler() {
  return [](Request&) { return Response{}; };
}

TEST(RouterAccess, DescribesRules) {
  EXPECT_EQ(Access::public_route().describe(), "public");
  EXPECT_EQ(Access::users().describe(), "users:*");
  EXPECT_EQ(Access::admin().describe(), "users:ADMIN");
  EXPECT_EQ(Access::users({Department::kAdmin, Department::kPsv}).describe(), "users:ADMIN,PSV");
  EXPECT_EQ(Access::users_or_api_key().describe(), "apiKey|users:*");
  EXPECT_TRUE(Access::admin().admits(Department::kAdmin));
  EXPECT_FALSE(Access::admin().admits(Department::kSales));
  EXPECT_TRUE(Access::users().admits(Department::kWest));
  EXPECT_FALSE(Access::public_route().admits(Department::kAdmin));
}

TEST(RouterAccess, TheGuardRunsFirstWithTheRouteRule) {
  Router r;
  r.add("GET", "/open", "open", Access::public_route(), ok_handler());
  r.add("GET", "/ruleless", "ruleless", ok_handler());
  std::vector<std::string> seen;
  r.set_guard(
      [&seen](Request& req, const std::optional<Access>& access) -> std::optional<Response> {
        seen.push_back(access ? access->describe() : "none");
        if (access && access->kind == Access::Kind::kPublic) return std::nullopt;
        Response refused;
        refused.status = 401;
        return refused;
      });
  r.add("GET", "/admin", "admin", Access::admin(), ok_handler());  // added after set_guard

  Request req;
  EXPECT_EQ((*r.match("GET", "/open").handler)(req).status, 200);
  EXPECT_EQ((*r.match("GET", "/ruleless").handler)(req).status, 401);
  EXPECT_EQ((*r.match("GET", "/admin").handler)(req).status, 401);
  EXPECT_EQ(seen, (std::vector<std::string>{"public", "none", "users:ADMIN"}));

  auto routes = r.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].pattern, "/open");
  EXPECT_EQ(routes[0].access->describe(), "public");
  EXPECT_FALSE(routes[1].access.has_value());
  EXPECT_EQ(routes[2].name, "admin");
}

TEST(RouterAccess, WithoutAGuardHandlersRunUnchecked) {
  Router r;
  r.add("GET", "/admin", "admin", Access::admin(), ok_handler());
  Request req;
  EXPECT_EQ((*r.match("GET", "/admin").handler)(req).status, 200);
}

TEST(RouterAccess, OnlyPublicRoutesMayRunOnTheIoThread) {
  Router r;
  r.add("GET", "/live", "live", Access::public_route(), ok_handler(), Execution::kIoThread);
  r.add("GET", "/ready", "ready", Access::public_route(), ok_handler());
  EXPECT_EQ(r.match("GET", "/live").execution, Execution::kIoThread);
  EXPECT_EQ(r.match("GET", "/ready").execution, Execution::kWorker);
  // The guard would authenticate (a database read) on the network thread.
  EXPECT_THROW(r.add("GET", "/me", "me", Access::users(), ok_handler(), Execution::kIoThread),
               std::invalid_argument);
  EXPECT_THROW(r.add("POST", "/leads", "leads", Access::users_or_api_key(), ok_handler(),
                     Execution::kIoThread),
               std::invalid_argument);
}

}  // namespace
}  // namespace leadproc::http
