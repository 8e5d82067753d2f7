// The one placeholder rewrite of the shared SQL layer. Shared SQL is written with SQLite's
// numbered parameters (?1, ?2, ...: a number may repeat, as in "?1 IS NULL OR x = ?1"); the
// PostgreSQL adapter turns them into $1, $2, ... when it first prepares a text on a connection
// and caches the statement under the original text, so the rewrite runs once per statement and
// connection, never per call. Unlike a rewrite of bare `?` (Drogon's), the number is written in
// the SQL, so what is bound to what can be read from the text alone.
#pragma once

#include <string>
#include <string_view>

namespace leadproc::sql {

// `sql` with every ?N (N one or more digits) outside quoted strings and identifiers written as
// $N. A `?` not followed by a digit (PostgreSQL's jsonb operator) is left as it is. When
// `highest` is given, it is set to the highest N (also of $N already so written; 0 if none): the
// number of parameters the statement takes, bound or not.
std::string dollar_placeholders(std::string_view sql, int* highest = nullptr);

}  // namespace leadproc::sql
