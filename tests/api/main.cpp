// Entry point of api_tests (linked with GTest::gtest, not gtest_main).
#include <curl/curl.h>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // before any thread starts
  ::testing::InitGoogleTest(&argc, argv);
  int rc = RUN_ALL_TESTS();
  curl_global_cleanup();
  return rc;
}
