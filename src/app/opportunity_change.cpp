#include "app/opportunity_change.h"

#include <charconv>

#include "app/activity_log.h"
#include "domain/object_id.h"

namespace leadproc {

Result<std::optional<std::int64_t>> parse_if_match(std::string_view header) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::string_view v = trim(header);
  if (v == "*") return std::optional<std::int64_t>();
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::int64_t version = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || version < 0) {
    return Error{ErrorCode::kPreconditionFailed,
                 "If-Match '" + std::string(header) + "' matches no version of this resource",
                 {},
                 {},
                 0};
  }
  return std::optional<std::int64_t>(version);
}

Status check_version(const std::optional<std::int64_t>& expected, std::int64_t current,
                     std::string_view what) {
  if (!expected || *expected == current) return ok_status();
  return Error{ErrorCode::kPreconditionFailed,
               std::string(what) + " is at version " + std::to_string(current) + ", not " +
                   std::to_string(*expected) + " (If-Match); read it again",
               {},
               {},
               0};
}

Result<Opportunity> load_for_change(WriteTx& tx, const Id& id, const WriteOptions& opts) {
  if (!is_object_id(id)) return Error::not_found("opportunity " + id + " not found");
  auto found = tx.get_opportunity(id);
  if (!found) return found.error();
  if (!*found) return Error::not_found("opportunity " + id + " not found");
  if (opts.authorize) {
    if (auto allowed = opts.authorize(**found); !allowed) return allowed.error();
  }
  if (auto s = check_version(opts.expected_version, (*found)->version, "opportunity " + id); !s)
    return s.error();
  return std::move(**found);
}

Status require_opportunity(ReadTx& tx, const Id& id) {
  if (!is_object_id(id)) return Error::not_found("opportunity " + id + " not found");
  auto found = tx.get_opportunity(id);
  if (!found) return found.error();
  if (!*found) return Error::not_found("opportunity " + id + " not found");
  return ok_status();
}

Status save_change(AppContext& ctx, WriteTx& tx, const Opportunity& before, Opportunity& after,
                   const WriteOptions& opts, std::string description,
                   std::vector<FieldChange> extra) {
  after.updated_at = ctx.now();
  if (opts.actor) after.updated_by = opts.actor;
  if (auto s = refresh_score(ctx, tx, after); !s) return s;
  if (auto s = tx.update_opportunity(after, before.version); !s) return s;
  after.version = before.version + 1;
  return record_activity(ctx, tx, before, after, opts.actor, std::move(description),
                         std::move(extra));
}

}  // namespace leadproc
