// A POC's routing rules (domain/poc_rules.h) in JSON, one shape for the availability API and the
// stored `availabilities.rules` column: {"cap": n | null, "dailyQuota": n | null, "weight": n,
// "languages": ["en", ...], "nightDesk": bool}.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "domain/poc_rules.h"
#include "domain/result.h"

namespace leadproc::codec {

// Writes the five fields into `out`.
void put_rules(boost::json::object& out, const PocRules& r);

// Reads the fields of `o` that are present into `r` (null clears cap, dailyQuota and languages),
// appending an error per bad field: cap and dailyQuota integers 0..kMaxCap, weight 1..kMaxWeight,
// languages at most kMaxLanguages language tags (lower-cased, de-duplicated), nightDesk a bool.
void read_rules(const boost::json::object& o, PocRules& r, std::vector<FieldError>& errors);

}  // namespace leadproc::codec
