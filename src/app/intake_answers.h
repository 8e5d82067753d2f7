// What the platforms' intakes share (docs/intake.md): ids kept exact, and the answers of a
// platform's form mapped to a lead's fields. Meta's Instant Forms name answers by question key
// (app/meta_intake.h), Google's lead forms by column id (app/google_intake.h); either way an
// admin's mapping says which answer fills which lead field, and an answer no field takes is kept
// under the lead's `extra` (issue 19 item 7: no field silently dropped).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/ingest_lead.h"

namespace leadproc {

// True iff `s` is an id as leadproc keeps the platforms' ids: 1 to 32 decimal digits.
bool is_id_digits(std::string_view s);
// An id as the platforms send it: a JSON integer (its exact digits: the parser keeps integers as
// int64 or uint64, never a double) or a string of digits. nullopt for anything else (a fraction
// or an exponent, which the parser would have turned into a double, is refused, not rounded).
std::optional<std::string> exact_id(const boost::json::value& v);
// Reads the optional id `key` of `o` into `out`; a present value that is no exact_id is a
// FieldError named `path` + key.
void read_id(const boost::json::object& o, std::string_view key, const std::string& path,
             std::optional<std::string>& out, std::vector<FieldError>& errors);

// lead field -> answer name (question key, column id), in order: name, number, email,
// destination, travelDate, pax.
using AnswerMapping = std::vector<std::pair<std::string, std::string>>;
// An answer: its name and its text.
using Answers = std::vector<std::pair<std::string, std::string>>;

// `defaults` with the entries of `mapping_json` (an admin's {leadField: answerName}) replacing
// theirs. A 422 names each bad entry ("mapping.<field>": not a lead field, not a non-empty
// string) or "mapping" when it is not an object.
Result<AnswerMapping> answer_mapping(std::string_view mapping_json, const AnswerMapping& defaults);

// Sets name, number, email, destination, travelDate and pax of `in` from the answers `mapping`
// names (a pax that is not a number fills nothing), and keeps every other answer under `in.extra`,
// named by its answer name.
void apply_answers(const AnswerMapping& mapping, const Answers& answers, LeadInput& in);

}  // namespace leadproc
