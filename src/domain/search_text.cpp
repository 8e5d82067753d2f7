#include "domain/search_text.h"

#include "domain/assignees.h"
#include "domain/utf8.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace leadproc {
namespace {

// Separates the joined terms: a control character, never part of a term (search_words splits
// on it, and fold_text output of an email is filtered of it).
constexpr char kTermSeparator = '\x1f';

// The base letters of U+00C0-U+017F; '*' marks the letters written with two (below) and '.'
// the two signs of the block (× ÷), which stay as they are.
constexpr std::string_view kLatin =
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy**"   // U+00C0-U+00DF
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy*y"   // U+00E0-U+00FF
    "aaaaaaccccccccddddeeeeeeeeeegggg"   // U+0100-U+011F
    "gggghhhhiiiiiiiiii**jjkkklllllll"   // U+0120-U+013F
    "lllnnnnnnnnnoooooo**rrrrrrssssss"   // U+0140-U+015F
    "ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";  // U+0160-U+017F

std::string_view two_letters(char32_t cp) {
  switch (cp) {
    case 0xC6:
    case 0xE6:
      return "ae";
    case 0xDE:
    case 0xFE:
      return "th";
    case 0xDF:
      return "ss";
    case 0x132:
    case 0x133:
      return "ij";
    case 0x152:
    case 0x153:
      return "oe";
    default:
      return {};
  }
}

bool is_combining_mark(char32_t cp) {
  return cp >= 0x300 && cp <= 0x36F;
}

// Appends the folded form of one code point.
void fold_into(std::string& out, char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') {
    out += static_cast<char>(cp - 'A' + 'a');
  } else if (is_combining_mark(cp)) {
    // dropped: "e" + U+0301 folds like "é"
  } else if (cp >= 0xC0 && cp <= 0x17F) {
    char base = kLatin[cp - 0xC0];
    if (base == '*')
      out += two_letters(cp);
    else if (base == '.')
      append_utf8(out, cp);
    else
      out += base;
  } else if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F)) {
    append_utf8(out, cp + 0x20);  // Greek and Cyrillic capitals
  } else if (cp >= 0x400 && cp <= 0x40F) {
    append_utf8(out, cp + 0x50);  // Cyrillic capitals with marks (Ё → ё)
  } else {
    append_utf8(out, cp);
  }
}

// Letters and digits of any script, and the marks within words; not spaces, punctuation or
// symbols of the common blocks.
bool is_word_char(char32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp < 0xC0) return false;                     // Latin-1 controls, spaces, punctuation
  if (cp == 0xD7 || cp == 0xF7) return false;      // × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows, ...
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp == 0x964 || cp == 0x965) return false;    // Devanagari danda
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width punctuation
  if (cp == 0xFFFD || cp == 0xFEFF) return false;
  return true;
}

}  // namespace

std::string fold_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) fold_into(out, next_code_point(text, i));
  return out;
}

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = next_code_point(text, i);
    if (is_word_char(cp) || (is_combining_mark(cp) && !word.empty())) {
      fold_into(word, cp);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string number_term(std::string_view digits) {
  std::string out = "n:";
  for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    if (*it >= '0' && *it <= '9') out += *it;
  return out;
}

std::vector<std::string> search_terms(std::string_view name, std::string_view email,
                                      std::string_view e164) {
  std::vector<std::string> terms;
  for (auto& w : search_words(name)) terms.push_back("w:" + w);
  std::string folded_email;
  for (char c : fold_text(email))
    if (static_cast<unsigned char>(c) > ' ') folded_email += c;
  if (!folded_email.empty()) terms.push_back("e:" + folded_email);
  if (auto n = number_term(e164); n.size() > 2) terms.push_back(std::move(n));
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::optional<std::string> person_term(std::string_view person, std::string_view term) {
  if (term.substr(0, 2) != "w:") return std::nullopt;
  std::string out = "p:";
  out += person;
  out += '|';
  out += term;
  return out;
}

std::vector<std::string> search_terms(const Opportunity& o) {
  std::vector<std::string> terms = search_terms(o.name, o.email.value_or(""), o.number);
  const std::size_t content = terms.size();
  for (auto person : Assignees(o))
    for (std::size_t i = 0; i < content; ++i)
      if (auto scoped = person_term(person, terms[i])) terms.push_back(std::move(*scoped));
  std::sort(terms.begin(), terms.end());
  return terms;
}

TermChanges term_changes(const std::vector<std::string>& before,
                         const std::vector<std::string>& after) {
  TermChanges c;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(c.gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(c.added));
  return c;
}

std::string join_terms(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += kTermSeparator;
    out += t;
  }
  return out;
}

std::vector<std::string> split_terms(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    auto end = joined.find(kTermSeparator);
    out.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return out;
}

std::string prefix_end(std::string_view prefix) {
  // U+10FFFF sorts after every code point in byte order (SQLite's BINARY, PostgreSQL's "C").
  return std::string(prefix) + "\xF4\x8F\xBF\xBF";
}

}  // namespace leadproc
