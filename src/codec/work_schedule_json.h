// A POC's work schedule (domain/work_schedule.h) in JSON, one shape for the API and the stored
// `availabilities.schedule` column: {"shifts": [{"day": "mon".."sun", "start": "HH:MM",
// "end": "HH:MM"}], "leave": [{"from": ISO-8601, "to": ISO-8601}], "checkedOutUntil": ISO-8601 |
// null}. A shift whose end is not after its start runs overnight; "24:00" is the end of a day.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "domain/result.h"
#include "domain/work_schedule.h"

namespace leadproc::codec {

// At most this many shifts and leave periods per POC (a week of three shifts a day; a year of
// leave in short pieces), so a body cannot make every lead's ranking slow.
constexpr std::size_t kMaxShifts = 21;
constexpr std::size_t kMaxLeavePeriods = 50;

// Writes "shifts", "leave" and "checkedOutUntil" into `out` (an availability, or the column).
void put_schedule(boost::json::object& out, const WorkSchedule& s);

// Reads "shifts" and "leave" of `o` into `s` (those present; null clears one), appending an error
// per bad field named by its path ("shifts[1].end"). `with_check_out` also reads
// "checkedOutUntil" (the stored column; the API sets it only through check-in/out).
void read_schedule(const boost::json::object& o, WorkSchedule& s, std::vector<FieldError>& errors,
                   bool with_check_out);

}  // namespace leadproc::codec
