// The first-contact SLA figures (src/app/sla_report.h) on a hand-computed fixture.
#include <gtest/gtest.h>

#include "app/sla_report.h"

namespace leadproc {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT0{std::chrono::milliseconds{1'767'225'600'000}};  // 2026-01-01T00:00:00Z
const Id kA = "aaaaaaaaaaaaaaaaaaaaaaaa";
const Id kB = "bbbbbbbbbbbbbbbbbbbbbbbb";

SlaSample sample(std::optional<Id> owner, Timestamp entry, std::optional<Timestamp> contact) {
  return SlaSample{std::move(owner), entry, contact};
}

TEST(SlaReport, HandComputedFixture) {
  const Timestamp now = kT0 + hours(72);
  const std::vector<SlaSample> samples{
      // A: within (1 h), within (23 h 59 min), late (30 h), pending (entered 12 h before now).
      sample(kA, kT0 + hours(1), kT0 + hours(2)),
      sample(kA, kT0 + hours(2), kT0 + hours(2) + hours(23) + minutes(59)),
      sample(kA, kT0 + hours(3), kT0 + hours(3) + hours(30)),
      sample(kA, now - hours(12), std::nullopt),
      // B: open past the SLA (68 h without contact), within at exactly 24 h.
      sample(kB, kT0 + hours(4), std::nullopt),
      sample(kB, kT0 + hours(5), kT0 + hours(5) + hours(24)),
      // Nobody (entered while no sales person was available), never contacted.
      sample(std::nullopt, kT0 + hours(6), std::nullopt),
  };
  const SlaReport r = compute_sla(samples, kT0, kT0 + hours(24 * 7), now);

  ASSERT_EQ(r.rows.size(), 3u);
  const SlaRow& a = r.rows[0];
  EXPECT_EQ(a.owner, kA);
  EXPECT_EQ(a.entered, 4);
  EXPECT_EQ(a.within_sla, 2);
  EXPECT_EQ(a.late, 1);
  EXPECT_EQ(a.open_past_sla, 0);
  EXPECT_EQ(a.pending, 1);
  ASSERT_TRUE(a.median_seconds.has_value());
  EXPECT_DOUBLE_EQ(*a.median_seconds, 86340.0);  // of 3600, 86340, 108000

  const SlaRow& b = r.rows[1];
  EXPECT_EQ(b.owner, kB);
  EXPECT_EQ(b.entered, 2);
  EXPECT_EQ(b.within_sla, 1);
  EXPECT_EQ(b.late, 0);
  EXPECT_EQ(b.open_past_sla, 1);
  EXPECT_EQ(b.pending, 0);
  EXPECT_DOUBLE_EQ(b.median_seconds.value_or(-1), 86400.0);

  const SlaRow& nobody = r.rows[2];  // last
  EXPECT_FALSE(nobody.owner.has_value());
  EXPECT_EQ(nobody.entered, 1);
  EXPECT_EQ(nobody.open_past_sla, 1);
  EXPECT_FALSE(nobody.median_seconds.has_value());

  EXPECT_EQ(r.total.entered, 7);
  EXPECT_EQ(r.total.within_sla, 3);
  EXPECT_EQ(r.total.late, 1);
  EXPECT_EQ(r.total.open_past_sla, 2);
  EXPECT_EQ(r.total.pending, 1);
  // Of 3600, 86340, 86400, 108000: the mean of the two middle ones.
  EXPECT_DOUBLE_EQ(r.total.median_seconds.value_or(-1), 86370.0);
}

TEST(SlaReport, BoundaryIsInclusiveAndMedianCanBeFractional) {
  const Timestamp now = kT0 + hours(100);
  const SlaReport r = compute_sla(
      {
          sample(kA, kT0, kT0 + hours(24)),                                 // exactly 24 h: met
          sample(kA, kT0, kT0 + hours(24) + std::chrono::milliseconds(1)),  // 1 ms late
          sample(kA, kT0, kT0 + seconds(1)),
          sample(kA, kT0, kT0 + seconds(2)),
      },
      kT0, kT0 + hours(24), now);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].within_sla, 3);
  EXPECT_EQ(r.rows[0].late, 1);
  // Of 1 s, 2 s, 86400 s, 86400.001 s.
  EXPECT_DOUBLE_EQ(r.rows[0].median_seconds.value_or(-1), 43201.0);
}

TEST(SlaReport, PendingTurnsOpenWhenTheSlaRunsOut) {
  const Timestamp entry = kT0;
  auto at = [&](Timestamp now) {
    return compute_sla({sample(kA, entry, std::nullopt)}, kT0, kT0 + hours(1), now);
  };
  EXPECT_EQ(at(entry + hours(24)).total.pending, 1);  // the deadline itself is still in time
  EXPECT_EQ(at(entry + hours(24) + std::chrono::milliseconds(1)).total.open_past_sla, 1);
}

TEST(SlaReport, EmptyPeriod) {
  const SlaReport r = compute_sla({}, kT0, kT0 + hours(24), kT0 + hours(48));
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.total.entered, 0);
  EXPECT_FALSE(r.total.median_seconds.has_value());
}

}  // namespace
}  // namespace leadproc
