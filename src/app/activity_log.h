// Building the audit trail: every change to an opportunity writes an activity with each changed
// field's previous and new value, in the same transaction as the change (PRODUCT.md "Workflow").
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "domain/model.h"

namespace leadproc {

// The fields that differ between two versions of an opportunity, by wire name; nested objects
// are compared one level down ("crmStageMeta.stage"). `updatedAt` and `version` are left out.
std::vector<FieldChange> diff_opportunity(const std::optional<Opportunity>& before,
                                          const Opportunity& after);

// Writes one activity for `after` (phase from its state) describing the change from `before`.
Status record_activity(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                       const Opportunity& after, const std::optional<Id>& actor,
                       std::string description);

// The same, with `extra` changes (of a follow-up or a note of the opportunity, changed in the
// same transaction) after the opportunity's own.
Status record_activity(AppContext& ctx, WriteTx& tx, const std::optional<Opportunity>& before,
                       const Opportunity& after, const std::optional<Id>& actor,
                       std::string description, std::vector<FieldChange> extra);

// The fields that differ between two JSON documents (e.g. codec::to_json of a follow-up before
// and after), compared like diff_opportunity, each field name prefixed with `prefix`
// ("followup."). An empty `before` lists every field of `after` as new.
std::vector<FieldChange> diff_documents(const boost::json::object& before,
                                        const boost::json::object& after,
                                        const std::string& prefix);

}  // namespace leadproc
