// The Store contract's search (src/app/store.h search_opportunities; domain/search_text.h for
// the terms), against every adapter (SQLite always; PostgreSQL when LEADPROC_TEST_PG_URL is set,
// run by the storage_pg test). Cases use only the port.
#include <gtest/gtest.h>

#include "app/store.h"
#include "contract_fixture.h"
#include "domain/search_text.h"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid;

constexpr std::int64_t kT0 = 1'700'000'000'000;
const Id kAgent = oid(900);
const Id kOtherAgent = oid(901);

// Opportunities of one number are duplicates of the first (one open original per number).
Opportunity opp(unsigned n, std::string name, std::string number,
                std::optional<std::string> email = std::nullopt, bool duplicate = false) {
  Opportunity o;
  o.id = oid(n);
  o.trace_id = "t" + std::to_string(n);
  o.name = std::move(name);
  o.number = std::move(number);
  o.email = std::move(email);
  o.status = OpportunityStatus::kInPsv;
  o.assigned_psv = NamedRef{n % 2 ? kAgent : kOtherAgent, "Agent"};
  o.created_at = o.updated_at = at(kT0 + n);
  if (duplicate) {
    o.is_duplicate = true;
    o.duplicate_of = oid(1);
  }
  return o;
}

SearchFilter terms(std::vector<std::string> t, std::optional<Id> visible_to = std::nullopt) {
  SearchFilter f;
  f.terms = std::move(t);
  f.visible_to = std::move(visible_to);
  return f;
}

SearchFilter ending(std::string digits, std::optional<Id> visible_to = std::nullopt) {
  SearchFilter f;
  f.prefix = number_term(digits);
  f.visible_to = std::move(visible_to);
  return f;
}

class SearchContract : public storage_test::ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    auto written = write([](WriteTx& tx) -> Status {
      for (const auto& o : {
               opp(1, "Asha Rao", "+919820022222", "Asha.Rao@Example.com"),
               opp(2, "José Müller", "+919820022222", std::nullopt, true),
               opp(3, "आशा राव", "+919820033333"),
               opp(4, "Rao Asha Kumari", "+447700900123"),
               opp(5, "Ravi", "+911234522222"),
           })
        if (auto s = tx.insert_opportunity(o); !s) return s;
      return ok_status();
    });
    ASSERT_TRUE(written.ok()) << written.error().detail;
  }
  std::vector<Id> ids(const SearchFilter& f, Page page = Page{}) {
    auto r = read([&](ReadTx& tx) { return tx.search_opportunities(f, page); });
    EXPECT_TRUE(r.ok()) << r.error().detail;
    std::vector<Id> out;
    if (r.ok())
      for (const auto& o : *r) out.push_back(o.id);
    return out;
  }
};

TEST_P(SearchContract, FindsAWholeNumberAndItsEndingNewestFirst) {
  EXPECT_EQ(ids(terms({number_term("+919820022222")})), (std::vector<Id>{oid(2), oid(1)}));
  // The last digits: both of that number, and another number ending alike.
  EXPECT_EQ(ids(ending("22222")), (std::vector<Id>{oid(5), oid(2), oid(1)}));
  EXPECT_EQ(ids(ending("9820022222")), (std::vector<Id>{oid(2), oid(1)}));
  EXPECT_TRUE(ids(ending("99999999")).empty());
}

TEST_P(SearchContract, FindsNameWordsInAnyOrderFoldedAndInEveryScript) {
  EXPECT_EQ(ids(terms({"w:asha", "w:rao"})), (std::vector<Id>{oid(4), oid(1)}));
  EXPECT_EQ(ids(terms({"w:jose", "w:muller"})), (std::vector<Id>{oid(2)}));
  EXPECT_EQ(ids(terms({"w:आशा"})), (std::vector<Id>{oid(3)}));
  EXPECT_EQ(ids(terms({"w:kumari"})), (std::vector<Id>{oid(4)}));
  EXPECT_TRUE(ids(terms({"w:asha", "w:ravi"})).empty());
  EXPECT_EQ(ids(terms({"e:asha.rao@example.com"})), (std::vector<Id>{oid(1)}));
  EXPECT_TRUE(ids(SearchFilter{}).empty());
}

TEST_P(SearchContract, ListsOnlyWhatTheUserIsAssignedWhenAsked) {
  EXPECT_EQ(ids(ending("22222", kAgent)), (std::vector<Id>{oid(5), oid(1)}));
  EXPECT_EQ(ids(ending("22222", kOtherAgent)), (std::vector<Id>{oid(2)}));
  EXPECT_EQ(ids(terms({"w:asha"}, kOtherAgent)), (std::vector<Id>{oid(4)}));
}

// A person's own name search reads the words indexed under them (person_term): the same answer
// as the unscoped words filtered by visible_to, kept as the assignment changes.
TEST_P(SearchContract, APersonsOwnWordsFollowTheAssignment) {
  auto own = [](const Id& person, std::vector<std::string> words) {
    for (auto& w : words) w = *person_term(person, w);
    return terms(std::move(words), person);
  };
  EXPECT_EQ(ids(own(kAgent, {"w:asha", "w:rao"})), (std::vector<Id>{oid(1)}));
  EXPECT_EQ(ids(own(kOtherAgent, {"w:asha"})), (std::vector<Id>{oid(4)}));
  EXPECT_EQ(ids(own(kOtherAgent, {"w:आशा"})), std::vector<Id>{});
  const Id sales = oid(902);
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                auto o = opp(4, "Rao Asha Kumari", "+447700900123");
                o.assigned_psv = NamedRef{kAgent, "Agent"};
                o.opportunity_owner = sales;
                return tx.update_opportunity(o, 1);
              }).ok());
  EXPECT_EQ(ids(own(kAgent, {"w:asha"})), (std::vector<Id>{oid(4), oid(1)}));
  EXPECT_TRUE(ids(own(kOtherAgent, {"w:asha"})).empty());
  EXPECT_EQ(ids(own(sales, {"w:kumari", "w:rao"})), (std::vector<Id>{oid(4)}));
  EXPECT_EQ(ids(terms({"w:asha"})), (std::vector<Id>{oid(4), oid(1)}));  // unscoped: unchanged
}

TEST_P(SearchContract, PagesByCursor) {
  EXPECT_EQ(ids(ending("22222"), Page{std::nullopt, 2}), (std::vector<Id>{oid(5), oid(2)}));
  EXPECT_EQ(ids(ending("22222"), Page{oid(2), 2}), (std::vector<Id>{oid(1)}));
  EXPECT_EQ(ids(terms({"w:asha"}), Page{oid(4), 1}), (std::vector<Id>{oid(1)}));
}

TEST_P(SearchContract, AnUpdateMovesTheTerms) {
  ASSERT_TRUE(write([](WriteTx& tx) -> Status {
                auto o = opp(1, "Asha Iyer", "+919811111111");
                return tx.update_opportunity(o, 1);
              }).ok());
  EXPECT_EQ(ids(terms({"w:asha", "w:rao"})), (std::vector<Id>{oid(4)}));
  EXPECT_EQ(ids(terms({"w:iyer"})), (std::vector<Id>{oid(1)}));
  EXPECT_EQ(ids(terms({number_term("+919820022222")})), (std::vector<Id>{oid(2)}));
  EXPECT_EQ(ids(terms({number_term("+919811111111")})), (std::vector<Id>{oid(1)}));
  EXPECT_TRUE(ids(terms({"e:asha.rao@example.com"})).empty());
  // A change of anything else keeps it found.
  ASSERT_TRUE(write([](WriteTx& tx) -> Status {
                auto o = opp(1, "Asha Iyer", "+919811111111");
                o.status = OpportunityStatus::kDisqualified;
                return tx.update_opportunity(o, 2);
              }).ok());
  EXPECT_EQ(ids(terms({"w:iyer"})), (std::vector<Id>{oid(1)}));
}

INSTANTIATE_TEST_SUITE_P(Adapters, SearchContract,
                         ::testing::ValuesIn(storage_test::contract_backends("search")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
