#include "app/meta_admin.h"

#include "app/intake_answers.h"
#include "app/meta_intake.h"
#include "domain/followup.h"  // text_length

namespace leadproc {
namespace {

constexpr std::size_t kMaxFormNameLength = 200;

// The errors of an admin's mapping, as meta_answer_mapping names them ("mapping.<field>").
void check_mapping(std::string_view mapping_json, std::vector<FieldError>& errors) {
  auto mapping = meta_answer_mapping("{}", mapping_json);
  if (!mapping)
    errors.insert(errors.end(), mapping.error().fields.begin(), mapping.error().fields.end());
}

}  // namespace

void check_meta_page_change(const std::string& page_id, const MetaPageChange& change,
                            std::vector<FieldError>& errors, const MetaPageFieldNames& fields) {
  if (!is_id_digits(page_id)) errors.push_back({fields.page_id, "must be the page's id (digits)"});
  if (change.access_token && (change.access_token->empty() || change.access_token->size() > 1024))
    errors.push_back({fields.access_token, "must be a page access token (1 to 1024 characters)"});
  if (change.mapping_json) check_mapping(*change.mapping_json, errors);
}

Result<SavedMetaPage> write_meta_page(WriteTx& tx, const std::string& page_id,
                                      const MetaPageChange& change, Timestamp now,
                                      const MetaPageFieldNames& fields) {
  SavedMetaPage saved;
  auto found = tx.get_meta_page(page_id);
  if (!found) return found.error();
  if (!*found && !change.access_token)
    return Error::validation({{fields.access_token, "is required for a new page"}},
                             "the page is invalid");
  MetaPage fresh;
  fresh.page_id = page_id;
  fresh.mapping_json = "{}";
  MetaPage page = found->value_or(fresh);
  if (change.access_token) page.access_token = *change.access_token;
  if (change.instagram_platform) page.instagram_platform = *change.instagram_platform;
  if (change.mapping_json) page.mapping_json = *change.mapping_json;
  page.updated_at = now;
  if (auto st = tx.save_meta_page(page); !st) return st.error();
  if (change.access_token) {
    auto n = tx.requeue_failed_meta_receipts(page_id, now);
    if (!n) return n.error();
    saved.requeued = *n;
  }
  saved.page = std::move(page);
  return saved;
}

Result<SavedMetaPage> save_meta_page(AppContext& ctx, const std::string& page_id,
                                     const MetaPageChange& change) {
  std::vector<FieldError> errors = change.decode_errors;
  check_meta_page_change(page_id, change, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the page is invalid");

  SavedMetaPage saved;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto written = write_meta_page(tx, page_id, change, ctx.now());
    if (!written) return written.error();
    saved = std::move(*written);
    return ok_status();
  });
  if (!s) return s.error();
  return saved;
}

Result<SavedMetaForm> set_meta_form_mapping(AppContext& ctx, const std::string& page_id,
                                            const std::string& form_id,
                                            const MetaFormChange& change) {
  std::vector<FieldError> errors = change.decode_errors;
  if (!is_id_digits(page_id)) errors.push_back({"pageId", "must be the page's id (digits)"});
  if (!is_id_digits(form_id)) errors.push_back({"formId", "must be the form's id (digits)"});
  if (!change.mapping_json)
    errors.push_back({"mapping", "is required ({} for none of the form's own)"});
  else
    check_mapping(*change.mapping_json, errors);
  if (change.name && (change.name->empty() || text_length(*change.name) > kMaxFormNameLength))
    errors.push_back({"name", "must be 1 to 200 characters"});
  if (!errors.empty()) return Error::validation(std::move(errors), "the form's mapping is invalid");

  SavedMetaForm saved;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto page = tx.get_meta_page(page_id);
    if (!page) return page.error();
    if (!*page) return Error::not_found("no Meta page " + page_id + " is set up");
    MetaForm change_row;
    change_row.page_id = page_id;
    change_row.form_id = form_id;
    change_row.name = change.name;
    change_row.mapping_json = *change.mapping_json;
    if (auto st = tx.save_meta_form_mapping(change_row); !st) return st;
    auto stored = tx.get_meta_form(page_id, form_id);
    if (!stored) return stored.error();
    if (!*stored) return Error::internal("the form " + form_id + " was not stored");
    saved = SavedMetaForm{std::move(**stored), (*page)->mapping_json};
    return ok_status();
  });
  if (!s) return s.error();
  return saved;
}

Result<MetaReceipt> retry_meta_receipt(AppContext& ctx, const std::string& leadgen_id) {
  MetaReceipt out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_meta_receipt(leadgen_id);
    if (!found) return found.error();
    if (!*found) return Error::not_found("no Meta receipt has leadgen_id " + leadgen_id);
    if ((*found)->status == "ingested")
      return Error::conflict("the lead of leadgen_id " + leadgen_id + " is already ingested");
    out = **found;
    out.status = "pending";
    out.attempts = 0;
    out.next_attempt_at = ctx.now();
    out.updated_at = out.next_attempt_at;
    return tx.update_meta_receipt(out);
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
