// The size limits of the fields of leads and opportunities (PRODUCT.md: "every field has a size
// limit (422 naming it past the limit)"), in ONE table read by every way in: lead intake
// (POST /api/v1/leads), PATCH /api/v1/opportunities/{id} and `leadproc import`. docs/api.md prints
// it ("Field limits"); tests/domain/field_limits_test.cpp holds the two equal.
//
// Why limits: every text is kept as sent, in the lead's and the opportunity's documents, and is
// read back by every list that shows the record; without them ten leads of 1 MB each grew the
// database by 73 MB and one agent's work list to 5 MB. The limits are generous for real data
// (a name 200 characters, an email 254 as RFC 5321 allows, a URL 2048 as browsers keep, free
// text 2000 as notes) and small against abuse. Standard library only.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/followup.h"  // kMaxNoteLength, text_length
#include "domain/result.h"    // FieldError

namespace leadproc {

struct FieldLimit {
  // The wire name, nested fields dotted as errors name them ("sourceMeta.formName").
  std::string_view field;
  // At most this many characters (UTF-8 code points, text_length) in the text, or in each entry
  // of a list.
  std::size_t max_length = 0;
  // A list of texts (`tags`): at most this many entries. 0: the field is one text.
  std::size_t max_entries = 0;
};

// `pax` sent to the API: a whole number of people from 0 to this (as a JSON number or a string
// of digits). Imported opportunities keep their `pax` text (the spec's IRawOpportunity holds a
// string), within the `pax` limit of the table.
inline constexpr int kMaxPax = 1000;

inline constexpr std::size_t kMaxUrlLength = 2048;

inline constexpr FieldLimit kFieldLimits[] = {
    // The customer.
    {"name", 200},
    {"number", 50},
    {"rawNumber", 50},
    {"email", 254},
    {"pax", 50},
    {"alternatePhone", 50},  // PATCH takes it as one text too
    {"alternatePhone.countryCode", 8},
    {"alternatePhone.number", 50},
    // The trip.
    {"destination", 200},  // what a lead names: a destination's name or _id
    {"destination.name", 200},
    {"travelDate", 100},
    {"tripType", 100},
    {"paxType", 100},
    // Where the lead came from.
    {"traceID", 255},  // also an idempotency key, as Idempotency-Key (255)
    {"leadSource.primarySource", 100},
    {"leadSource.secondarySource", 100},
    {"sourceMeta.formName", 200},
    {"sourceMeta.fromId", 200},
    {"sourceMeta.subSource", 100},
    {"page", kMaxUrlLength},
    {"actionSource", 100},
    // Campaign attribution (attribution.h), carried verbatim: ids, names, then the rest.
    {"utmId", 200},
    {"adid", 200},
    {"adsetId", 200},
    {"campaignId", 200},
    {"campaignType", 200},
    {"eventId", 200},
    {"eventName", 200},
    {"placement", 200},
    {"siteSourceName", 200},
    {"fbTraceId", 200},
    {"leadOwner", 200},
    {"utmSource", 500},
    {"utmMedium", 500},
    {"utmContent", 500},
    {"utmCampaign", 500},
    {"utmTerm", 500},
    {"ad", 500},
    {"adSet", 500},
    {"adName", 500},
    {"adsetName", 500},
    {"campaignName", 500},
    {"fbc", 500},
    {"fbp", 500},
    {"gclid", 500},
    {"ctwaClid", 500},
    {"eventSourceUrl", kMaxUrlLength},
    {"userAgent", 1000},
    {"clientIp", 64},  // an IPv6 address with a zone
    // Free text.
    {"remarks", kMaxNoteLength},
    {"customRemark", kMaxNoteLength},
    {"agentNotes", kMaxNoteLength},
    {"junKRemarks", kMaxNoteLength},
    {"tags", 100, 50},
    // The fields a lead source sent that leadproc does not take, kept under the lead's `extra`
    // (issue 19 item 7): at most 50 of them, each value's JSON text as long as a note, each
    // name 100 characters.
    {"extra", kMaxNoteLength, 50},
    {"extra.name", 100},
    // Kept from MongoDB (`leadproc import`); the API sets them itself or not at all.
    {"activeLeads", 24, 100},
    {"filterAssigned", 100},
    {"qualificationStatus", 100},
    {"qualifiedBy", 200},
    {"mainProcessingStage", 100},
    {"crmPlatform", 100},
    {"bookingId", 100},
    {"leadStage", 100},
    {"selectedCosting", kMaxNoteLength},
    {"trips", kMaxNoteLength},
    {"assignedPsv.name", 200},
    {"assignedWest.name", 200},
    {"assignedWest.wabaNumber", 50},
    {"assignedWest.sheetName", 200},
    {"filtrationStatus.stage", 100},
    {"filtrationStatus.disqualificationReason", 200, 50},
    {"crmStageMeta.subStage", 100},
    {"crmStageMeta.rejectionReason", 200},
    {"crmStageMeta.notInterstedReasons", 200},
    {"crmStageMeta.originalOpportunityId", 100},
    {"crmStageMeta.reassignedRemarks", kMaxNoteLength},
};

// The limit of `field`, found at compile time: limit_of("emial") does not compile.
consteval const FieldLimit& limit_of(std::string_view field) {
  for (const auto& limit : kFieldLimits)
    if (limit.field == field) return limit;
  throw "no size limit for this field in kFieldLimits";  // not a constant expression: an error
}

// The limit of `field`, nullptr when the table has none.
const FieldLimit* find_field_limit(std::string_view field);

// Each check returns true when the value is within `limit`, else appends an error naming `path`
// (default: limit.field; for an entry of a list, `path[i]`) and returns false.
bool within_limit(const FieldLimit& limit, std::string_view text, std::vector<FieldError>& errors,
                  std::string_view path = {});
// A list: its number of entries, then each entry's length.
bool within_limit(const FieldLimit& limit, std::span<const std::string> entries,
                  std::vector<FieldError>& errors, std::string_view path = {});

// The reasons the checks give, for callers that check a list's count before decoding it.
std::string too_long_reason(const FieldLimit& limit);
std::string too_many_reason(const FieldLimit& limit);

// `pax` as the API takes it (digits only, "0" to "1000"); nullopt for anything else ("2-3",
// "nan", " 3", "3.0", "").
std::optional<int> pax_from_text(std::string_view text);
// `pax` sent as a JSON number: a whole number from 0 to kMaxPax (3 and 3.0); nullopt otherwise.
std::optional<int> pax_from_number(double value);

}  // namespace leadproc
