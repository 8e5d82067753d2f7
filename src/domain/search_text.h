// The search terms of an opportunity (GET /search, GET /customers/{number}; docs/api-search.md).
// Both stores index the same terms, computed here once, so a search finds the same records on
// SQLite and PostgreSQL and neither needs a locale, an extension or a tokenizer of its own.
//
// A term is a kind letter, ':' and a value:
//   "w:<word>"   each word of the name, folded (lower case, accents removed);
//   "e:<email>"  the email address, folded;
//   "n:<digits>" the digits of the E.164 number, REVERSED, so that a number's last digits are a
//                prefix of its term: the index that finds a number also finds its endings.
//   "p:<person>|w:<word>" each name word again for each person who may read the opportunity
//                without being an admin (its PSV agent, WEST agent, opportunity owner: the
//                three app/access.h can_access checks), so that a person's own name search
//                reads only their own entries: a common first name has thousands of entries
//                across all agents and a few in one agent's leads (docs/benchmarks.md §8).
// Folding covers ASCII, Latin-1, Latin Extended-A (é → e, ß → ss, Ł → l), combining accents
// (U+0300-U+036F, so decomposed text folds like composed text), Greek and Cyrillic capitals.
// Other scripts (Devanagari, Arabic, ...) are kept as typed: they have no case, and their vowel
// signs are letters, not accents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace leadproc {

// `text` folded: lower case, accents removed, everything else as it was.
std::string fold_text(std::string_view text);

// The folded words of `text`: runs of letters and digits (any script), split at spaces and
// punctuation.
std::vector<std::string> search_words(std::string_view text);

// The terms of an opportunity with this name, email and E.164 number, sorted, each once.
std::vector<std::string> search_terms(std::string_view name, std::string_view email,
                                      std::string_view e164);
// The terms of `o`: search_terms(o.name, o.email, o.number), plus person_term(p, t) of each
// word term t for each distinct person p among assignedPsv, assignedWest and opportunityOwner;
// sorted, each once.
std::vector<std::string> search_terms(const Opportunity& o);

// The term under which `person`'s own opportunities are indexed for the word term `term`
// ("w:<word>"): "p:<person>|w:<word>". nullopt for a term of another kind (emails and numbers
// are rare enough to search unscoped).
std::optional<std::string> person_term(std::string_view person, std::string_view term);

// "n:" and the digits of `digits` reversed (non-digits ignored): the term of a number, and the
// prefix of the terms of the numbers that end with these digits.
std::string number_term(std::string_view digits);

// What an index holding `before` must delete and insert to hold `after` (both sorted).
struct TermChanges {
  std::vector<std::string> gone, added;
};
TermChanges term_changes(const std::vector<std::string>& before,
                         const std::vector<std::string>& after);

// Terms as one text (the stores keep the set an opportunity was indexed under), and back.
std::string join_terms(const std::vector<std::string>& terms);
std::vector<std::string> split_terms(std::string_view joined);

// The least string greater than every string that starts with `prefix` (for a range scan of
// an index: prefix <= term < prefix_end(prefix)). Valid UTF-8 when `prefix` is.
std::string prefix_end(std::string_view prefix);

}  // namespace leadproc
