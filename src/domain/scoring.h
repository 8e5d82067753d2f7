// The opportunity score (PRODUCT.md "Scoring"): the weight of the lead's platform
// (paid_ads→paidAds, website→websiteOrganic, instagram→instagram or instagramQualified once
// qualified, whatsapp_bot→whatsapp or whatsappQualified, dc→directCall; other platforms 0)
// + reInquiries × reEnquiries + visa / flightsBooked / exClient when the opportunity carries
// that tag + hotLead when the CRM sub-stage is HOT_LEAD.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model.h"

namespace leadproc {

// The spec's opportunityscoreconfiguration: twelve weights and whether it is the active one.
struct ScoreConfig {
  Id id;
  double paid_ads = 0;
  double website_organic = 0;
  double instagram = 0;
  double instagram_qualified = 0;
  double whatsapp = 0;
  double whatsapp_qualified = 0;
  double direct_call = 0;
  double re_enquiries = 0;
  double visa = 0;
  double flights_booked = 0;
  double ex_client = 0;
  double hot_lead = 0;
  bool is_active = false;
  std::optional<Id> created_by;
  std::optional<Id> updated_by;
  Timestamp created_at{};
  Timestamp updated_at{};
};

// The twelve weights by their names in the spec (the API, the stored documents, MongoDB's).
struct ScoreWeight {
  std::string_view name;
  double ScoreConfig::*field;
};
inline constexpr ScoreWeight kScoreWeights[] = {
    {"paidAds", &ScoreConfig::paid_ads},
    {"websiteOrganic", &ScoreConfig::website_organic},
    {"instagram", &ScoreConfig::instagram},
    {"instagramQualified", &ScoreConfig::instagram_qualified},
    {"whatsapp", &ScoreConfig::whatsapp},
    {"whatsappQualified", &ScoreConfig::whatsapp_qualified},
    {"directCall", &ScoreConfig::direct_call},
    {"reEnquiries", &ScoreConfig::re_enquiries},
    {"visa", &ScoreConfig::visa},
    {"flightsBooked", &ScoreConfig::flights_booked},
    {"exClient", &ScoreConfig::ex_client},
    {"hotLead", &ScoreConfig::hot_lead},
};
inline constexpr std::size_t kScoreWeightCount = std::size(kScoreWeights);

// Tags that carry a weight, compared case-insensitively and ignoring '_' and '-':
// "visa"; "flightsBooked" / "flights_booked"; "exClient" / "ex_client".
enum class ScoredTag { kVisa, kFlightsBooked, kExClient };
std::optional<ScoredTag> scored_tag(std::string_view tag);

double compute_score(const Opportunity& opp, const ScoreConfig& config);

}  // namespace leadproc
