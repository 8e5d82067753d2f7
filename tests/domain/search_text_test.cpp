// The search terms both stores index (domain/search_text.h) and how a query is read
// (app/search.h plan_search): one table of typed queries per kind.
#include <gtest/gtest.h>

#include "app/search.h"
#include "domain/search_text.h"

namespace leadproc {
namespace {

TEST(SearchText, FoldsCaseAndAccentsButKeepsOtherScripts) {
  EXPECT_EQ(fold_text("José MÜLLER"), "jose muller");
  EXPECT_EQ(fold_text("Jose\xCC\x81"), "jose");  // e + combining acute, as macOS writes it
  EXPECT_EQ(fold_text("Łukasz Straße Ærø"), "lukasz strasse aero");
  EXPECT_EQ(fold_text("ДМИТРИЙ Ёлкин"), "дмитрий ёлкин");
  EXPECT_EQ(fold_text("आशा राव"), "आशा राव");
}

TEST(SearchText, WordsSplitAtSpacesAndPunctuation) {
  EXPECT_EQ(search_words("  Asha-Rao, (José)  "),
            (std::vector<std::string>{"asha", "rao", "jose"}));
  EXPECT_EQ(search_words("आशा राव।"), (std::vector<std::string>{"आशा", "राव"}));
  EXPECT_TRUE(search_words("— !!").empty());
}

TEST(SearchText, TermsOfAnOpportunity) {
  EXPECT_EQ(search_terms("Asha Rao asha", "Asha@Example.COM", "+919820022222"),
            (std::vector<std::string>{"e:asha@example.com", "n:222220028919", "w:asha", "w:rao"}));
  EXPECT_EQ(split_terms(join_terms({"w:a", "n:1"})), (std::vector<std::string>{"w:a", "n:1"}));
  EXPECT_TRUE(split_terms("").empty());
}

TEST(SearchText, NameWordsAgainForEachPersonWhoHasTheOpportunity) {
  Opportunity o;
  o.name = "Asha Rao";
  o.number = "+919820022222";
  EXPECT_EQ(search_terms(o), (std::vector<std::string>{"n:222220028919", "w:asha", "w:rao"}));
  o.assigned_psv = NamedRef{"psv1", "P"};
  o.opportunity_owner = "sales1";
  o.assigned_west = AssignedWest{"psv1", "P", std::nullopt, std::nullopt};  // the same person once
  EXPECT_EQ(search_terms(o),
            (std::vector<std::string>{"n:222220028919", "p:psv1|w:asha", "p:psv1|w:rao",
                                      "p:sales1|w:asha", "p:sales1|w:rao", "w:asha", "w:rao"}));
  EXPECT_EQ(person_term("psv1", "w:asha"), "p:psv1|w:asha");
  EXPECT_EQ(person_term("psv1", "e:a@b.c"), std::nullopt);
  EXPECT_EQ(person_term("psv1", "n:1234"), std::nullopt);
}

TEST(PlanSearch, EveryWayOfTypingANumber) {
  PhoneNormalizer phones("IN");
  for (std::string_view typed : {"98200 22222", "09820022222", "919820022222", "98200-22222"}) {
    auto plan = plan_search(typed, phones);
    ASSERT_TRUE(plan.ok()) << typed;
    EXPECT_EQ(plan->kind, SearchPlan::Kind::kNumber) << typed;
    ASSERT_TRUE(plan->filter.prefix) << typed;
    // The end of +919820022222: a prefix of its term.
    EXPECT_TRUE(number_term("+919820022222").starts_with(*plan->filter.prefix)) << typed;
  }
  auto plus = plan_search("+91 98200 22222", phones);
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(plus->filter.terms, (std::vector<std::string>{number_term("+919820022222")}));
  auto last6 = plan_search("022222", phones);
  ASSERT_TRUE(last6.ok());
  EXPECT_EQ(*last6->filter.prefix, "n:222220");  // an ending keeps its zeros
  auto intl = plan_search("0091 98200 22222", phones);
  ASSERT_TRUE(intl.ok());
  EXPECT_EQ(*intl->filter.prefix, number_term("919820022222"));
}

TEST(PlanSearch, NamesEmailsIdsAndRefusals) {
  PhoneNormalizer phones("IN");
  auto name = plan_search("Rao  ASHA", phones);
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->kind, SearchPlan::Kind::kName);
  EXPECT_EQ(name->filter.terms, (std::vector<std::string>{"w:asha", "w:rao"}));
  auto email = plan_search(" Asha@Example.com ", phones);
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(email->filter.terms, (std::vector<std::string>{"e:asha@example.com"}));
  auto id = plan_search("65a1b2c3d4e5f60718293a4b", phones);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->kind, SearchPlan::Kind::kId);
  for (std::string_view bad : {"", "   ", "12345", "!!", "+91 12"}) {
    auto r = plan_search(bad, phones);
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "q");
  }
  EXPECT_FALSE(plan_search(std::string(kMaxSearchQuery + 1, 'a'), phones).ok());
}

}  // namespace
}  // namespace leadproc
