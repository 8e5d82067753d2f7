// Conversions back to the ad platforms (issue 20 item 4; docs/conversions.md): the stages that
// leads from Meta lead ads (a leadgen_id) and from Google ads (a gclid) reach, sent back so that
// campaigns optimise for booked trips rather than form fills. Built on the outbox: the fan-out
// (app/webhooks.h fan_out_outbox) turns each event that reaches a configured stage into one
// pending conversion in its own transaction, and the conversions-send job
// (jobs/conversion_sender.h) sends them, so a platform outage delays a conversion and never loses
// it. This file holds the rules; the HTTP is the job's:
// - the admin's settings (secrets write-only) and their validation;
// - which event makes which conversion (idempotent per opportunity, platform and stage);
// - the platforms' windows (Meta 7 days, Google 90 days from the click): older is expired;
// - the request bodies, and what each answer means (sent, rejected with the platform's reason,
//   or retried with backoff).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/input.h"

namespace leadproc {

// Settings (GET/PUT /api/v1/conversions/settings)

struct MetaConversionSettings {
  bool enabled = false;
  std::string dataset_id;    // the dataset (pixel) id the events go to
  std::string access_token;  // a system user's token (secret: never shown)
  // The status reached (a wire value, e.g. "Won") -> the event_name sent (the stage as the admin
  // names it in Events Manager). A status not listed is not sent.
  std::map<std::string, std::string> stage_events;
};
struct GoogleConversionSettings {
  bool enabled = false;
  std::string customer_id;                       // 10 digits
  std::optional<std::string> login_customer_id;  // a manager account's, when it uploads
  std::string developer_token;                   // secret
  std::string access_token;                      // an OAuth access token (secret)
  // "qualified" | "won" -> the conversion action's resource name
  // (customers/{id}/conversionActions/{id}). A stage not listed is not sent.
  std::map<std::string, std::string> conversion_actions;
};
struct ConversionSettings {
  MetaConversionSettings meta;
  GoogleConversionSettings google;
};

// The stored settings (all disabled when never saved), in `tx` or in a read of its own. Errors:
// the store's.
Result<ConversionSettings> load_conversion_settings(ReadTx& tx);
Result<ConversionSettings> read_conversion_settings(AppContext& ctx);

// A map of names as a PUT gives it, in order: each key with its value (nullopt: the value was not
// a string).
using NamesInput = std::vector<std::pair<std::string, std::optional<std::string>>>;
// What a PUT changes of one platform's settings (nullopt: unchanged). A map given replaces the
// stored one; a secret given replaces the stored one (1 to 4096 characters).
struct MetaConversionChange {
  std::optional<bool> enabled;
  std::optional<std::string> dataset_id;    // digits
  std::optional<std::string> access_token;  // secret
  std::optional<NamesInput> stage_events;   // a status -> an event name of 1 to 100 characters
};
struct GoogleConversionChange {
  std::optional<bool> enabled;
  std::optional<std::string> customer_id;      // 10 digits
  Patch<std::string> login_customer_id;        // 10 digits; cleared: none
  std::optional<std::string> developer_token;  // secret
  std::optional<std::string> access_token;     // secret
  // "qualified" | "won" -> customers/{id}/conversionActions/{id}
  std::optional<NamesInput> conversion_actions;
};
// PUT /api/v1/conversions/settings {"meta": {...}, "google": {...}} (the JSON is decoded by
// http/decode_conversions.h), each platform optional (absent: unchanged).
struct ConversionSettingsChange {
  std::optional<MetaConversionChange> meta;
  std::optional<GoogleConversionChange> google;
  std::vector<FieldError> decode_errors;
};
// Applies `in` to the stored settings. A platform enabled must be complete (its ids, its secrets
// and at least one stage). 422 naming every bad field ("meta.datasetId",
// "google.conversionActions.lost"), nothing changed. Returns the new settings (GET's answer is
// http/routes_conversions.cpp's: secrets only as "...Set": true/false).
Result<ConversionSettings> update_conversion_settings(AppContext& ctx,
                                                      const ConversionSettingsChange& in);

// From the outbox

// The conversions `e` reaches under `s` (none, or one per platform), pending and due at `now`:
// - meta (enabled, a stage mapped): lead.created and opportunity.stage_changed of an opportunity
//   from Meta lead ads (primarySource meta_lead_ads, its traceID the leadgen_id: digits), stage
//   its status after the change;
// - google (enabled, an action mapped): opportunity.qualified (stage "qualified") and
//   opportunity.won ("won", with the deal value) of an opportunity with a gclid; the click is
//   taken to be the lead's creation.
std::vector<Conversion> conversions_for_event(const ConversionSettings& s, const OutboxEvent& e,
                                              Timestamp now);
// Stores conversions_for_event(...) of each event in `tx` (a stage stored already is left as it
// is: idempotent).
Status record_conversions(WriteTx& tx, const std::vector<OutboxEvent>& events, Timestamp now);

// Sending

inline constexpr auto kMetaConversionWindow = std::chrono::hours(24 * 7);
inline constexpr auto kGoogleClickWindow = std::chrono::hours(24 * 90);
// Why `c` can no longer be sent at `now` (Meta: its event_time more than 7 days ago; Google: its
// click more than 90 days ago), or nullopt.
std::optional<std::string> conversion_expiry(const Conversion& c, Timestamp now);

// The wait before try number attempts + 1 after a failure that may pass: 1 min doubling up to
// 6 h. There is no last try: a conversion is retried until its window closes (then expired).
std::chrono::seconds conversion_retry_delay(int attempts);

// POST {graph}/{version}/{dataset_id}/events: {"data": [{event_name, event_time,
// action_source: "system_generated", user_data: {lead_id}, custom_data: {event_source: "crm",
// lead_event_source: "leadproc"}}], "access_token"}. lead_id is the leadgen_id as a JSON integer.
std::string meta_events_body(const Conversion& c, const std::string& access_token);
// "yyyy-mm-dd hh:mm:ss+00:00" (Google's conversion date time, in UTC).
std::string google_date_time(Timestamp t);
// POST .../customers/{id}:uploadClickConversions: {"conversions": [{gclid, conversionAction,
// conversionDateTime, orderId (the opportunity id), conversionValue and currencyCode when
// valued}], "partialFailure": true}.
std::string google_upload_body(const std::vector<Conversion>& batch);

// What a platform answered (status 0: no answer; `error` says why).
struct PlatformAnswer {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  std::string error;
};
// `c` after Meta's answer at `now`: sent (fbtrace_id kept), rejected (Meta's message) or pending
// again after conversion_retry_delay (no answer, 5xx, 429, 401/403, or a token / rate-limit
// error code).
Conversion after_meta_answer(Conversion c, const PlatformAnswer& a, Timestamp now);
// The batch after Google's answer: a failure that may pass retries all; another request-level
// error rejects all; a 2xx sends each row except those partialFailureError names (by
// conversions[index]), rejected with Google's message.
std::vector<Conversion> after_google_answer(std::vector<Conversion> batch, const PlatformAnswer& a,
                                            Timestamp now);

}  // namespace leadproc
