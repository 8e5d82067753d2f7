// Texts kept once and named by a number: for reads of many rows that repeat a few texts (the
// time-in-stage report's ~150,000 stays at 1M opportunities name a few dozen statuses, stages
// and people), so that each row carries numbers instead of copies, and whoever adds the rows up
// compares numbers instead of texts.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leadproc {

class TextTable {
 public:
  using Index = std::uint32_t;

  TextTable() = default;
  // The map holds views of the texts: a copy would view the original's.
  TextTable(const TextTable&) = delete;
  TextTable& operator=(const TextTable&) = delete;
  TextTable(TextTable&&) = default;
  TextTable& operator=(TextTable&&) = default;

  // The number of `text`, added when it is new; numbers count up from 0 in the order added.
  Index index_of(std::string_view text) {
    auto it = index_.find(text);
    if (it != index_.end()) return it->second;
    const auto i = static_cast<Index>(texts_.size());
    index_.emplace(texts_.emplace_back(text), i);
    return i;
  }
  // The text numbered `i` (< size()). The reference stays valid as texts are added.
  const std::string& text(Index i) const { return texts_[i]; }
  std::size_t size() const { return texts_.size(); }

 private:
  std::deque<std::string> texts_;  // a deque: adding one moves none, so the views stay valid
  std::unordered_map<std::string_view, Index> index_;
};

}  // namespace leadproc
