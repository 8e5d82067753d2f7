#include "domain/process_split.h"

namespace leadproc {

std::optional<std::size_t> pick_split(std::vector<SplitEntry>& entries) {
  if (entries.empty()) return std::nullopt;
  std::int64_t total = 0;
  for (const auto& e : entries) total += e.load_share > 0 ? e.load_share : 0;
  const bool equal = total == 0;
  if (equal) total = static_cast<std::int64_t>(entries.size());

  std::size_t best = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::int64_t weight = equal ? 1 : (entries[i].load_share > 0 ? entries[i].load_share : 0);
    entries[i].counter += weight;
    if (entries[i].counter > entries[best].counter) best = i;
  }
  entries[best].counter -= total;
  return best;
}

}  // namespace leadproc
