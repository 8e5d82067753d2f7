#include "app/report_period.h"

#include <vector>

namespace leadproc {

Status check_report_period(Timestamp from, Timestamp to) {
  std::vector<FieldError> errors;
  if (from >= to) errors.push_back({"to", "must be after from"});
  if (to - from > std::chrono::hours(24 * 366))
    errors.push_back({"to", "the period is at most 366 days"});
  if (!errors.empty()) return Error::validation(std::move(errors), "bad report period");
  return ok_status();
}

}  // namespace leadproc
