#include "app/sla_policies.h"

namespace leadproc {
namespace {

Error not_found(const std::string& id) {
  return Error::not_found("no escalation policy has the _id " + id);
}

void apply(SlaPolicy& p, const SlaPolicyFields& f) {
  if (f.process) p.process = *f.process;
  if (f.stage) p.stage = *f.stage;
  if (f.after_minutes) p.after_minutes = *f.after_minutes;
  if (f.warn_before_minutes) p.warn_before_minutes = *f.warn_before_minutes;
  if (f.action) p.action = *f.action;
}

// Every problem of the request and of the policy it makes, each field named once (a stage is not
// judged against a process that did not decode).
Status check(const SlaPolicy& p, const SlaPolicyFields& f) {
  std::vector<FieldError> errors = f.decode_errors;
  auto named = [&](std::string_view field) {
    for (const auto& e : f.decode_errors)
      if (e.field == field) return true;
    return false;
  };
  for (auto& e : check_sla_policy(p))
    if (!named(e.field) && !(e.field == "stage" && named("process"))) errors.push_back(e);
  if (!errors.empty()) return Error::validation(std::move(errors), "invalid escalation policy");
  return ok_status();
}

}  // namespace

Result<std::vector<SlaPolicy>> list_sla_policies(AppContext& ctx) {
  std::vector<SlaPolicy> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.list_sla_policies();
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<SlaPolicy> get_sla_policy(AppContext& ctx, const std::string& id) {
  std::optional<SlaPolicy> found;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.get_sla_policy(id);
    if (!r) return r.error();
    found = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  if (!found) return not_found(id);
  return *found;
}

Result<SlaPolicy> create_sla_policy(AppContext& ctx, const SlaPolicyFields& fields,
                                    const std::optional<Id>& actor) {
  SlaPolicy p;
  apply(p, fields);
  if (auto s = check(p, fields); !s) return s.error();
  p.id = ctx.new_id();
  p.created_by = actor;
  p.created_at = p.updated_at = ctx.now();
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto all = tx.list_sla_policies();
    if (!all) return all.error();
    if (static_cast<int>(all->size()) >= kMaxSlaPolicies)
      return Error::conflict("at most " + std::to_string(kMaxSlaPolicies) +
                             " escalation policies; delete one first");
    return tx.insert_sla_policy(p);
  });
  if (!s) return s.error();
  return p;
}

Result<SlaPolicy> update_sla_policy(AppContext& ctx, const std::string& id,
                                    const SlaPolicyFields& fields) {
  SlaPolicy p;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_sla_policy(id);
    if (!found) return found.error();
    if (!*found) return not_found(id);
    p = std::move(**found);
    apply(p, fields);
    if (auto c = check(p, fields); !c) return c;
    p.updated_at = ctx.now();
    return tx.update_sla_policy(p);
  });
  if (!s) return s.error();
  return p;
}

Status delete_sla_policy(AppContext& ctx, const std::string& id) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = tx.get_sla_policy(id);
    if (!found) return found.error();
    if (!*found) return not_found(id);
    return tx.delete_sla_policy(id);
  });
}

}  // namespace leadproc
