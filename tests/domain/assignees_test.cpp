// Assignees: whom an opportunity belongs to (reports, open counts, person-scoped search terms).
#include "domain/assignees.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leadproc {
namespace {

std::vector<std::string> ids(const Assignees& a) {
  return {a.begin(), a.end()};
}

TEST(AssigneesTest, EachPersonOnceInColumnOrder) {
  EXPECT_EQ(ids(Assignees("psv1", "west1", "owner1")),
            (std::vector<std::string>{"psv1", "west1", "owner1"}));
  // The PSV agent who became the owner holds the lead once, not twice.
  EXPECT_EQ(ids(Assignees("p", std::nullopt, "p")), (std::vector<std::string>{"p"}));
  EXPECT_EQ(ids(Assignees("p", "w", "w")), (std::vector<std::string>{"p", "w"}));
}

TEST(AssigneesTest, MissingOrEmptyIdsAreNobody) {
  EXPECT_TRUE(Assignees(std::nullopt, std::nullopt, std::nullopt).empty());
  EXPECT_EQ(ids(Assignees("", std::nullopt, "o")), (std::vector<std::string>{"o"}));
}

TEST(AssigneesTest, OfAnOpportunity) {
  Opportunity o;
  EXPECT_TRUE(Assignees(o).empty());
  o.assigned_psv = NamedRef{"a1", "Asha"};
  o.assigned_west = AssignedWest{"w1", "Wen", std::nullopt, std::nullopt};
  o.opportunity_owner = "a1";
  EXPECT_EQ(ids(Assignees(o)), (std::vector<std::string>{"a1", "w1"}));
}

}  // namespace
}  // namespace leadproc
