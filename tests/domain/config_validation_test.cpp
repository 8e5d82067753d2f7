// The pure rules of the configuration API (src/app/{availabilities,users,destinations}.h).
#include <gtest/gtest.h>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/users.h"

namespace leadproc {
namespace {

ProcessDestinationMap map_of(FiltrationProcess p, bool active, bool deleted = false) {
  ProcessDestinationMap m;
  m.id = "m";
  m.process = p;
  m.deleted = deleted;
  ProcessMapEntry e;
  e.destination_id = "d";
  e.name = "Goa";
  e.is_active = active;
  m.destinations.push_back(e);
  return m;
}

Availability poc(std::string id, bool available, bool deleted = false) {
  Availability a;
  a.id = std::move(id);
  a.is_available = available;
  a.deleted = deleted;
  return a;
}

TEST(DepartmentFits, EachPoolTakesItsDepartment) {
  EXPECT_TRUE(department_fits(AvailabilityProcess::kSales, Department::kSales));
  EXPECT_TRUE(department_fits(AvailabilityProcess::kPsv, Department::kPsv));
  EXPECT_TRUE(department_fits(AvailabilityProcess::kWest, Department::kWest));
  EXPECT_FALSE(department_fits(AvailabilityProcess::kSales, Department::kPsv));
  EXPECT_FALSE(department_fits(AvailabilityProcess::kPsv, Department::kWest));
  EXPECT_FALSE(department_fits(AvailabilityProcess::kWest, Department::kAdmin));
}

TEST(DepartmentFits, JunkAutomationTakesAnyDepartment) {
  for (auto d : {Department::kSales, Department::kPsv, Department::kWest, Department::kAdmin})
    EXPECT_TRUE(department_fits(AvailabilityProcess::kJunkAutomation, d));
}

TEST(RoutingDependency, NoMapsNoDependency) {
  for (auto p : {AvailabilityProcess::kSales, AvailabilityProcess::kPsv, AvailabilityProcess::kWest,
                 AvailabilityProcess::kJunkAutomation})
    EXPECT_FALSE(routing_dependency(p, {}));
}

TEST(RoutingDependency, PsvUnknownUpcomingFeedPsvAndSales) {
  for (auto p :
       {FiltrationProcess::kPsv, FiltrationProcess::kUnknown, FiltrationProcess::kUpcoming}) {
    std::vector<ProcessDestinationMap> maps{map_of(p, true)};
    EXPECT_TRUE(routing_dependency(AvailabilityProcess::kPsv, maps));
    EXPECT_TRUE(routing_dependency(AvailabilityProcess::kSales, maps));
    EXPECT_FALSE(routing_dependency(AvailabilityProcess::kWest, maps));
    EXPECT_FALSE(routing_dependency(AvailabilityProcess::kJunkAutomation, maps));
  }
}

TEST(RoutingDependency, WestFeedsWestAndSales) {
  std::vector<ProcessDestinationMap> maps{map_of(FiltrationProcess::kWest, true)};
  EXPECT_TRUE(routing_dependency(AvailabilityProcess::kWest, maps));
  EXPECT_TRUE(routing_dependency(AvailabilityProcess::kSales, maps));
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kPsv, maps));
}

TEST(RoutingDependency, NoFilterFeedsSalesOnly) {
  std::vector<ProcessDestinationMap> maps{map_of(FiltrationProcess::kNoFilter, true)};
  auto why = routing_dependency(AvailabilityProcess::kSales, maps);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("NO-FILTER"), std::string::npos);
  EXPECT_NE(why->find("Goa"), std::string::npos);
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kPsv, maps));
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kWest, maps));
}

TEST(RoutingDependency, InactiveEntriesAndDeletedMapsDoNotCount) {
  std::vector<ProcessDestinationMap> maps{map_of(FiltrationProcess::kPsv, false),
                                          map_of(FiltrationProcess::kWest, true, true)};
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kPsv, maps));
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kWest, maps));
  EXPECT_FALSE(routing_dependency(AvailabilityProcess::kSales, maps));
}

TEST(PoolKeepsAPoc, CountsOnlyOtherAvailableLivePocs) {
  std::vector<Availability> pool{poc("a", true), poc("b", false), poc("c", true, true)};
  EXPECT_FALSE(pool_keeps_a_poc(pool, {"a"}));
  EXPECT_TRUE(pool_keeps_a_poc(pool, {"b"}));
  pool.push_back(poc("d", true));
  EXPECT_TRUE(pool_keeps_a_poc(pool, {"a"}));
  EXPECT_FALSE(pool_keeps_a_poc(pool, {"a", "d"}));
  EXPECT_FALSE(pool_keeps_a_poc({}, {}));
}

TEST(LooksLikeEmail, AcceptsPlainAddresses) {
  EXPECT_TRUE(looks_like_email("asha@example.com"));
  EXPECT_TRUE(looks_like_email("a.b+tag@mail.example.co.in"));
}

TEST(LooksLikeEmail, RejectsMalformed) {
  for (const char* bad : {"", "asha", "@example.com", "asha@", "asha@example", "asha@.com",
                          "asha@example.", "a b@example.com", "a@b@example.com"})
    EXPECT_FALSE(looks_like_email(bad)) << bad;
  EXPECT_FALSE(looks_like_email(std::string(250, 'a') + "@x.com"));
}

TEST(NormalizeSlugs, TrimsLowerCasesAndDeduplicates) {
  std::vector<FieldError> errors;
  auto slugs = normalize_slugs({" Goa ", "goa", "GOA-trips", "kerala"}, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(slugs, (std::vector<std::string>{"goa", "goa-trips", "kerala"}));
}

TEST(NormalizeSlugs, NamesEveryBadSlug) {
  std::vector<FieldError> errors;
  normalize_slugs({"ok", "  ", "a/b"}, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "slugs[1]");
  EXPECT_EQ(errors[1].field, "slugs[2]");
}

TEST(CanonicalId, LowerCasesValidIdsOnly) {
  EXPECT_EQ(canonical_id("65A1B2C3D4E5F60718293A4B"), "65a1b2c3d4e5f60718293a4b");
  EXPECT_FALSE(canonical_id("65a1b2c3d4e5f60718293a4"));
  EXPECT_FALSE(canonical_id("not-an-id"));
}

}  // namespace
}  // namespace leadproc
