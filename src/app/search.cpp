#include "app/search.h"

#include <algorithm>

#include "domain/object_id.h"
#include "domain/search_text.h"
#include "domain/text.h"

namespace leadproc {
namespace {

Error bad_query(std::string message) {
  return Error::validation({{"q", std::move(message)}}, "bad query parameters");
}

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' ||
         c == ')';
}

}  // namespace

Result<SearchPlan> plan_search(std::string_view raw, const PhoneNormalizer& phones) {
  auto q = trim(raw);
  if (q.empty()) return bad_query("is required: a phone number, a name, an email or an id");
  if (q.size() > kMaxSearchQuery)
    return bad_query("must be at most " + std::to_string(kMaxSearchQuery) + " characters");
  SearchPlan plan;
  if (is_object_id(std::string(q))) {
    plan.kind = SearchPlan::Kind::kId;
    plan.id = std::string(q);
    return plan;
  }
  if (q.find('@') != std::string_view::npos) {
    plan.kind = SearchPlan::Kind::kEmail;
    plan.filter.terms = {"e:" + fold_text(q)};
    return plan;
  }
  if (std::all_of(q.begin(), q.end(), is_number_char)) {
    std::string digits;
    for (char c : q)
      if (c >= '0' && c <= '9') digits += c;
    if (digits.size() < kMinNumberDigits)
      return bad_query("a phone number needs at least its last " +
                       std::to_string(kMinNumberDigits) + " digits");
    plan.kind = SearchPlan::Kind::kNumber;
    if (q.front() == '+') {
      auto e164 = phones.to_e164(q);
      if (!e164) return bad_query("is not a phone number");
      plan.filter.terms = {number_term(*e164)};
    } else {
      // A whole national number may carry a trunk prefix ("0"), or "00" before a country code:
      // not part of the E.164 number. A shorter ending is taken as typed ("022222").
      if (digits.size() >= kWholeNumberDigits)
        digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
      plan.filter.prefix = number_term(digits);
    }
    return plan;
  }
  auto words = search_words(q);
  if (words.empty()) return bad_query("must hold a name, a phone number, an email or an id");
  if (words.size() > kMaxSearchWords) words.resize(kMaxSearchWords);
  for (auto& w : words) plan.filter.terms.push_back("w:" + w);
  std::sort(plan.filter.terms.begin(), plan.filter.terms.end());
  plan.filter.terms.erase(std::unique(plan.filter.terms.begin(), plan.filter.terms.end()),
                          plan.filter.terms.end());
  return plan;
}

std::optional<Id> responsible_person(const Opportunity& o) {
  if (o.opportunity_owner) return o.opportunity_owner;
  if (o.assigned_west) return o.assigned_west->id;
  if (o.assigned_psv) return o.assigned_psv->id;
  return std::nullopt;
}

Result<HiddenMatches> hidden_matches(ReadTx& tx, const Principal& p,
                                     const std::vector<Opportunity>& opps) {
  HiddenMatches out;
  std::vector<Id> seen;
  for (const auto& o : opps) {
    if (can_access(p, o)) continue;
    ++out.count;
    auto person = responsible_person(o);
    if (!person || std::find(seen.begin(), seen.end(), *person) != seen.end()) continue;
    seen.push_back(*person);
    auto user = tx.get_user(*person);
    if (!user) return user.error();
    // A person no longer stored (imported data) is still somebody: display_name() of the id.
    User gone;
    gone.id = *person;
    out.owners.push_back({*person, *user ? (*user)->display_name() : gone.display_name()});
  }
  return out;
}

SearchFilter own_search(SearchFilter f, const Id& person) {
  f.visible_to = person;
  for (auto& term : f.terms)
    if (auto own = person_term(person, term)) term = std::move(*own);
  return f;
}

Result<SearchResult> search(AppContext& ctx, const Principal& p, std::string_view q,
                            const Page& page) {
  auto plan = plan_search(q, ctx.phones);
  if (!plan) return plan.error();
  SearchResult out;
  out.kind = plan->kind;
  if (!p.is_user()) return out;  // routes admit users only; an API key reads nothing
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (plan->kind == SearchPlan::Kind::kId) {
      auto opp = tx.get_opportunity(plan->id);
      if (!opp) return opp.error();
      if (*opp && can_access(p, **opp) && (!page.after || (*opp)->id < *page.after))
        out.items.push_back(std::move(**opp));
      return ok_status();
    }
    const SearchFilter mine = p.is_admin() ? plan->filter : own_search(plan->filter, p.id);
    auto items = tx.search_opportunities(mine, page);
    if (!items) return items.error();
    out.items = std::move(*items);
    if (plan->kind != SearchPlan::Kind::kNumber) return ok_status();
    auto all = tx.search_opportunities(plan->filter, Page{std::nullopt, kMaxNumberOpportunities});
    if (!all) return all.error();
    auto hidden = hidden_matches(tx, p, *all);
    if (!hidden) return hidden.error();
    out.hidden = std::move(*hidden);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
