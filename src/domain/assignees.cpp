#include "domain/assignees.h"

#include <algorithm>

namespace leadproc {

Assignees::Assignees(std::optional<std::string_view> psv, std::optional<std::string_view> west,
                     std::optional<std::string_view> owner) {
  for (const auto& person : {psv, west, owner}) {
    if (!person || person->empty() || std::find(begin(), end(), *person) != end()) continue;
    ids_[size_++] = *person;
  }
}

namespace {

template <typename Ref>  // NamedRef, AssignedWest: anything with an `id`
std::optional<std::string_view> id_of(const std::optional<Ref>& ref) {
  if (!ref) return std::nullopt;
  return ref->id;
}

std::optional<std::string_view> id_of(const std::optional<Id>& id) {  // the owner: an id
  if (!id) return std::nullopt;
  return *id;
}

}  // namespace

Assignees::Assignees(const Opportunity& o)
    : Assignees(id_of(o.assigned_psv), id_of(o.assigned_west), id_of(o.opportunity_owner)) {}

}  // namespace leadproc
