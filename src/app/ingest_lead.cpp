#include "app/ingest_lead.h"

#include "domain/poc_rules.h"

#include <charconv>
#include <optional>

#include "app/activity_log.h"
#include "app/assignment.h"
#include "app/business_day.h"
#include "app/opportunity_edits.h"
#include "app/routing.h"
#include "domain/field_limits.h"
#include "domain/object_id.h"
#include "domain/travel_month.h"

namespace leadproc {
namespace {

struct Validated {
  std::string name;
  std::string e164;
  std::string raw_number;
  std::optional<std::string> language;  // normalised (domain/poc_rules.h)
};

// The fields kept under `extra` (domain/field_limits.h): each is named as the source sent it,
// since the source never wrote `extra` itself.
void within_extra_limits(const std::vector<ExtraField>& extra, std::vector<FieldError>& errors) {
  const FieldLimit& value = limit_of("extra");
  const FieldLimit& name = limit_of("extra.name");
  if (extra.size() > value.max_entries) {
    errors.push_back({"extra", "at most " + std::to_string(value.max_entries) +
                                   " fields that a lead does not have are kept; this lead has " +
                                   std::to_string(extra.size())});
    return;
  }
  for (const auto& f : extra) {
    if (text_length(f.name) > name.max_length)
      errors.push_back({"extra", "a field that a lead does not have has a name longer than " +
                                     std::to_string(name.max_length) + " characters"});
    else
      within_limit(value, f.json, errors, f.name);
  }
}

Result<Validated> validate(const AppContext& ctx, const LeadInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  auto has_error = [&](std::string_view field) {
    for (const auto& e : errors)
      if (e.field == field) return true;
    return false;
  };
  // Size limits (domain/field_limits.h), checked before anything reads the text.
  auto within = [&](const FieldLimit& limit, const std::optional<std::string>& text) {
    return !text || within_limit(limit, *text, errors);
  };
  Validated v;
  if (!has_error("name")) {
    if (!in.name || in.name->find_first_not_of(" \t\r\n") == std::string::npos)
      errors.push_back({"name", "is required and must not be empty"});
    else if (within(limit_of("name"), in.name))
      v.name = *in.name;
  }
  if (!has_error("number")) {
    if (!in.number || in.number->empty()) {
      errors.push_back({"number", "is required"});
    } else if (within(limit_of("number"), in.number)) {
      if (auto e164 = ctx.phones.to_e164(*in.number)) {
        v.e164 = *e164;
        v.raw_number = *in.number;
      } else {
        errors.push_back({"number", "is not a possible phone number (default region " +
                                        ctx.phones.default_region() + ")"});
      }
    }
  }
  if (in.email && !has_error("email") && within(limit_of("email"), in.email)) {
    auto at = in.email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= in.email->size() ||
        in.email->find(' ') != std::string::npos)
      errors.push_back({"email", "is not an email address"});
  }
  within(limit_of("traceID"), in.trace_id);
  within(limit_of("leadSource.primarySource"), in.primary_source);
  within(limit_of("leadSource.secondarySource"), in.secondary_source);
  within(limit_of("sourceMeta.formName"), in.source_meta.form_name);
  within(limit_of("sourceMeta.fromId"), in.source_meta.from_id);
  within(limit_of("sourceMeta.subSource"), in.source_meta.sub_source);
  within(limit_of("page"), in.page);
  within(limit_of("destination"), in.destination);
  for (const auto& [field, text] : in.attribution)  // names of kAttributionFields: all limited
    within_limit(*find_field_limit(field), text, errors);
  within(limit_of("remarks"), in.remarks);
  within(limit_of("customRemark"), in.custom_remark);
  within(limit_of("actionSource"), in.action_source);
  within(limit_of("travelDate"), in.travel_date);
  within(limit_of("tripType"), in.trip_type);
  within(limit_of("paxType"), in.pax_type);
  within_limit(limit_of("tags"), in.tags, errors);
  if (!in.extra.empty()) within_extra_limits(in.extra, errors);
  if (in.language && !has_error("language")) {
    v.language = normalize_language(*in.language);
    if (!v.language)
      errors.push_back({"language", "must be a language tag such as \"en\", \"hi\" or \"pt-BR\""});
  }
  if (in.sales_person_to_be_assigned && !is_object_id(*in.sales_person_to_be_assigned))
    errors.push_back({"salesPersonToBeAssigned", "must be a 24-hex-digit id"});
  if (!errors.empty()) return Error::validation(std::move(errors), "the lead is invalid");
  return v;
}

Lead make_lead(AppContext& ctx, const LeadInput& in, const Validated& v, Timestamp now) {
  Lead lead;
  lead.id = ctx.new_id();
  lead.trace_id = in.trace_id;
  lead.name = v.name;
  lead.number = v.e164;
  lead.raw_number = v.raw_number;
  lead.email = in.email;
  lead.pax = in.pax;
  lead.lead_source =
      LeadSource{in.platform.value_or(Platform::kWebsite), in.primary_source, in.secondary_source};
  lead.source_meta = in.source_meta;
  lead.page = in.page;
  lead.attribution = in.attribution;
  lead.event_time = in.event_time;
  lead.remarks = in.remarks;
  lead.custom_remark = in.custom_remark;
  lead.action_source = in.action_source;
  lead.destination_input = in.destination;
  lead.language = v.language;
  lead.extra = in.extra;
  lead.created_at = now;
  lead.modified_at = now;
  return lead;
}

Opportunity make_opportunity(AppContext& ctx, const LeadInput& in, const Lead& lead,
                             Timestamp now) {
  Opportunity o;
  o.id = ctx.new_id();
  o.lead_id = lead.id;
  o.trace_id = in.trace_id.value_or(lead.id);
  o.name = lead.name;
  o.number = lead.number;
  o.raw_number = lead.raw_number;
  o.email = lead.email;
  if (lead.pax) {
    // The shortest text that reads back as the number: 2 -> "2", 2.5 -> "2.5" (validated to
    // 0..1000, so never an exponent). 32 bytes hold any double's shortest form, so it fits.
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, *lead.pax).ptr;
    o.pax = std::string(buf, end);
  }
  o.lead_source = lead.lead_source;
  o.source_meta = lead.source_meta;
  o.page = lead.page;
  o.language = lead.language;
  o.attribution = lead.attribution;
  o.event_time = lead.event_time;
  o.remarks = in.remarks;
  o.custom_remark = in.custom_remark;
  o.action_source = in.action_source;
  o.travel_date = in.travel_date;
  if (o.travel_date) {  // as PATCH computes it (opportunity_edits.cpp)
    if (auto month = travel_month_of(*o.travel_date)) {
      if (auto start = local_midnight(month->year, month->month, 1, ctx.config.timezone))
        o.travel_month_date_format = *start;
    }
  }
  o.trip_type = in.trip_type;
  o.pax_type = in.pax_type;
  o.tags = in.tags;
  o.sales_person_to_be_assigned = in.sales_person_to_be_assigned;
  o.created_by = in.created_by;
  o.created_at = now;
  o.updated_at = now;
  o.version = 1;
  return o;
}

}  // namespace

std::string_view to_string(IngestOutcome o) {
  switch (o) {
    case IngestOutcome::kRouted:
      return "routed";
    case IngestOutcome::kUnassigned:
      return "unassigned";
    case IngestOutcome::kDuplicate:
      return "duplicate";
    case IngestOutcome::kReplayed:
      return "replayed";
    case IngestOutcome::kTest:
      return "test";
  }
  return "?";
}

std::string idempotency_scope(const Principal& caller) {
  return (caller.is_user() ? "user:" : "api-key:") + caller.id;
}

Result<IngestResult> ingest_lead(AppContext& ctx, const LeadInput& input,
                                 const IdempotencyInput& idem, const IngestRenderer& render,
                                 const IngestHook& in_tx) {
  // An unscoped key would share the records of every unscoped caller (and of the records kept
  // from before keys were scoped): a bug of the caller, refused before anything is stored.
  if (!idem.key.empty() && idem.scope.empty())
    return Error::internal("idempotency key without a caller scope");
  auto valid = validate(ctx, input);
  if (!valid) return valid.error();

  IngestResult result;
  // Without an idempotency key: what to render once committed (the last attempt's).
  struct Stored {
    Lead lead;
    Opportunity opp;
    bool duplicate = false;
  };
  std::optional<Stored> to_render;
  auto attempt = [&](WriteTx& tx) -> Status {
    // An attempt may be re-run (conflict retry, or a store that batches writes): start clean.
    result = IngestResult{};
    to_render.reset();
    const Timestamp now = ctx.now();
    if (!idem.key.empty()) {
      auto seen = tx.find_idempotency(idem.scope, idem.key);
      if (!seen) return seen.error();
      if (*seen && now - (*seen)->created_at < kIdempotencyWindow) {
        if ((*seen)->request_hash != idem.request_hash)
          return Error::validation(
              {{"Idempotency-Key", "was already used with a different request body"}},
              "idempotency key reused with a different body");
        result = IngestResult{IngestOutcome::kReplayed, 200, (*seen)->response_body, {}};
        return ok_status();
      }
    }

    Lead lead = make_lead(ctx, input, *valid, now);
    Opportunity opp = make_opportunity(ctx, input, lead, now);

    auto destination = resolve_destination(tx, ctx, input.destination, input.page, now);
    if (!destination) return destination.error();
    opp.destination = *destination;

    bool duplicate = false;
    std::vector<FieldChange> followup_changes;  // a NO-FILTER lead's first-contact follow-up
    if (input.test) {
      opp.status = OpportunityStatus::kDisqualified;
      opp.tags.push_back("test");
      result.outcome = IngestOutcome::kTest;
    } else {
      auto placed = place_new_opportunity(
          ctx, tx, opp, now,
          "re-inquiry: lead " + lead.id + " arrived for the same number and destination",
          followup_changes);
      if (!placed) return placed.error();
      duplicate = *placed == Placement::kDuplicate;
      result.outcome = duplicate                       ? IngestOutcome::kDuplicate
                       : *placed == Placement::kRouted ? IngestOutcome::kRouted
                                                       : IngestOutcome::kUnassigned;
    }

    lead.active_leads.push_back(opp.id);
    lead.is_pushed = opp.is_pushed;
    if (auto s = tx.insert_lead(lead); !s) return s;
    if (auto s = refresh_score(ctx, tx, opp); !s) return s;
    if (auto s = tx.insert_opportunity(opp); !s) return s;
    std::string what = input.test  ? "test lead captured; never routed"
                       : duplicate ? "lead captured as a duplicate of " + *opp.duplicate_of
                                   : "lead captured and routed";
    if (opp.awaiting_reason) what += "; waiting: " + *opp.awaiting_reason;
    if (auto s = record_activity(ctx, tx, std::nullopt, opp, input.created_by, std::move(what),
                                 std::move(followup_changes));
        !s)
      return s;
    if (in_tx) {
      if (auto s = in_tx(tx, lead, opp); !s) return s;
    }

    result.status = 201;
    result.opportunity_id = opp.id;
    if (idem.key.empty()) {
      to_render.emplace(Stored{std::move(lead), std::move(opp), duplicate});
      return ok_status();
    }
    result.response_body = render(lead, opp, duplicate);
    return tx.save_idempotency(
        IdempotencyRecord{idem.scope, idem.key, idem.request_hash, 201, result.response_body, now});
  };
  // A conflict here can only be a race lost to another instance (a second open original for the
  // same number and destination, or the same idempotency key): the retry sees the winner's row.
  Status status = ctx.store.write(attempt);
  for (int retry = 0; retry < 2 && !status && status.error().code == ErrorCode::kConflict; ++retry)
    status = ctx.store.write(attempt);
  if (!status) return status.error();
  if (to_render)
    result.response_body = render(to_render->lead, to_render->opp, to_render->duplicate);
  return result;
}

}  // namespace leadproc
