// Splitting one destination's leads across processes in proportion to `loadShare`
// (PRODUCT.md "Process"): smooth weighted round robin. Each entry's `counter` holds its credit;
// a pick adds every weight to its credit, takes the largest credit (first on ties) and takes the
// total weight off it. After any n picks every entry is within one lead of n * share / total.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace leadproc {

struct SplitEntry {
  int load_share = 0;        // weight, 0..100
  std::int64_t counter = 0;  // persisted credit
};

// Chooses an entry and updates every entry's counter. All-zero weights count as equal weights.
// nullopt only for an empty list.
std::optional<std::size_t> pick_split(std::vector<SplitEntry>& entries);

}  // namespace leadproc
