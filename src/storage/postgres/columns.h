// Conversions between domain values and column values, shared with the SQLite adapter: the
// column conventions are the same (timestamps BIGINT milliseconds since the epoch, UTC; enums
// their wire strings; small lists JSON text), so the helpers are too. They live in
// storage/sqlite/columns.h for now and carry nothing SQLite-specific; moving them to a
// storage/common library changes only this include.
#pragma once

#include "storage/sqlite/columns.h"

namespace leadproc::postgres {

using sqlite::ascii_lower;
using sqlite::changes_from_json;
using sqlite::changes_to_json;
using sqlite::corrupt;
using sqlite::from_ms;
using sqlite::parse_object;
using sqlite::platforms_from_json;
using sqlite::platforms_to_json;
using sqlite::refs_from_json;
using sqlite::refs_to_json;
using sqlite::require;
using sqlite::strings_from_json;
using sqlite::strings_to_json;
using sqlite::table_of;
using sqlite::to_ms;

}  // namespace leadproc::postgres
