// Conversions sent to the ad platforms (docs/conversions.md).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// One stage of one opportunity for one ad platform (migration 25): made from the outbox's event
// that reached the stage (app/conversions.h), sent by the conversions-send job. The key
// (opp_id, platform, stage) makes it idempotent: a stage reached twice is one conversion.
struct Conversion {
  Id opp_id;
  std::string platform;  // meta | google
  std::string stage;     // meta: the status reached (e.g. "Won"); google: qualified | won
  std::string name;      // meta: the event_name; google: the conversion action's resource name
  std::int64_t event_seq = 0;  // the outbox event that reached the stage (the order)
  Id event_id;
  Timestamp event_at{};  // when the stage was reached: Meta's event_time, Google's date time
  std::string click_id;  // meta: the leadgen_id; google: the gclid
  std::optional<Timestamp> click_at;  // google: the lead's time (the 90-day window's start)
  std::optional<std::string> value;   // google, won: the deal value's amount ("125000.50")
  std::optional<std::string> currency;
  std::string status = "pending";  // pending | sent | rejected | expired
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::optional<Timestamp> claimed_until;
  std::optional<std::string> reason;  // rejected: the platform's; expired: the window; pending:
                                      // the last failure
  std::optional<std::string> trace;   // meta: the answer's fbtrace_id
  Timestamp created_at{};
  Timestamp updated_at{};
};

// What GET /api/v1/conversions lists, by (event_seq, platform), after the cursor.
struct ConversionFilter {
  std::optional<Id> opp_id;
  std::optional<std::string> platform;
  std::optional<std::string> status;
  std::int64_t after_seq = 0;  // with after_platform: the last row of the previous page
  std::string after_platform;  // "" : every platform of after_seq too
  int limit = 100;
};

class ConversionReads {
 public:
  // The admin's conversion settings (JSON), nullopt when never saved.
  virtual Result<std::optional<std::string>> get_conversion_settings() = 0;
  virtual Result<std::vector<Conversion>> list_conversions(const ConversionFilter& filter) = 0;

 protected:
  ~ConversionReads() = default;
};

class ConversionWrites {
 public:
  virtual Status put_conversion_settings(const std::string& doc, Timestamp at) = 0;
  // Inserts `c` unless its (opp_id, platform, stage) is stored: true iff inserted.
  virtual Result<bool> insert_conversion(const Conversion& c) = 0;
  // Takes the pending conversions of `platform` due at `now`, not claimed (claimed_until before
  // `now`) and first of their opportunity (no pending conversion of it for the platform with a
  // smaller event_seq, no earlier event of it waiting to be fanned out): by event_seq, at most
  // `limit`, each claimed until `lease`. PostgreSQL: SKIP LOCKED.
  virtual Result<std::vector<Conversion>> claim_conversions(const std::string& platform,
                                                            Timestamp now, Timestamp lease,
                                                            int limit) = 0;
  // Writes status, attempts, next_attempt_at, reason, trace and updated_at and releases the claim.
  virtual Status finish_conversion(const Conversion& c) = 0;

 protected:
  ~ConversionWrites() = default;
};

}  // namespace leadproc
