#include "domain/scoring.h"

#include <cctype>

namespace leadproc {

std::optional<ScoredTag> scored_tag(std::string_view tag) {
  std::string key;
  for (char c : tag)
    if (c != '_' && c != '-' && c != ' ')
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (key == "visa") return ScoredTag::kVisa;
  if (key == "flightsbooked") return ScoredTag::kFlightsBooked;
  if (key == "exclient") return ScoredTag::kExClient;
  return std::nullopt;
}

double compute_score(const Opportunity& opp, const ScoreConfig& c) {
  const bool qualified = opp.is_qualified.value_or(false);
  double score = 0;
  switch (opp.lead_source.platform) {
    case Platform::kPaidAds:
      score += c.paid_ads;
      break;
    case Platform::kWebsite:
      score += c.website_organic;
      break;
    case Platform::kInstagram:
      score += qualified ? c.instagram_qualified : c.instagram;
      break;
    case Platform::kWhatsappBot:
      score += qualified ? c.whatsapp_qualified : c.whatsapp;
      break;
    case Platform::kDc:
      score += c.direct_call;
      break;
    default:
      break;
  }
  score += static_cast<double>(opp.re_inquiries) * c.re_enquiries;
  bool visa = false, flights = false, ex_client = false;  // each tag counts once
  for (const auto& tag : opp.tags) {
    auto t = scored_tag(tag);
    if (!t) continue;
    visa |= *t == ScoredTag::kVisa;
    flights |= *t == ScoredTag::kFlightsBooked;
    ex_client |= *t == ScoredTag::kExClient;
  }
  if (visa) score += c.visa;
  if (flights) score += c.flights_booked;
  if (ex_client) score += c.ex_client;
  if (opp.crm_stage_meta && opp.crm_stage_meta->sub_stage == "HOT_LEAD") score += c.hot_lead;
  return score;
}

}  // namespace leadproc
