// How far a dump file has been read (DocumentSource::fraction_read), which `leadproc import`
// turns into a percentage and the time left: it grows with every document and is 1 at the end,
// for mongodump's BSON and mongoexport's JSON alike.
#include <bson/bson.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "import/file_sources.h"

namespace leadproc {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("leadproc-progress-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

void expect_read_through(const fs::path& file, int documents) {
  auto source = import::open_file(file);
  ASSERT_TRUE(source) << source.error().detail;
  double last = (*source)->fraction_read().value_or(-1);
  EXPECT_EQ(last, 0.0);
  int n = 0;
  while (auto doc = (*source)->next()) {
    ASSERT_TRUE(doc->document) << doc->location;
    const double now = (*source)->fraction_read().value_or(-1);
    EXPECT_GT(now, last) << doc->location;
    last = now;
    ++n;
  }
  EXPECT_EQ(n, documents);
  EXPECT_DOUBLE_EQ(last, 1.0);
}

TEST(ImportProgress, ABsonDumpIsReadThroughToTheEnd) {
  const fs::path file = temp_file("leads.bson");
  std::ofstream out(file, std::ios::binary);
  for (int i = 0; i < 3; ++i) {
    bson_t* doc = bson_new();
    BSON_APPEND_UTF8(doc, "name", ("Lead " + std::to_string(i)).c_str());
    out.write(reinterpret_cast<const char*>(bson_get_data(doc)), doc->len);
    bson_destroy(doc);
  }
  out.close();
  expect_read_through(file, 3);
  fs::remove_all(file.parent_path());
}

TEST(ImportProgress, AJsonExportIsReadThroughToTheEnd) {
  const fs::path lines = temp_file("leads.json");
  std::ofstream(lines) << "{\"name\": \"A\"}\n{\"name\": \"B\"}\n{\"name\": \"C\"}\n";
  expect_read_through(lines, 3);
  const fs::path array = temp_file("rawopportunities.json");
  std::ofstream(array) << "[{\"name\": \"A\"}, {\"name\": \"B\"}]";
  expect_read_through(array, 2);
  fs::remove_all(lines.parent_path());
}

}  // namespace
}  // namespace leadproc
