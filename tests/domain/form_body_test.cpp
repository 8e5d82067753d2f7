// The form bodies a browser sends (codec/form_body.h): what a plain form post carries is read
// exactly, and a body that cannot be read exactly is refused rather than guessed at.
#include "codec/form_body.h"

#include <gtest/gtest.h>

namespace leadproc::codec {
namespace {

using Fields = FormFields;

TEST(FormBody, UrlencodedDecodesPlusPercentAndRepeats) {
  auto f = parse_urlencoded("name=Ana+L%C3%BAcia&number=%2B91+98&&tags=a&tags=b&empty=&flag");
  ASSERT_TRUE(f) << f.error().detail;
  const Fields expected{{"name", "Ana Lúcia"}, {"number", "+91 98"}, {"tags", "a"},
                        {"tags", "b"},         {"empty", ""},        {"flag", ""}};
  EXPECT_EQ(*f, expected);
  ASSERT_TRUE(parse_urlencoded(""));
  EXPECT_TRUE(parse_urlencoded("")->empty());
}

TEST(FormBody, UrlencodedRefusesABrokenEscape) {
  for (const char* body : {"a=%", "a=%4", "a=%zz", "%g1=x"}) {
    auto f = parse_urlencoded(body);
    ASSERT_FALSE(f) << body;
    ASSERT_EQ(f.error().fields.size(), 1u);
    EXPECT_EQ(f.error().fields[0].field, "body");
  }
}

TEST(FormBody, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7"),
            "----WebKitFormBoundaryx7");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
  EXPECT_EQ(multipart_boundary("multipart/mixed; boundary=x"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')), "");
}

// A body as Chromium writes it for a form with two fields.
TEST(FormBody, MultipartAsABrowserSendsIt) {
  const std::string body =
      "------B\r\n"
      "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
      "Zoë \"Z\"\r\n"
      "------B\r\n"
      "Content-Disposition: form-data; name=\"remarks\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "line one\r\nline two\r\n"
      "------B--\r\n";
  auto f = parse_multipart(body, "----B");
  ASSERT_TRUE(f) << f.error().detail;
  const Fields expected{{"name", "Zoë \"Z\""}, {"remarks", "line one\r\nline two"}};
  EXPECT_EQ(*f, expected);
}

TEST(FormBody, MultipartIgnoresPreambleAndEpilogue) {
  const std::string body =
      "preamble\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--\r\nepilogue";
  auto f = parse_multipart(body, "b");
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(*f, (Fields{{"a", "1"}}));
}

TEST(FormBody, MultipartRefusesWhatItCannotReadExactly) {
  const char* bad[] = {
      // no closing delimiter
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
      // a part without a name
      "--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--",
      // not form-data
      "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--b--",
      // a file
      "--b\r\nContent-Disposition: form-data; name=\"cv\"; "
      "filename=\"cv.pdf\"\r\n\r\n%PDF\r\n--b--",
      // no delimiter at all
      "name=a",
      // an unterminated quoted name
      "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--b--",
  };
  for (const char* body : bad) {
    auto f = parse_multipart(body, "b");
    ASSERT_FALSE(f) << body;
    EXPECT_EQ(f.error().fields.at(0).field, "body") << body;
  }
  EXPECT_FALSE(parse_multipart("--b--", ""));
}

}  // namespace
}  // namespace leadproc::codec
