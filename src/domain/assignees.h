// Whom an opportunity belongs to: the one rule behind "their leads" in the people report, the
// by-agent funnel and milestones, the open counts rollup and the person-scoped search terms.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/model.h"

namespace leadproc {

// The distinct people among assignedPsv, assignedWest and opportunityOwner, in that order, each
// once; a missing or empty id is nobody. Views into the caller's strings: valid while they are.
class Assignees {
 public:
  Assignees(std::optional<std::string_view> psv, std::optional<std::string_view> west,
            std::optional<std::string_view> owner);
  explicit Assignees(const Opportunity& o);

  const std::string_view* begin() const { return ids_.data(); }
  const std::string_view* end() const { return ids_.data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::array<std::string_view, 3> ids_;
  std::size_t size_ = 0;
};

}  // namespace leadproc
