// The calendar month a free-text travel date names (the opportunity's `travelDate`, kept as the
// customer or agent wrote it): `travelMonthDateFormat` follows it, and scoring's travel-month
// rule reads it (docs/scoring.md).
#pragma once

#include <optional>
#include <string_view>

namespace leadproc {

struct YearMonth {
  int year = 0;
  unsigned month = 0;  // 1..12
  bool operator==(const YearMonth&) const = default;
};

// The month `travel_date` names, if it names one: "2026-03-15", "2026-03",
// "2026-03-15T10:00:00Z", "15/03/2026", "15-03-2026", "03/2026", "Mar 2026", "March 2026",
// "mar-2026", "15 March 2026" (day-first, as written in India). nullopt otherwise.
std::optional<YearMonth> travel_month_of(std::string_view travel_date);

}  // namespace leadproc
