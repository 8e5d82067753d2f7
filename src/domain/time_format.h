// ISO-8601 timestamps as the API writes and reads them: UTC with milliseconds and `Z`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model.h"

namespace leadproc {

// "2026-11-24T10:15:30.123Z"
std::string format_iso8601(Timestamp t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z" or "+HH:MM"/"-HH:MM"
// (a date alone is midnight UTC). nullopt for anything else.
std::optional<Timestamp> parse_iso8601(std::string_view s);

}  // namespace leadproc
