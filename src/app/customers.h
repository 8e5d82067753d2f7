// The customer view (GET /customers/{number}; docs/api-search.md): every enquiry of one phone
// number across destinations and time that the caller may read, each duplicate under its
// original, and how many the caller may not read and whose they are (app/search.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/search.h"

namespace leadproc {

// An original enquiry (or a duplicate whose original the caller may not read) with the
// duplicates of it that the caller may read, newest first.
struct CustomerEnquiry {
  Opportunity opportunity;
  std::vector<Opportunity> duplicates;
};

struct CustomerView {
  std::string number;                      // E.164
  std::vector<CustomerEnquiry> enquiries;  // newest first
  HiddenMatches hidden;
};

// The view of the number `raw` (any format; the default region unless it has a +country code).
// A validation error names `number` when it is not a phone number. At most
// kMaxNumberOpportunities opportunities of the number are read (the newest).
Result<CustomerView> customer_view(AppContext& ctx, const Principal& p, std::string_view raw);

}  // namespace leadproc
