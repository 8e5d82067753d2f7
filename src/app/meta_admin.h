// Admin use cases of Meta Lead Ads intake (docs/intake.md): saving a page's access token and
// answer mapping, and retrying receipts whose lead could not be fetched.
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

// Makes the receipt pending and due now with its attempts reset (an admin's "Retry"). kNotFound
// for an unknown leadgen_id; kConflict when its lead is ingested already.
Result<MetaReceipt> retry_meta_receipt(AppContext& ctx, const std::string& leadgen_id);

}  // namespace leadproc
