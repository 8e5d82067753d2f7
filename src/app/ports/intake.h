// Intake (docs/intake.md): Meta lead receipts, pages and forms; configured sources; Google leads.
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

// The durable receipt of one Meta `leadgen` change (migration 16), stored before the webhook is
// answered. `leadgen_id` is the primary key, so a redelivery stores nothing new; the lead is
// fetched from the Graph API later, and the receipt is marked "ingested" in the transaction that
// stores the lead (app/meta_intake.h), so there is exactly one lead per leadgen_id. Ids are the
// decimal text Meta sent (they exceed a double's 53 bits).
struct MetaReceipt {
  std::string leadgen_id;
  std::string page_id;
  std::optional<std::string> form_id;
  std::optional<std::string> ad_id;
  std::optional<std::string> adgroup_id;
  std::optional<std::int64_t> created_time;  // seconds since the epoch, as Meta sent it
  std::string status = "pending";            // pending | ingested | failed
  int attempts = 0;                          // Graph fetches tried
  Timestamp next_attempt_at{};               // when a pending receipt is due
  std::optional<std::string> reason;         // why the last attempt failed, in plain words
  std::optional<Id> opportunity_id;          // the lead's opportunity, once ingested
  Timestamp received_at{};
  Timestamp updated_at{};
  std::string via = "webhook";  // webhook | sync (the reconciler found it: migration 29)
};

// A Facebook page whose leads leadproc fetches: its page access token (a secret: the API never
// shows it again) and how its forms' answers map to a lead (`mapping_json`, a JSON object of
// lead field -> question key; app/meta_intake.h).
struct MetaPage {
  std::string page_id;
  std::string access_token;
  bool instagram_platform = false;  // leads Meta marks `ig` get platform instagram
  std::string mapping_json = "{}";
  Timestamp updated_at{};
  // The reconciler's last sync of the page (migration 29; save_meta_page leaves these as they
  // are): when, and why listing its forms failed, if it did.
  std::optional<Timestamp> synced_at;
  std::optional<std::string> sync_error;
};

// One lead form of a page as the reconciler knows it (migration 29). `watermark` (Meta's
// time_created, seconds since the epoch) is such that every lead Meta listed for the form up to
// it has a receipt: it is written in the transaction that stores those receipts, and only after
// a complete listing, so it never passes a lead that was not stored (jobs/meta_reconcile.h).
struct MetaForm {
  std::string page_id;
  std::string form_id;
  std::optional<std::string> name;
  std::optional<std::int64_t> watermark;
  std::optional<Timestamp> synced_at;
  std::optional<std::string> error;  // why the form's last sync failed, in plain words
  // The admin's {leadField: questionKey} entries for this form alone (migration 31), laid key by
  // key over the page's mapping and the defaults (app/meta_intake.h); "{}" names none.
  std::string mapping_json = "{}";
};

// What admins see of a page's receipts: when its newest lead was stored, and how many receipts
// wait or failed.
struct MetaPageStats {
  std::optional<Timestamp> last_lead_at;
  std::int64_t failed = 0;
  std::int64_t pending = 0;
};

// A lead source configured by an admin (migration 22; POST /api/v1/intake/sources). Kind
// "google", a Google Ads lead form, whose `key` is its form_id and `secret` the google_key
// Google sends with each lead (a secret: the API never shows it again); `mapping_json` maps lead
// fields to the form's column ids (app/google_intake.h). Kind "form", a website form
// (app/website_forms.h), whose `key` is its public form key, `secret` empty, and `mapping_json`
// its settings (thank-you and error URLs, allowed origins): the column holds each kind's own
// configuration as JSON, so a new kind needs no migration. (kind, key) is unique.
struct IntakeSource {
  Id id;
  std::string kind;
  std::string name;
  std::string key;
  std::string secret;
  std::string mapping_json = "{}";
  std::optional<Timestamp> last_lead_at;  // when its last lead was stored
  std::optional<std::string> last_error;  // why its last lead was refused, if it was
  Timestamp created_at{};
  Timestamp updated_at{};
};

// A Google lead taken in (migration 22): its lead_id is the primary key, written in the lead's
// own transaction, so Google's redeliveries store one lead.
struct GoogleLeadRecord {
  std::string lead_id;  // Google's int64 id, as its decimal digits
  Id source_id;
  Id opportunity_id;
  bool is_test = false;
  Timestamp received_at{};
};

class IntakeReads {
 public:
  virtual Result<std::optional<MetaReceipt>> get_meta_receipt(const std::string& leadgen_id) = 0;
  // Receipts with `status` of page `page_id` (every status, every page when absent), newest
  // received first, at most `limit`.
  virtual Result<std::vector<MetaReceipt>> list_meta_receipts(
      const std::optional<std::string>& status, const std::optional<std::string>& page_id,
      int limit) = 0;
  // Pending receipts due at `now` (next_attempt_at <= now), earliest due first, at most `limit`.
  virtual Result<std::vector<MetaReceipt>> due_meta_receipts(Timestamp now, int limit) = 0;
  // How many receipts have `status`.
  virtual Result<std::int64_t> count_meta_receipts(const std::string& status) = 0;
  virtual Result<std::optional<MetaPage>> get_meta_page(const std::string& page_id) = 0;
  // Ordered by page id.
  virtual Result<std::vector<MetaPage>> list_meta_pages() = 0;
  // The forms of a page the reconciler has met, ordered by form id.
  virtual Result<std::vector<MetaForm>> list_meta_forms(const std::string& page_id) = 0;
  virtual Result<std::optional<MetaForm>> get_meta_form(const std::string& page_id,
                                                        const std::string& form_id) = 0;
  virtual Result<MetaPageStats> meta_page_stats(const std::string& page_id) = 0;
  virtual Result<std::optional<IntakeSource>> get_intake_source(const Id& id) = 0;
  virtual Result<std::optional<IntakeSource>> find_intake_source(const std::string& kind,
                                                                 const std::string& key) = 0;
  // Ordered by kind, then name.
  virtual Result<std::vector<IntakeSource>> list_intake_sources() = 0;
  virtual Result<std::optional<GoogleLeadRecord>> find_google_lead(const std::string& lead_id) = 0;

 protected:
  ~IntakeReads() = default;
};

class IntakeWrites {
 public:
  // Inserts the receipt unless its leadgen_id is stored: true iff inserted.
  virtual Result<bool> insert_meta_receipt(const MetaReceipt& r) = 0;
  // Writes status, attempts, next_attempt_at, reason, opportunity_id and updated_at of
  // r.leadgen_id, only while the stored status is not "ingested": an ingested receipt is final.
  // kNotFound when no such receipt; kPreconditionFailed when it is already ingested.
  virtual Status update_meta_receipt(const MetaReceipt& r) = 0;
  // Makes the failed receipts of `page_id` (every page's when empty) pending and due at `now`;
  // returns how many.
  virtual Result<int> requeue_failed_meta_receipts(const std::string& page_id, Timestamp now) = 0;
  // Inserts or replaces the page (its synced_at and sync_error are left as stored).
  virtual Status save_meta_page(const MetaPage& p) = 0;
  // Deletes the page (its access token and mapping; its forms' rows and receipts are kept, so a
  // page set up again finds its forms' mappings and watermarks): true iff a page was deleted.
  virtual Result<bool> delete_meta_page(const std::string& page_id) = 0;
  // Records the page's last sync (synced_at, sync_error); nothing when the page is not stored.
  virtual Status note_meta_page_sync(const std::string& page_id, Timestamp at,
                                     const std::optional<std::string>& error) = 0;
  // Inserts or replaces the form (by page and form id), but for the mapping of a stored form,
  // which only save_meta_form_mapping writes.
  virtual Status save_meta_form(const MetaForm& f) = 0;
  // Inserts the form with its name and mapping, or sets the stored form's mapping (and its name
  // when f.name); the reconciler's watermark, synced_at and error are left as stored.
  virtual Status save_meta_form_mapping(const MetaForm& f) = 0;
  // Inserts or replaces the source (by id); kConflict when another source has its kind and key.
  virtual Status save_intake_source(const IntakeSource& s) = 0;
  // True iff a source was deleted.
  virtual Result<bool> delete_intake_source(const Id& id) = 0;
  // Sets last_lead_at (when given) and last_error (cleared when absent) of source `id`.
  virtual Status note_intake_source(const Id& id, std::optional<Timestamp> last_lead_at,
                                    const std::optional<std::string>& last_error) = 0;
  // Inserts the record unless its lead_id is stored: true iff inserted.
  virtual Result<bool> insert_google_lead(const GoogleLeadRecord& r) = 0;

 protected:
  ~IntakeWrites() = default;
};

}  // namespace leadproc
