#include "app/customers.h"

#include <algorithm>
#include <map>

#include "domain/search_text.h"

namespace leadproc {

Result<CustomerView> customer_view(AppContext& ctx, const Principal& p, std::string_view raw) {
  auto e164 = ctx.phones.to_e164(raw);
  if (!e164) return Error::validation({{"number", "is not a phone number"}}, "bad path parameter");
  CustomerView view;
  view.number = *e164;
  std::vector<Opportunity> all;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    SearchFilter f;
    f.terms = {number_term(*e164)};
    auto found = tx.search_opportunities(f, Page{std::nullopt, kMaxNumberOpportunities});
    if (!found) return found.error();
    all = std::move(*found);
    auto hidden = hidden_matches(tx, p, all);
    if (!hidden) return hidden.error();
    view.hidden = std::move(*hidden);
    return ok_status();
  });
  if (!s) return s.error();

  // Originals first met (newest first), then each readable duplicate under its original when
  // that is listed too; a duplicate of an original the caller may not read stands alone.
  auto is_duplicate = [](const Opportunity& o) { return o.is_duplicate && o.duplicate_of; };
  std::map<Id, std::size_t> listed;  // original id -> index in view.enquiries
  std::vector<Opportunity> duplicates;
  for (auto& o : all) {
    if (!can_access(p, o)) continue;
    if (is_duplicate(o)) {
      duplicates.push_back(std::move(o));
    } else {
      listed[o.id] = view.enquiries.size();
      view.enquiries.push_back({std::move(o), {}});
    }
  }
  for (auto& o : duplicates) {
    if (auto it = listed.find(*o.duplicate_of); it != listed.end())
      view.enquiries[it->second].duplicates.push_back(std::move(o));
    else
      view.enquiries.push_back({std::move(o), {}});
  }
  std::stable_sort(view.enquiries.begin(), view.enquiries.end(), [](const auto& a, const auto& b) {
    return a.opportunity.id > b.opportunity.id;
  });
  return view;
}

}  // namespace leadproc
