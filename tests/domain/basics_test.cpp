// ObjectIds, timestamps, enum wire names, closed statuses.
#include <gtest/gtest.h>

#include <set>

#include "domain/enums.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

Timestamp at(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

TEST(ObjectId, FormatSortsAndRoundTripsTime) {
  ObjectIdGenerator gen(0x0102030405ULL, 0);
  Id a = gen.next(at(1'700'000'000'000));
  Id b = gen.next(at(1'700'000'000'000));
  Id c = gen.next(at(1'700'000'001'000));
  EXPECT_EQ(a.size(), 24u);
  EXPECT_TRUE(is_object_id(a));
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(a.substr(8, 10), "0102030405");
  EXPECT_EQ(object_id_time(a), at(1'700'000'000'000));
  EXPECT_TRUE(is_object_id("507F1F77BCF86CD799439011"));  // MongoDB's own ids are accepted
  EXPECT_FALSE(is_object_id("507f1f77bcf86cd79943901"));
  EXPECT_FALSE(is_object_id("507f1f77bcf86cd79943901z"));
}

TEST(ObjectId, UniqueAcrossThreadsWorthOfCalls) {
  ObjectIdGenerator gen(7, 0xfffff0);  // counter wraps within the same second
  std::set<Id> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(gen.next(at(0)));
  EXPECT_EQ(seen.size(), 100000u);
}

TEST(TimeFormat, FormatsUtcWithMillis) {
  EXPECT_EQ(format_iso8601(at(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(1'732'442'130'123)), "2024-11-24T09:55:30.123Z");
  EXPECT_EQ(format_iso8601(at(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(at(253'402'300'799'999)), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(at(253'402'300'800'000)), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(-62'135'596'800'000)), "0001-01-01T00:00:00.000Z");
}

TEST(TimeFormat, Parses) {
  EXPECT_EQ(parse_iso8601("2024-11-24T09:55:30.123Z"), at(1'732'442'130'123));
  EXPECT_EQ(parse_iso8601("2024-11-24T15:25:30.123+05:30"), at(1'732'442'130'123));
  EXPECT_EQ(parse_iso8601("1970-01-02"), at(86'400'000));
  EXPECT_EQ(parse_iso8601("1970-01-01T00:01Z"), at(60'000));
  EXPECT_FALSE(parse_iso8601("2024-02-30"));
  EXPECT_FALSE(parse_iso8601("2024-11-24T10:22:10"));  // a time needs a zone
  EXPECT_FALSE(parse_iso8601("yesterday"));
}

TEST(Enums, WireNamesRoundTrip) {
  for (auto s : all_opportunity_statuses()) {
    auto v = parse_opportunity_status(s);
    ASSERT_TRUE(v) << s;
    EXPECT_EQ(to_string(*v), s);
  }
  EXPECT_EQ(all_opportunity_statuses().size(), 23u);
  EXPECT_EQ(to_string(FiltrationProcess::kNoFilter), "NO-FILTER");
  EXPECT_EQ(to_string(OpportunityStatus::kDormant), "Dormant");
  EXPECT_EQ(to_string(Platform::kWhatsappBot), "whatsapp_bot");
  EXPECT_FALSE(parse_platform("Website"));  // verbatim, case-sensitive
}

TEST(Lifecycle, ClosedStatuses) {
  Opportunity o;
  for (auto s : {OpportunityStatus::kInPsv, OpportunityStatus::kOpen, OpportunityStatus::kDormant,
                 OpportunityStatus::kResolvingUnknown, OpportunityStatus::kUpcomingFollowUp2}) {
    o.status = s;
    EXPECT_FALSE(is_closed(o)) << to_string(s);
  }
  for (auto s :
       {OpportunityStatus::kWon, OpportunityStatus::kLost, OpportunityStatus::kDisqualified,
        OpportunityStatus::kUnknownAlreadyAssigned, OpportunityStatus::kUpcomingDisqualifiedJunk}) {
    o.status = s;
    EXPECT_TRUE(is_closed(o)) << to_string(s);
  }
  o.status = OpportunityStatus::kInPsv;
  o.filtration_status = FiltrationStatus{"PSVDisqualified", FiltrationProcess::kPsv, {"junk"}};
  EXPECT_TRUE(is_closed(o));
}

}  // namespace
}  // namespace leadproc
