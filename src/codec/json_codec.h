// Domain values <-> JSON in the spec's wire shape (field names verbatim, `_id` for ids,
// timestamps ISO-8601 UTC). Used by the HTTP layer for responses and by the storage adapters
// for the document column of leads and opportunities, so the two can never disagree.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>

#include "domain/model.h"

namespace leadproc::codec {

boost::json::object to_json(const User& u);  // never includes `credentials`
boost::json::object to_json(const Destination& d);
boost::json::object to_json(const ProcessDestinationMap& m);
boost::json::object to_json(const Availability& a);
boost::json::object to_json(const WebUrl& w);
boost::json::object to_json(const Lead& l);
boost::json::object to_json(const Opportunity& o);
boost::json::object to_json(const Activity& a);
// Follow-ups and notes (spec names; plus `owner`, `outcome` and `version` on follow-ups).
boost::json::object to_json(const FollowUp& f);
boost::json::object to_json(const Note& n);

// Inverse of to_json for stored documents (trusted input: unknown fields are ignored, missing
// ones take their defaults).
Lead lead_from_json(const boost::json::object& o);
Opportunity opportunity_from_json(const boost::json::object& o);

boost::json::value optional_string(const std::optional<std::string>& s);
boost::json::value optional_time(const std::optional<Timestamp>& t);
// {"key": "value", ...}, in key order.
boost::json::object string_map(const std::map<std::string, std::string>& m);
// A whole number as an integer, else a double.
boost::json::value number_value(double d);

}  // namespace leadproc::codec
