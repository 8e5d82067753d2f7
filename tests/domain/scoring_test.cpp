#include "domain/scoring.h"

#include <gtest/gtest.h>

namespace leadproc {
namespace {

ScoreConfig weights() {
  ScoreConfig c;
  c.paid_ads = 10;
  c.website_organic = 8;
  c.instagram = 5;
  c.instagram_qualified = 12;
  c.whatsapp = 4;
  c.whatsapp_qualified = 11;
  c.direct_call = 15;
  c.re_enquiries = 3;
  c.visa = 7;
  c.flights_booked = 9;
  c.ex_client = 20;
  c.hot_lead = 25;
  return c;
}

Opportunity from(Platform p) {
  Opportunity o;
  o.lead_source.platform = p;
  return o;
}

TEST(Scoring, PlatformWeights) {
  struct Case {
    Platform platform;
    bool qualified;
    double expected;
  };
  const Case cases[] = {
      {Platform::kPaidAds, false, 10},    {Platform::kWebsite, false, 8},
      {Platform::kInstagram, false, 5},   {Platform::kInstagram, true, 12},
      {Platform::kWhatsappBot, false, 4}, {Platform::kWhatsappBot, true, 11},
      {Platform::kDc, false, 15},         {Platform::kReferral, false, 0},
      {Platform::kPaidAds, true, 10},  // qualification changes only instagram and whatsapp
  };
  for (const auto& c : cases) {
    Opportunity o = from(c.platform);
    o.is_qualified = c.qualified;
    EXPECT_EQ(compute_score(o, weights()), c.expected) << to_string(c.platform) << c.qualified;
  }
}

TEST(Scoring, ReInquiriesTagsAndHotLeadAddUp) {
  Opportunity o = from(Platform::kWebsite);
  o.re_inquiries = 2;
  o.tags = {"Visa", "flights_booked", "exClient", "visa", "honeymoon"};
  CrmStageMeta meta;
  meta.sub_stage = "HOT_LEAD";
  o.crm_stage_meta = meta;
  EXPECT_EQ(compute_score(o, weights()), 8 + 2 * 3 + 7 + 9 + 20 + 25);
  o.crm_stage_meta->sub_stage = "NEGOTIATION";
  EXPECT_EQ(compute_score(o, weights()), 8 + 2 * 3 + 7 + 9 + 20);
}

TEST(Scoring, ScoredTagSpellings) {
  EXPECT_EQ(scored_tag("flightsBooked"), ScoredTag::kFlightsBooked);
  EXPECT_EQ(scored_tag("FLIGHTS-BOOKED"), ScoredTag::kFlightsBooked);
  EXPECT_EQ(scored_tag("ex_client"), ScoredTag::kExClient);
  EXPECT_FALSE(scored_tag("vip"));
}

}  // namespace
}  // namespace leadproc
