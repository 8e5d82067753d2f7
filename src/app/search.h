// Finding opportunities (GET /search; docs/api-search.md): one box for a phone number in any
// format, a name, an email or an id, answered with what the caller may read (app/access.h) and,
// for a number, how many of its opportunities the caller may not read and whose they are, so
// an agent can hand a returning customer to the right person.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/context.h"

namespace leadproc {

// What a query asks for (pure: plan_search()).
struct SearchPlan {
  enum class Kind { kId, kNumber, kEmail, kName };
  Kind kind = Kind::kName;
  Id id;                // kId
  SearchFilter filter;  // the others (visible_to unset)
};

// The longest query taken (longer: 422), and the most words of a name that count.
inline constexpr std::size_t kMaxSearchQuery = 200;
inline constexpr std::size_t kMaxSearchWords = 8;
// The fewest digits that search as the end of a number, and the fewest that are taken as a
// whole number (whose leading zeros are a trunk or international prefix, dropped).
inline constexpr std::size_t kMinNumberDigits = 6;
inline constexpr std::size_t kWholeNumberDigits = 10;
// The most opportunities of one number read for the hidden count and the customer view.
inline constexpr int kMaxNumberOpportunities = 1000;

// How `q` is searched:
// - 24 hex digits: that opportunity's id;
// - with an '@': the email, folded (domain/search_text.h);
// - only digits, spaces and + - . ( ) with at least kMinNumberDigits digits: a number. With a
//   leading '+' the whole number (E.164 through `phones`); otherwise its digits as the END of
//   the number (leading zeros dropped from kWholeNumberDigits digits on): "98200 22222",
//   "09820022222", "919820022222" and "022222" all find +919820022222, whatever the default
//   region;
// - anything else: the words of a name, each a whole word of the name, in any order.
// A validation error names `q` when it is empty, too long, too few digits or no word.
Result<SearchPlan> plan_search(std::string_view q, const PhoneNormalizer& phones);

// A person as others may see them: the id and the name (never the email: app/users.h).
struct PersonName {
  Id id;
  std::string name;
};

// The opportunities of a number that the caller may not read: how many, and the people they
// are with (each once, in the order first met: newest opportunity first).
struct HiddenMatches {
  int count = 0;
  std::vector<PersonName> owners;
};

// Who an opportunity is with now: its opportunityOwner in the CRM phase, else its WEST or PSV
// agent; nullopt when nobody has it yet.
std::optional<Id> responsible_person(const Opportunity& o);

// The part of `opps` that `p` may not read (can_access), with the names of the people they are
// with (read in `tx`).
Result<HiddenMatches> hidden_matches(ReadTx& tx, const Principal& p,
                                     const std::vector<Opportunity>& opps);

struct SearchResult {
  SearchPlan::Kind kind = SearchPlan::Kind::kName;
  std::vector<Opportunity> items;       // newest first, at most page.limit
  std::optional<HiddenMatches> hidden;  // numbers only
};

// `f` narrowed to what `person` may read as a non-admin: visible_to = person, and each name
// word as indexed for that person's own opportunities (domain/search_text.h person_term), so
// that the index reads only their entries however common the word (docs/benchmarks.md §8).
SearchFilter own_search(SearchFilter f, const Id& person);

// Runs plan_search(q) for `p` in one snapshot.
Result<SearchResult> search(AppContext& ctx, const Principal& p, std::string_view q,
                            const Page& page);

}  // namespace leadproc
