// MongoDB Extended JSON (v2, canonical and relaxed mode, as mongoexport writes it and as libbson
// renders BSON) turned into the plain wire shape the codec reads (src/codec/json_codec.h): ids as
// 24-hex-digit strings, dates as ISO-8601 UTC strings, numbers as JSON numbers. Pure: no I/O.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "domain/result.h"

namespace leadproc::import {

// The plain form of `v`, recursively:
// - {"$oid": "<24 hex>"} -> the id in lower case;
// - {"$date": "<ISO-8601>"} (relaxed), {"$date": {"$numberLong": "<ms>"}} (canonical) and
//   {"$date": <ms>} (the legacy shell form) -> "YYYY-MM-DDTHH:MM:SS.mmmZ";
// - {"$numberInt"|"$numberLong": "<digits>"} -> an integer; {"$numberDouble"|"$numberDecimal":
//   "<number>"} -> a double (a whole one as an integer, as relaxed mode writes it);
// - {"$symbol": s} -> s.
// Anything else ($binary, $regularExpression, $timestamp, $minKey, ...) is kept as it is, so a
// field that matters and holds one is reported by the document decoder as of the wrong type.
// A malformed wrapper (an $oid that is not 24 hex digits, a date that does not parse, a number
// that is not one) becomes null and adds an error naming its path (`path` is the field name of
// `v`; "" for a whole document). A non-finite number ({"$numberDouble": "NaN"}, "Infinity",
// "-Infinity") becomes null and adds a warning naming its path, not an error: it may be in a
// field leadproc ignores, and the document decoder rejects a field it reads that is null and
// must not be.
boost::json::value plain_value(const boost::json::value& v, const std::string& path,
                               std::vector<FieldError>& errors, std::vector<FieldError>& warnings);

}  // namespace leadproc::import
