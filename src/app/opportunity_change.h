// What the workflow's write use cases share (transitions, edits, reassignment, follow-ups): who
// acts, the optimistic-concurrency precondition, loading the opportunity to change, and saving
// it with its activity in the same transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"

namespace leadproc {

// Besides its input, every write use case takes who acts and which version the client saw.
struct WriteOptions {
  std::optional<Id> actor;  // the calling user; nullopt: the system (or no authentication)
  // The version the client read (from If-Match); nullopt: no precondition.
  std::optional<std::int64_t> expected_version;
  // Whether the caller may change this opportunity, asked inside the transaction once it is
  // loaded (before the version check): ok, or the error to answer (404 for one the caller may
  // not see, 403 for one they may see but not change). Empty: anyone may.
  std::function<Status(const Opportunity&)> authorize;
};

// The version an If-Match header names: "3", "\"3\"" or "W/\"3\"" → 3; "*" → nullopt (any
// version). kPreconditionFailed for anything else (an ETag this API never gave cannot match).
Result<std::optional<std::int64_t>> parse_if_match(std::string_view header);

// kPreconditionFailed when `expected` is set and differs from `current` (`what`: "opportunity
// 65a...", for the message).
Status check_version(const std::optional<std::int64_t>& expected, std::int64_t current,
                     std::string_view what);

// The opportunity `id`, loaded inside `tx` for a change: kNotFound when it does not exist (or `id`
// is not an ObjectId); opts.authorize's error when it refuses; kPreconditionFailed when
// opts.expected_version differs from its version.
Result<Opportunity> load_for_change(WriteTx& tx, const Id& id, const WriteOptions& opts);

// kNotFound unless the opportunity `id` exists (and `id` is an ObjectId): for reads of what
// belongs to an opportunity (its follow-ups, notes, timeline).
Status require_opportunity(ReadTx& tx, const Id& id);

// Writes `after` over `before` (the version loaded: the store refuses it with
// kPreconditionFailed if another write came first), sets after.version to the new version and
// after.updated_at / updated_by, and records the activity: the opportunity's changed fields plus
// `extra` (changes of follow-ups, notes), by opts.actor, described by `description`.
Status save_change(AppContext& ctx, WriteTx& tx, const Opportunity& before, Opportunity& after,
                   const WriteOptions& opts, std::string description,
                   std::vector<FieldChange> extra = {});

}  // namespace leadproc
