// The Store contract's ranked_pool_for_update (src/app/store.h) ranks the pool as it stands in
// the write transaction: whatever another instance on the same database committed, and nothing
// of a write that failed. An adapter may keep the pool in memory (the SQLite writer does,
// storage/sqlite/pool_cache.h); these cases would catch a stale copy.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/store.h"
#include "contract_fixture.h"

namespace leadproc {
namespace {

using storage_test::oid;

class RankedPoolFreshnessContract : public storage_test::ContractTest {
 protected:
  void SetUp() override {
    storage_test::ContractTest::SetUp();
    for (unsigned n = 1; n <= 3; ++n) {
      Availability a;
      a.id = oid(n);
      a.person_id = oid(100 + n);
      a.person_name = "POC " + std::to_string(n);
      a.process = AvailabilityProcess::kPsv;
      a.is_available = true;
      a.lead_count = 10 * n;  // POC 1 is the least loaded
      pocs_.push_back(a);
    }
    ASSERT_OK(write([&](WriteTx& tx) -> Status {
      for (const auto& a : pocs_)
        if (auto s = tx.insert_availability(a); !s) return s;
      return ok_status();
    }));
  }

  // "id:lead_count" of each POC that can take a lead (no destination, a website lead), in the
  // order the store returns them.
  static std::string describe(const std::vector<RankedPoc>& pool) {
    std::string out;
    for (const auto& r : pool) out += r.person_name + ":" + std::to_string(r.lead_count) + " ";
    return out;
  }
  static Result<std::vector<RankedPoc>> rank(WriteTx& tx) {
    return tx.ranked_pool_for_update(AvailabilityProcess::kPsv, std::nullopt, Platform::kWebsite);
  }
  std::string ranked(Store& store) {
    std::string out;
    auto s = store.write([&](WriteTx& tx) -> Status {
      auto r = rank(tx);
      if (!r) return r.error();
      out = describe(*r);
      return ok_status();
    });
    EXPECT_TRUE(s) << s.error().detail;
    return out;
  }

  std::vector<Availability> pocs_;
};

TEST_P(RankedPoolFreshnessContract, SeesWhatAnotherInstanceCommitted) {
  ASSERT_EQ(ranked(*store_), "POC 1:10 POC 2:20 POC 3:30 ");

  // A second instance on the same database (another process, or `leadproc` on the command line)
  // takes POC 1 out of rotation and counts a lead for POC 2.
  auto other = factory_();
  ASSERT_TRUE(other->write([&](WriteTx& tx) -> Status {
    Availability off = pocs_[0];
    off.is_available = false;
    if (auto s = tx.update_availability(off); !s) return s;
    return tx.count_assignment(pocs_[1].id, 0);
  }));

  EXPECT_EQ(ranked(*store_), "POC 2:21 POC 3:30 ");
}

TEST_P(RankedPoolFreshnessContract, ForgetsWhatAFailedWriteChanged) {
  ASSERT_EQ(ranked(*store_), "POC 1:10 POC 2:20 POC 3:30 ");

  // A write counts a lead for POC 1, takes POC 2 out of rotation, ranks the pool (which shows
  // both), then fails: all of it is rolled back.
  std::string inside;
  auto failed = store_->write([&](WriteTx& tx) -> Status {
    if (auto s = tx.count_assignment(pocs_[0].id, 0); !s) return s;
    Availability off = pocs_[1];
    off.is_available = false;
    if (auto s = tx.update_availability(off); !s) return s;
    auto r = rank(tx);
    if (!r) return r.error();
    inside = describe(*r);
    return Error::conflict("the use case gave up");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(inside, "POC 1:11 POC 3:30 ");

  EXPECT_EQ(ranked(*store_), "POC 1:10 POC 2:20 POC 3:30 ");
}

TEST_P(RankedPoolFreshnessContract, CountsCommittedLeadsAsTheRowsDo) {
  for (int i = 0; i < 5; ++i)
    ASSERT_OK(write([&](WriteTx& tx) -> Status {
      auto r = rank(tx);
      if (!r) return r.error();
      return tx.count_assignment(r->front().availability_id, 0);
    }));
  EXPECT_EQ(ranked(*store_), "POC 1:15 POC 2:20 POC 3:30 ");
  auto row = read([&](ReadTx& tx) { return tx.get_availability(pocs_[0].id); });
  ASSERT_OK(row);
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->lead_count, 15);
  EXPECT_EQ((*row)->total_count, 5);
}

// A work schedule (issue 21) is stored with the POC and ranked with it: the SQLite writer's cached
// pool must not keep the schedule it had before an edit or a check-out, on this instance or
// another.
TEST_P(RankedPoolFreshnessContract, RanksWithTheScheduleAsLastWritten) {
  auto schedules = [&](Store& store) {
    std::string out;
    auto s = store.write([&](WriteTx& tx) -> Status {
      auto r = rank(tx);
      if (!r) return r.error();
      for (const auto& p : *r)
        out += p.person_name + ":" + std::to_string(p.schedule.shifts.size()) + "/" +
               std::to_string(p.schedule.leave.size()) + "/" +
               (p.schedule.checked_out_until ? "out" : "in") + " ";
      return ok_status();
    });
    EXPECT_TRUE(s) << s.error().detail;
    return out;
  };
  ASSERT_EQ(schedules(*store_), "POC 1:0/0/in POC 2:0/0/in POC 3:0/0/in ");

  Availability edited = pocs_[0];
  edited.schedule.shifts = {Shift{0, 9 * 60, 18 * 60}, Shift{4, 22 * 60, 6 * 60}};
  edited.schedule.leave = {
      LeavePeriod{Timestamp{std::chrono::hours(1)}, Timestamp{std::chrono::hours(2)}}};
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_availability(edited); }));
  EXPECT_EQ(schedules(*store_), "POC 1:2/1/in POC 2:0/0/in POC 3:0/0/in ");

  auto other = factory_();
  ASSERT_TRUE(other->write([&](WriteTx& tx) -> Status {
    Availability out = pocs_[1];
    out.schedule.checked_out_until = Timestamp{std::chrono::hours(3)};
    return tx.update_availability(out);
  }));
  EXPECT_EQ(schedules(*store_), "POC 1:2/1/in POC 2:0/0/out POC 3:0/0/in ");

  auto row = read([&](ReadTx& tx) { return tx.get_availability(pocs_[0].id); });
  ASSERT_OK(row);
  ASSERT_TRUE(row->has_value());
  const WorkSchedule& back = (*row)->schedule;
  ASSERT_EQ(back.shifts.size(), 2u);
  EXPECT_EQ(back.shifts[1].day, 4);
  EXPECT_EQ(back.shifts[1].start_minute, 22 * 60);
  EXPECT_EQ(back.shifts[1].end_minute, 6 * 60);
  ASSERT_EQ(back.leave.size(), 1u);
  EXPECT_EQ(back.leave[0].to, Timestamp{std::chrono::hours(2)});
}

INSTANTIATE_TEST_SUITE_P(Adapters, RankedPoolFreshnessContract,
                         ::testing::ValuesIn(storage_test::contract_backends("pool-freshness")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
