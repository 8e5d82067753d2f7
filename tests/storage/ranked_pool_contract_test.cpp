// The Store contract's ranked_pool_for_update (src/app/store.h): the adapter's computation of
// rank_pool() (round_robin.h) — which POCs can take a lead for a destination from a platform, and
// in which source tier — in SQL over the JSON text of their lists (PostgreSQL) or over a cached
// pool (SQLite). Round robin picks from it instead of the whole pool, so it must equal
// rank_pool() over the whole pool, whatever the lists hold.
// Checked over a random pool, for every destination and platform, on every adapter.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/store.h"
#include "contract_fixture.h"
#include "domain/round_robin.h"

namespace leadproc {
namespace {

using storage_test::oid;

class RankedPoolContract : public storage_test::ContractTest {
 protected:
  std::vector<RankedPoc> ranked(AvailabilityProcess p, const std::optional<Id>& destination,
                                Platform platform) {
    auto r =
        write([&](WriteTx& tx) { return tx.ranked_pool_for_update(p, destination, platform); });
    EXPECT_TRUE(r.ok()) << r.error().detail;
    return r.ok() ? std::move(*r) : std::vector<RankedPoc>{};
  }
};

std::string describe(const std::vector<RankedPoc>& v) {
  std::string out;
  for (const auto& r : v)
    out += r.availability_id + " " + r.person_id + " " + r.person_name + " tier " +
           std::to_string(r.tier) + " count " + std::to_string(r.lead_count) + " seq " +
           (r.seq ? std::to_string(*r.seq) : "-") + " weight " + std::to_string(r.rules.weight) +
           " cap " + (r.rules.cap ? std::to_string(*r.rules.cap) : "-") + " quota " +
           (r.rules.daily_quota ? std::to_string(*r.rules.daily_quota) : "-") + " languages " +
           std::to_string(r.rules.languages.size()) + " desk " +
           std::to_string(r.rules.night_desk) + " today " + std::to_string(r.today.day) + "/" +
           std::to_string(r.today.count) + "\n";
  return out;
}

TEST_P(RankedPoolContract, EqualsRankPoolOverTheWholePool) {
  // Destinations 1..6. Each name contains other destinations' ids, quotes, and even the text of
  // another entry (`","_id":"<id>"`), so that a naive text match would be wrong.
  std::vector<NamedRef> destinations;
  for (unsigned d = 1; d <= 6; ++d)
    destinations.push_back(NamedRef{oid(d), "Dest \"" + std::to_string(d) + "\" " + oid(d % 6 + 1) +
                                                "\",\"_id\":\"" + oid(d % 6 + 2) + "\""});
  const std::vector<Platform> platforms = {Platform::kWebsite, Platform::kInstagram,
                                           Platform::kPaidAds, Platform::kDc};

  std::mt19937 rng(20261124);
  std::vector<Availability> pool;
  for (unsigned n = 0; n < 40; ++n) {
    Availability a;
    a.id = oid(100 + n);
    a.person_id = oid(500 + n % 30);
    a.person_name = "POC \"" + std::to_string(n) + "\"";
    a.process = n % 5 == 0 ? AvailabilityProcess::kSales : AvailabilityProcess::kPsv;
    a.is_available = rng() % 4 != 0;
    a.deleted = rng() % 7 == 0;
    if (rng() % 2) {  // a destination specialist
      for (const auto& d : destinations)
        if (rng() % 3 == 0) a.destinations.push_back(d);
    }
    for (Platform p : platforms)  // a source specialist, a third of the time
      if (rng() % 6 == 0) a.source.push_back(p);
    a.lead_count = static_cast<std::int64_t>(rng() % 5);
    if (rng() % 2) a.seq = static_cast<std::int64_t>(rng() % 10);
    if (rng() % 3 == 0) {  // routing rules (migration 27): the same from SQL as from the rows
      a.rules.weight = 1 + static_cast<int>(rng() % 5);
      if (rng() % 2) a.rules.cap = static_cast<std::int64_t>(rng() % 20);
      if (rng() % 2) a.rules.daily_quota = static_cast<std::int64_t>(rng() % 20);
      if (rng() % 2) a.rules.languages = {"en", "hi"};
      a.rules.night_desk = rng() % 4 == 0;
      a.today = DayCount{20000 + static_cast<std::int64_t>(rng() % 3),
                         static_cast<std::int64_t>(rng() % 9)};
    }
    pool.push_back(a);
  }
  ASSERT_TRUE(store_->write([&](WriteTx& tx) -> Status {
    for (const auto& a : pool)
      if (auto s = tx.insert_availability(a); !s) return s;
    return ok_status();
  }));

  std::vector<std::optional<Id>> asked = {std::nullopt, oid(99)};
  for (const auto& d : destinations) asked.push_back(d.id);
  for (auto process : {AvailabilityProcess::kPsv, AvailabilityProcess::kSales}) {
    std::vector<Availability> members;
    for (const auto& a : pool)
      if (a.process == process) members.push_back(a);
    for (const auto& destination : asked) {
      for (Platform platform : platforms) {
        const auto expected = rank_pool(members, destination, platform);
        EXPECT_EQ(describe(ranked(process, destination, platform)), describe(expected))
            << "process " << to_string(process) << ", destination " << destination.value_or("none")
            << ", platform " << to_string(platform);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Adapters, RankedPoolContract,
                         ::testing::ValuesIn(storage_test::contract_backends("ranked-pool")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
