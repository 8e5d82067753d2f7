// The campaign-attribution fields the spec carries on leads and opportunities verbatim (all
// strings; `eventTime` is the one number and is a field of its own). `ctwaClid` is the click id of
// a click-to-WhatsApp/Instagram ad (the `referral` object, docs/api.md), which Meta's Conversions
// API takes back.
#pragma once

#include <array>
#include <string_view>

namespace leadproc {

inline constexpr std::array<std::string_view, 28> kAttributionFields{
    "utmSource",  "utmMedium",    "utmContent",   "utmCampaign", "utmTerm",        "utmId",
    "adid",       "ad",           "adSet",        "adName",      "adsetId",        "adsetName",
    "campaignId", "campaignName", "campaignType", "eventId",     "eventName",      "eventSourceUrl",
    "fbc",        "fbp",          "gclid",        "placement",   "siteSourceName", "clientIp",
    "userAgent",  "fbTraceId",    "leadOwner",    "ctwaClid"};

}  // namespace leadproc
