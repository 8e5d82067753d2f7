// Who works when: the shift, leave and check-out rule (src/domain/work_schedule.h) with the wall
// clock of the business time zone (src/app/business_day.h work_time), as data cases
// (work_schedule_cases.txt: midnight, overnight shifts, DST changes in Europe/London, leave,
// check-out); and the rule's helpers and round robin's off-duty filter as unit tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/business_day.h"
#include "domain/round_robin.h"
#include "domain/time_format.h"
#include "domain/work_schedule.h"

namespace leadproc {
namespace {

Timestamp t(const std::string& iso) {
  auto parsed = parse_iso8601(iso);
  EXPECT_TRUE(parsed.has_value()) << iso;
  return parsed.value_or(Timestamp{});
}

std::string expected_word(const std::optional<OffDuty>& o) {
  if (!o) return "working";
  std::string w(to_string(*o));
  std::replace(w.begin(), w.end(), ' ', '-');
  return w;
}

TEST(WorkScheduleCases, EveryCaseOfTheDataFile) {
  std::ifstream in(std::string(LEADPROC_TESTS_DIR) + "/domain/work_schedule_cases.txt");
  ASSERT_TRUE(in) << "work_schedule_cases.txt not found";
  std::string line, name, zone = "UTC";
  WorkSchedule s;
  int checks = 0, cases = 0;
  for (int n = 1; std::getline(in, line); ++n) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    const std::string where = "work_schedule_cases.txt:" + std::to_string(n) + " (" + name + ")";
    if (word == "case:") {
      std::getline(words, name);
      s = WorkSchedule{};
      zone = "UTC";
      ++cases;
    } else if (word == "zone") {
      words >> zone;
    } else if (word == "shift") {
      std::string day, start, end;
      words >> day >> start >> end;
      auto d = parse_weekday(day);
      auto a = parse_clock(start);
      auto b = parse_clock(end);
      ASSERT_TRUE(d && a && b) << where;
      s.shifts.push_back(Shift{*d, *a, *b});
    } else if (word == "leave") {
      std::string from, to;
      words >> from >> to;
      s.leave.push_back(LeavePeriod{t(from), t(to)});
    } else if (word == "checkout") {
      std::string until;
      words >> until;
      s.checked_out_until = t(until);
    } else if (word == "at") {
      std::string when, want;
      words >> when >> want;
      auto at = work_time(t(when), zone);
      ASSERT_TRUE(at.ok()) << where;
      EXPECT_EQ(expected_word(not_working(s, *at)), want) << where << " at " << when;
      ++checks;
    } else {
      FAIL() << where << ": unknown line '" << line << "'";
    }
  }
  EXPECT_GE(cases, 10);
  EXPECT_GE(checks, 40);
}

TEST(WorkSchedule, ParsesDaysAndClocks) {
  EXPECT_EQ(parse_weekday("mon"), 0);
  EXPECT_EQ(parse_weekday("sun"), 6);
  EXPECT_FALSE(parse_weekday("Mon"));
  EXPECT_EQ(parse_clock("00:00"), 0);
  EXPECT_EQ(parse_clock("09:30"), 570);
  EXPECT_EQ(parse_clock("24:00"), 1440);
  for (auto bad : {"24:01", "9:30", "09:60", "25:00", "0930", "ab:cd", ""})
    EXPECT_FALSE(parse_clock(bad)) << bad;
  EXPECT_EQ(format_clock(570), "09:30");
  EXPECT_EQ(format_clock(1440), "24:00");
}

TEST(WorkSchedule, WorkTimeNamesTheLocalWeekdayAndMinute) {
  // 2026-12-06 is a Sunday; 20:00 UTC is Monday 01:30 in Kolkata (UTC+05:30).
  auto at = work_time(t("2026-12-06T20:00:00Z"), "Asia/Kolkata");
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->local.weekday, 0);
  EXPECT_EQ(at->local.minute, 90);
  EXPECT_FALSE(work_time(t("2026-12-06T20:00:00Z"), "Mars/Olympus").ok());
}

RankedPoc poc(const std::string& id, WorkSchedule s) {
  RankedPoc p;
  p.availability_id = id;
  p.person_name = "P" + id;
  p.schedule = std::move(s);
  return p;
}

TEST(OffDutyFilter, DropsThoseNotWorkingAndSaysWhy) {
  const WorkTime at{t("2026-12-07T10:00:00Z"), LocalClock{0, 600}};  // Monday 10:00
  WorkSchedule night;
  night.shifts.push_back(Shift{0, 22 * 60, 6 * 60});
  WorkSchedule leave;
  leave.leave.push_back(LeavePeriod{t("2026-12-01T00:00:00Z"), t("2026-12-10T00:00:00Z")});
  WorkSchedule out;
  out.checked_out_until = t("2026-12-08T00:00:00Z");
  WorkSchedule day;
  day.shifts.push_back(Shift{0, 9 * 60, 17 * 60});
  std::vector<RankedPoc> pool{poc("a", {}), poc("b", night), poc("c", leave), poc("d", out),
                              poc("e", day)};
  auto dropped = drop_off_duty(pool, at);
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool[0].availability_id, "a");
  EXPECT_EQ(pool[1].availability_id, "e");
  ASSERT_EQ(dropped.size(), 3u);
  EXPECT_EQ(dropped[0].why, OffDuty::kOffShift);
  EXPECT_EQ(dropped[1].why, OffDuty::kOnLeave);
  EXPECT_EQ(dropped[2].why, OffDuty::kCheckedOut);
  EXPECT_EQ(waiting_reason(AvailabilityProcess::kPsv, dropped),
            "nobody of the PSV pool is working: 1 off shift, 1 on leave, 1 checked out");
  EXPECT_EQ(waiting_reason(AvailabilityProcess::kSales, {}),
            "no available POC of the Sales pool covers it");
}

TEST(ExplainPool, NamesWhyEachPocWouldOrWouldNotTakeTheLead) {
  const WorkTime at{t("2026-12-07T10:00:00Z"), LocalClock{0, 600}};  // Monday 10:00
  auto a = [](const std::string& id) {
    Availability x;
    x.id = id;
    x.person_id = "p" + id;
    x.person_name = "P" + id;
    return x;
  };
  Availability chosen = a("1");
  Availability off = a("2");
  off.schedule.shifts.push_back(Shift{1, 9 * 60, 17 * 60});  // Tuesdays only
  Availability unavailable = a("3");
  unavailable.is_available = false;
  Availability elsewhere = a("4");
  elsewhere.destinations.push_back(NamedRef{"goa", "Goa"});
  Availability specialist_elsewhere = a("5");
  specialist_elsewhere.source = {Platform::kInstagram};  // tier 2 for a website lead
  Availability deleted = a("6");
  deleted.deleted = true;
  Availability candidate = a("7");
  const std::vector<Availability> pool{
      chosen, off, unavailable, elsewhere, specialist_elsewhere, deleted, candidate};
  auto verdicts =
      explain_pool(pool, std::optional<Id>("bali"), Platform::kWebsite, std::nullopt, at,
                   std::optional<Id>("1"), [](const Availability&) { return std::int64_t{0}; });
  ASSERT_EQ(verdicts.size(), 6u);  // the deleted one is not a member
  EXPECT_EQ(verdicts[0].verdict, "chosen");
  EXPECT_FALSE(verdicts[0].excluded);
  EXPECT_EQ(verdicts[1].verdict, "off shift");
  EXPECT_EQ(verdicts[2].verdict, "not available");
  EXPECT_EQ(verdicts[3].verdict, "does not cover the destination");
  EXPECT_EQ(verdicts[4].verdict, "source tier 2 (tier 1 present)");
  EXPECT_TRUE(verdicts[4].excluded);
  EXPECT_EQ(verdicts[5].verdict, "candidate");
  EXPECT_FALSE(verdicts[5].excluded);
}

}  // namespace
}  // namespace leadproc
