// The Meta reconciler's Graph API side (issue 19 item 2; docs/intake.md "The reconciler"): for a
// page, lists its forms and each form's leads created since the form's watermark (less an
// overlap), following paging.next on the configured Graph API only, and hands each listing to
// record_meta_form_sync (app/meta_reconcile.h), which stores a receipt for every lead not
// received yet and moves the watermark only over a complete listing. The receipts are then
// fetched and ingested by the Meta lead fetcher (jobs/meta_leads.h), exactly as the webhook's.
// Run by the `meta-reconcile` job (every page, jobs/jobs.h) and by an admin's Sync now
// (POST /api/v1/intake/meta/pages/{pageId}/sync, one page).
#pragma once

#include <string>

#include "app/meta_reconcile.h"
#include "jobs/jobs.h"
#include "jobs/meta_leads.h"

namespace leadproc::jobs {

// Syncs the page `page_id` with its stored token. A Graph API failure is not an error here: it is
// the page's or the form's `error` (in plain words, recorded for admins), and the other forms are
// still read. Errors: kNotFound for a page not set up; the store's.
Result<MetaPageSync> sync_meta_page(AppContext& ctx, const GraphGet& get,
                                    const std::string& page_id);

// Syncs every page set up, as the `meta-reconcile` job: counts {"pages", "forms", "listed",
// "new", "errors"} (errors: pages and forms whose listing failed; each says why on the page).
Result<JobCounts> reconcile_meta_pages(AppContext& ctx, const GraphGet& get);

}  // namespace leadproc::jobs
