// The web UI's static routes (src/http/routes_web.cpp): GET / serves index.html and
// GET /ui/{file} the other files of web/, embedded in the binary, without credentials, with their
// Content-Type, `Cache-Control: no-cache` and an ETag that answers 304; an unknown file is a 404
// problem. What the UI does in a browser is tested by tests/ui (the `ui` test).
#include "harness.h"

namespace leadproc::apitest {
namespace {

class WebUi : public SharedServerTest<WebUi> {};

TEST_F(WebUi, TheRootServesTheAppPageWithoutCredentials) {
  HttpClient anonymous(server().base_url());
  Response r = anonymous.get("/");
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "no-cache");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(r.body.find("/ui/app.js"), std::string::npos) << "the page loads the app module";
  // Only this origin's scripts and styles; never framed.
  EXPECT_NE(r.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
}

TEST_F(WebUi, AssetsHaveTheirContentType) {
  HttpClient anonymous(server().base_url());
  const struct {
    const char* path;
    const char* type;
    const char* contains;
  } kCases[] = {
      {"/ui/app.js", "text/javascript; charset=utf-8", "import"},
      {"/ui/api.js", "text/javascript; charset=utf-8", "/api/v1"},
      {"/ui/style.css", "text/css; charset=utf-8", "{"},
      {"/ui/index.html", "text/html; charset=utf-8", "<!doctype html>"},
      // The vendored libraries (web/vendor/), as ES modules the browser imports by path.
      {"/ui/vendor/preact.module.js", "text/javascript; charset=utf-8", "export"},
      {"/ui/vendor/preact-hooks.module.js", "text/javascript; charset=utf-8", "./preact.module.js"},
      {"/ui/vendor/htm.module.js", "text/javascript; charset=utf-8", "export"},
      {"/ui/vendor/VERSIONS.txt", "text/plain; charset=utf-8", "preact 10.29.8"},
      // uPlot, the reports page's charts (web/reports_chart.js), and its stylesheet.
      {"/ui/vendor/uplot.esm.js", "text/javascript; charset=utf-8", "export { uPlot as default }"},
      {"/ui/vendor/uplot.min.css", "text/css; charset=utf-8", ".uplot"},
      {"/ui/vendor/uplot.LICENSE.txt", "text/plain; charset=utf-8", "MIT"},
  };
  for (const auto& c : kCases) {
    Response r = anonymous.get(c.path);
    ASSERT_EQ(r.status, 200) << c.path << ": " << r.describe();
    EXPECT_EQ(r.header("content-type"), c.type) << c.path;
    EXPECT_EQ(r.header("cache-control"), "no-cache") << c.path;
    EXPECT_NE(r.body.find(c.contains), std::string::npos) << c.path;
    EXPECT_FALSE(r.header("etag").empty()) << c.path;
  }
}

TEST_F(WebUi, AnUnchangedFileRevalidatesWith304) {
  HttpClient anonymous(server().base_url());
  Response first = anonymous.get("/ui/app.js");
  ASSERT_EQ(first.status, 200) << first.describe();
  const std::string etag = first.header("etag");
  ASSERT_EQ(etag.size(), 18u) << "a quoted strong ETag: " << etag;

  Response same = anonymous.get("/ui/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304) << same.describe();
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.header("etag"), etag);
  Response weak = anonymous.get("/ui/app.js", {{"If-None-Match", "W/" + etag}});
  EXPECT_EQ(weak.status, 304) << weak.describe();

  Response other = anonymous.get("/ui/app.js", {{"If-None-Match", "\"0000000000000000\""}});
  EXPECT_EQ(other.status, 200) << other.describe();
  EXPECT_EQ(other.body, first.body);
  // Another file has another tag.
  EXPECT_NE(anonymous.get("/ui/style.css").header("etag"), etag);

  // A list of tags matches when one of them does; "*" only on its own, not inside a tag.
  Response listed = anonymous.get("/ui/app.js", {{"If-None-Match", "\"abc\", " + etag}});
  EXPECT_EQ(listed.status, 304) << listed.describe();
  Response star_inside = anonymous.get("/ui/app.js", {{"If-None-Match", "\"other*\""}});
  EXPECT_EQ(star_inside.status, 200) << star_inside.describe();
  Response any = anonymous.get("/ui/app.js", {{"If-None-Match", "*"}});
  EXPECT_EQ(any.status, 304) << any.describe();
  // A 304 carries no Content-Length (RFC 9110 8.6: it would have to be the 200's length).
  EXPECT_EQ(same.header("content-length"), "") << same.describe();
}

TEST_F(WebUi, AnUnknownFileIsA404Problem) {
  HttpClient anonymous(server().base_url());
  expect_problem(anonymous.get("/ui/no-such-file.js"), 404);
  expect_problem(anonymous.get("/ui/..%2Fapi.js"), 404);  // one flat folder, no paths
  expect_problem(anonymous.get("/ui/"), 404);
  expect_problem(anonymous.get("/ui/app.js/x"), 404);
}

TEST_F(WebUi, TheRoutesAreReadOnly) {
  HttpClient anonymous(server().base_url());
  Response r = anonymous.post("/ui/app.js", json::object{});
  EXPECT_EQ(r.status, 405) << r.describe();
  EXPECT_EQ(r.header("allow"), "GET");
}

}  // namespace
}  // namespace leadproc::apitest
