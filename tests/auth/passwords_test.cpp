// bcrypt through libcrypt, the password policy, random tokens and SHA-256, and the per-resource
// access rules (src/crypto/bcrypt.h, secrets.h; src/app/passwords.h, access.h).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "app/access.h"
#include "app/common_passwords.h"
#include "app/passwords.h"
#include "crypto/bcrypt.h"
#include "crypto/secrets.h"

namespace leadproc {
namespace {

// Hashes made by other bcrypt implementations verify: the migrated users of the old Node.js
// system keep their passwords.
struct Vector {
  const char* source;
  const char* hash;
  const char* password;
};
const Vector kForeignHashes[] = {
    // PHP's password_hash ($2y$), the example of PHP's password_verify() documentation.
    {"PHP docs", "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", "rasmuslerdorf"},
    // Openwall crypt_blowfish test vectors ($2a$, the prefix of Node's bcrypt < 5 and of
    // bcryptjs; $2b$ as OpenBSD and Node's bcrypt >= 5 write it; $2y$ as PHP does).
    {"Openwall", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"},
    {"Openwall", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", ""},
    {"Openwall", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
     "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are "
     "ignored"},
    {"Openwall", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xff\xff\xa3"},
    {"Openwall", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xff\xff\xa3"},
};

TEST(Passwords, HashesFromOtherImplementationsVerify) {
  for (const auto& v : kForeignHashes) {
    EXPECT_TRUE(verify_password(v.password, v.hash)) << v.source << " " << v.hash;
    EXPECT_FALSE(verify_password("x" + std::string(v.password), v.hash)) << v.hash;
  }
}

TEST(Passwords, HashThenVerify) {
  auto h = hash_password("correct horse 9", 4);
  ASSERT_TRUE(h.ok()) << h.error().detail;
  EXPECT_EQ(h->substr(0, 7), "$2b$04$");
  EXPECT_EQ(h->size(), 60u);
  EXPECT_TRUE(verify_password("correct horse 9", *h));
  EXPECT_FALSE(verify_password("correct horse 8", *h));
  // A fresh salt every time.
  auto again = hash_password("correct horse 9", 4);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*h, *again);
}

TEST(Passwords, BadCostAndBadHashes) {
  EXPECT_FALSE(hash_password("correct horse 9", 3).ok());
  EXPECT_FALSE(hash_password("correct horse 9", 32).ok());
  EXPECT_FALSE(verify_password("anything", ""));
  EXPECT_FALSE(verify_password("anything", "plain-text"));
  EXPECT_FALSE(verify_password("anything", "$2b$04$short"));
  EXPECT_FALSE(verify_password(std::string("a\0b", 3), "$2b$04$short"));
}

TEST(Passwords, Policy) {
  EXPECT_EQ(password_policy_violation("leadproc-demo-1"), std::nullopt);
  EXPECT_EQ(password_policy_violation("Abcdefghij"), std::nullopt);
  EXPECT_EQ(password_policy_violation("correct horse"), std::nullopt);  // a space counts
  EXPECT_NE(password_policy_violation("Short1"), std::nullopt);
  EXPECT_NE(password_policy_violation("abcdefghijkl"), std::nullopt);  // one kind only
  EXPECT_NE(password_policy_violation("123456789012"), std::nullopt);
  EXPECT_NE(password_policy_violation(std::string(73, 'a') + "1"), std::nullopt);  // > 72 bytes
  EXPECT_NE(password_policy_violation("abcdefghij\n1"), std::nullopt);
}

// The most common passwords are refused whatever their case, from both parts of the shipped list
// (src/app/common_passwords.txt); uncommon ones of the same shape pass.
TEST(Passwords, CommonPasswordsAreRefused) {
  for (const char* common : {"Password123", "PASSWORD123", "Welcome@123", "1q2w3e4r5t",
                             "Butterfly1", "porsche911", "Qwerty123456"}) {
    EXPECT_TRUE(is_common_password(common)) << common;
    auto why = password_policy_violation(common);
    ASSERT_NE(why, std::nullopt) << common;
    EXPECT_NE(why->find("common"), std::string::npos) << *why;
  }
  EXPECT_TRUE(is_common_password("123456"));  // the list's first entry
  EXPECT_FALSE(is_common_password(""));       // blank lines and comments are no entries
  EXPECT_FALSE(is_common_password("leadproc-demo-1"));
  EXPECT_EQ(password_policy_violation("Password-for-leadproc-7"), std::nullopt);
}

TEST(Secrets, Sha256KnownAnswers) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Secrets, RandomTokens) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = random_token("lps_");
    ASSERT_EQ(t.size(), 4u + 43u) << t;
    EXPECT_EQ(t.substr(0, 4), "lps_");
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
        std::string::npos)
        << t;
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(Secrets, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

// access rules

Principal user(const char* id, Department d) {
  Principal p;
  p.id = id;
  p.department = d;
  return p;
}

Opportunity opp_of(const char* psv, const char* west, const char* owner) {
  Opportunity o;
  o.id = "opp";
  if (psv) o.assigned_psv = NamedRef{psv, "P"};
  if (west) o.assigned_west = AssignedWest{west, "W", std::nullopt, std::nullopt};
  if (owner) o.opportunity_owner = owner;
  return o;
}

TEST(Access, WhoSeesAndChangesWhat) {
  const Principal admin = user("a", Department::kAdmin);
  const Principal psv = user("p", Department::kPsv);
  const Principal west = user("w", Department::kWest);
  const Principal sales = user("s", Department::kSales);
  Principal key;
  key.kind = Principal::Kind::kApiKey;
  key.id = "k";

  const Opportunity in_psv = opp_of("p", nullptr, nullptr);
  const Opportunity in_west = opp_of(nullptr, "w", nullptr);
  const Opportunity in_crm = opp_of("p", nullptr, "s");  // qualified by p, owned by s
  const Opportunity others = opp_of("p2", "w2", "s2");

  for (const auto* o : {&in_psv, &in_west, &in_crm, &others}) {
    EXPECT_TRUE(can_access(admin, *o));
    EXPECT_TRUE(can_modify(admin, *o));
    EXPECT_FALSE(can_access(key, *o));
    EXPECT_FALSE(can_modify(key, *o));
  }
  EXPECT_TRUE(can_access(psv, in_psv));
  EXPECT_TRUE(can_modify(psv, in_psv));
  EXPECT_FALSE(can_access(psv, in_west));
  EXPECT_TRUE(can_access(psv, in_crm));  // keeps sight of what they qualified
  EXPECT_FALSE(can_access(psv, others));

  EXPECT_TRUE(can_access(west, in_west));
  EXPECT_TRUE(can_modify(west, in_west));
  EXPECT_FALSE(can_access(west, in_psv));

  EXPECT_TRUE(can_access(sales, in_crm));
  EXPECT_TRUE(can_modify(sales, in_crm));
  EXPECT_FALSE(can_access(sales, in_psv));
  EXPECT_FALSE(can_modify(sales, others));

  // A PSV user who is somehow the owner may see it but changes only as assignedPsv.
  const Opportunity owned_by_psv = opp_of(nullptr, nullptr, "p");
  EXPECT_TRUE(can_access(psv, owned_by_psv));
  EXPECT_FALSE(can_modify(psv, owned_by_psv));
}

TEST(Access, ListsAreNarrowedToTheCaller) {
  OpportunityFilter f;
  EXPECT_TRUE(restrict_to_scope(user("a", Department::kAdmin), f));
  EXPECT_FALSE(f.assignee.has_value());

  OpportunityFilter mine;
  EXPECT_TRUE(restrict_to_scope(user("p", Department::kPsv), mine));
  EXPECT_EQ(mine.assignee, std::optional<Id>("p"));

  OpportunityFilter same;
  same.assignee = "s";
  EXPECT_TRUE(restrict_to_scope(user("s", Department::kSales), same));

  OpportunityFilter theirs;
  theirs.assignee = "other";
  EXPECT_FALSE(restrict_to_scope(user("s", Department::kSales), theirs));

  Principal key;
  key.kind = Principal::Kind::kApiKey;
  OpportunityFilter any;
  EXPECT_FALSE(restrict_to_scope(key, any));
}

}  // namespace
}  // namespace leadproc
