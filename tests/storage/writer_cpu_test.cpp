// The SQLite writer's CPU of its own (storage/sqlite/writer_cpu.h): the split of the allowed
// CPUs, and what a store opened with dedicated_writer_cpu does to the process's threads.
#include <gtest/gtest.h>

#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "backends.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/writer_cpu.h"

namespace leadproc {
namespace {

cpu_set_t cpus(std::initializer_list<int> list) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : list) CPU_SET(c, &set);
  return set;
}

bool same(const cpu_set_t& a, const cpu_set_t& b) {
  return CPU_EQUAL(&a, &b);
}

cpu_set_t own_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  return set;
}

int own_cpu_count() {
  const cpu_set_t set = own_cpus();
  return CPU_COUNT(&set);
}

TEST(WriterCpuTest, OneCpuHasNothingToSplit) {
  EXPECT_FALSE(sqlite::split_cpus(cpus({})));
  EXPECT_FALSE(sqlite::split_cpus(cpus({3})));
}

TEST(WriterCpuTest, TheHighestAllowedCpuIsTheWritersAndTheRestEveryoneElses) {
  auto two = sqlite::split_cpus(cpus({0, 1}));
  ASSERT_TRUE(two);
  EXPECT_EQ(two->writer, 1);
  EXPECT_TRUE(same(two->others, cpus({0})));

  auto gaps = sqlite::split_cpus(cpus({2, 5, 7}));
  ASSERT_TRUE(gaps);
  EXPECT_EQ(gaps->writer, 7);
  EXPECT_TRUE(same(gaps->others, cpus({2, 5})));
}

// Fails the child process with a message (the death test prints it).
void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "FAILED: %s\n", what);
  std::exit(1);
}

// The split moves every thread of the process, so it runs in a child process of its own: the
// other tests of this binary keep every CPU.
void open_and_write_on_the_writer_cpu(const std::filesystem::path& dir) {
  const std::string path = (dir / "writer-cpu.db").string();
  sqlite::SqliteOptions options;
  options.dedicated_writer_cpu = true;
  auto store = sqlite::SqliteStore::open(path, options);
  require(static_cast<bool>(store), "the store opens");
  require(static_cast<bool>((*store)->migrate()), "the store migrates");
  const sqlite::WriterCpu* writer = sqlite::WriterCpu::claim();
  require(writer != nullptr, "two or more CPUs give the writer one");
  const int cpu = writer->cpu();
  require((*store)->describe().find("writer CPU " + std::to_string(cpu)) != std::string::npos,
          "the start-up line names the writer's CPU");

  const cpu_set_t mine = own_cpus();
  require(!CPU_ISSET(cpu, &mine), "this thread was moved off the writer's CPU");
  bool later_thread_off = false;
  std::thread([&] {
    const cpu_set_t set = own_cpus();
    later_thread_off = !CPU_ISSET(cpu, &set);
  }).join();
  require(later_thread_off, "a thread started later inherits the others' CPUs");

  int ran_on = -1;
  cpu_set_t inside;
  CPU_ZERO(&inside);
  auto written = (*store)->write([&](WriteTx&) -> Status {
    ran_on = sched_getcpu();
    inside = own_cpus();
    return ok_status();
  });
  require(static_cast<bool>(written), "the write succeeds");
  require(ran_on == cpu, "the transaction ran on the writer's CPU");
  require(same(inside, cpus({cpu})), "inside the transaction only the writer's CPU is allowed");
  require(same(own_cpus(), mine), "after the write the thread is back on its own CPUs");
  store->reset();
  std::filesystem::remove_all(dir);  // exit() skips the TempDir's destructor
  std::exit(0);
}

TEST(WriterCpuTest, AStoreWithItsOwnCpuWritesThereAndMovesEveryoneElseOff) {
  if (own_cpu_count() < 2) GTEST_SKIP() << "one CPU: nothing to split";
  storage_test::TempDir dir("writer-cpu");
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(open_and_write_on_the_writer_cpu(dir.path()), ::testing::ExitedWithCode(0), "");
}

TEST(WriterCpuTest, AStoreWithoutTheOptionLeavesTheThreadsWhereTheyAre) {
  storage_test::TempDir dir("writer-cpu-off");
  const cpu_set_t before = own_cpus();
  auto store = sqlite::SqliteStore::open((dir.path() / "off.db").string());
  ASSERT_TRUE(store) << store.error().detail;
  ASSERT_TRUE((*store)->migrate());
  int ran_on_cpus = 0;
  auto written = (*store)->write([&](WriteTx&) -> Status {
    ran_on_cpus = own_cpu_count();
    return ok_status();
  });
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(ran_on_cpus, CPU_COUNT(&before));
  EXPECT_TRUE(same(own_cpus(), before));
  EXPECT_EQ((*store)->describe().find("writer CPU"), std::string::npos);
}

}  // namespace
}  // namespace leadproc
