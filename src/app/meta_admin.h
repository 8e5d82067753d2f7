// Admin use cases of Meta Lead Ads intake (docs/intake.md): saving a page's access token and
// answer mapping, a form's own answer mapping, and retrying receipts whose lead could not be
// fetched.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

// A change to a page: absent members are kept (a new page needs an access token).
struct MetaPageChange {
  std::optional<std::string> access_token;
  std::optional<bool> instagram_platform;
  std::optional<std::string> mapping_json;  // validated by meta_answer_mapping
  // Errors found while decoding the request (unknown or mistyped fields), so that one 422 names
  // them with the rest.
  std::vector<FieldError> decode_errors;
};

struct SavedMetaPage {
  MetaPage page;
  int requeued = 0;  // failed receipts of the page made pending again (a new token)
};

// Creates or changes the page `page_id` (digits). A new access token makes the page's failed
// receipts pending and due now, in the same transaction (a replaced token retries what the old
// one could not fetch). 422 names every bad field: a page id that is not digits, a new page
// without accessToken, an empty token, a bad mapping.
Result<SavedMetaPage> save_meta_page(AppContext& ctx, const std::string& page_id,
                                     const MetaPageChange& change);

// The two halves of save_meta_page, for a use case that saves a page in its own transaction (a
// Meta lead source, app/intake_sources.h). check_meta_page_change appends the errors of
// `change` to `errors`, naming the page id, the token and the mapping with `fields`' names;
// write_meta_page then writes it in `tx` at `now` (a 422 for a new page without a token).
struct MetaPageFieldNames {
  std::string page_id = "pageId";
  std::string access_token = "accessToken";
};
void check_meta_page_change(const std::string& page_id, const MetaPageChange& change,
                            std::vector<FieldError>& errors, const MetaPageFieldNames& fields = {});
Result<SavedMetaPage> write_meta_page(WriteTx& tx, const std::string& page_id,
                                      const MetaPageChange& change, Timestamp now,
                                      const MetaPageFieldNames& fields = {});

// A change to one form's answer mapping (PUT /api/v1/intake/meta/pages/{pageId}/forms/{formId}).
struct MetaFormChange {
  // Required: the form's own {leadField: questionKey} entries, replacing those it had ("{}": none,
  // so its leads are mapped as the page's and the defaults say). Validated by meta_answer_mapping.
  std::optional<std::string> mapping_json;
  // The form's name until the reconciler reads Meta's (1 to 200 characters); absent: kept.
  std::optional<std::string> name;
  std::vector<FieldError> decode_errors;  // as MetaPageChange's
};

// The form as stored after the change, with its page's mapping (what the form's own entries are
// laid over).
struct SavedMetaForm {
  MetaForm form;
  std::string page_mapping_json;
};

// Sets the mapping of form `form_id` of page `page_id`, creating the form when the reconciler
// has not met it yet (a form a webhook names before the next sync); its watermark and sync are
// left as they are. 422 names every bad field (pageId, formId not digits; mapping missing, or
// mapping.<field> not a lead field or not a question key; name) and nothing is stored; kNotFound
// when the page is not set up.
Result<SavedMetaForm> set_meta_form_mapping(AppContext& ctx, const std::string& page_id,
                                            const std::string& form_id,
                                            const MetaFormChange& change);

// Makes the receipt pending and due now with its attempts reset (an admin's "Retry"). kNotFound
// for an unknown leadgen_id; kConflict when its lead is ingested already.
Result<MetaReceipt> retry_meta_receipt(AppContext& ctx, const std::string& leadgen_id);

}  // namespace leadproc
