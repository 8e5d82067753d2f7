// The Store contract (src/app/store.h), as a value-parameterised suite: every case runs against
// each adapter given to INSTANTIATE_TEST_SUITE_P at the bottom. An adapter supplies a Backend:
// a function that makes a new empty database and returns the factory opening Stores on it.
// Cases use only the port, never adapter details (error codes, not error texts).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/store.h"
#include "codec/json_codec.h"
#include "contract_fixture.h"
#include "domain/lifecycle.h"

// Filters and pages are written with designated initializers that leave the other members at
// their defaults on purpose; g++ 12's -Wextra would flag every one of them. g++ 12 also gives a
// false -Wmaybe-uninitialized for std::optional members of those tables (GCC bug 80635).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid_at;

// helpers

template <typename R>
std::optional<ErrorCode> code_of(const R& r) {
  if (r.ok()) return std::nullopt;
  return r.error().code;
}

std::int64_t ms(Timestamp t) {
  return t.time_since_epoch().count();
}
std::optional<std::int64_t> ms(const std::optional<Timestamp>& t) {
  return t ? std::optional(ms(*t)) : std::nullopt;
}

constexpr std::int64_t kT0 = 1'700'000'000'123;

// Ids that sort in the order of n, of the second of kT0: ids hold their creation second, and
// created windows rely on it (store.h OpportunityFilter).
Id oid(unsigned n) {
  return oid_at(kT0, n);
}

class StoreContract : public storage_test::ContractTest {};

// entity builders: every field set to a non-default value

User full_user(unsigned n, std::string email) {
  User u;
  u.id = oid(n);
  u.email = std::move(email);
  u.first_name = "Asha";
  u.last_name = "Rao";
  u.credentials = "$2b$10$abcdefghijklmnopqrstuu";
  u.phone = PhoneParts{"+91", "9876543210"};
  u.department = Department::kPsv;
  u.is_active = false;
  u.deleted = false;
  u.created_by = oid(900);
  u.modified_by = oid(901);
  u.created_at = at(kT0);
  u.updated_at = at(kT0 + 1);
  return u;
}

Destination destination(unsigned n, std::string name, std::vector<std::string> slugs = {}) {
  Destination d;
  d.id = oid(n);
  d.name = std::move(name);
  d.slugs = std::move(slugs);
  d.preference = 0.25;
  d.created_at = at(kT0);
  d.updated_at = at(kT0 + 5);
  return d;
}

Availability full_availability(unsigned n, AvailabilityProcess p) {
  Availability a;
  a.id = oid(n);
  a.person_id = oid(n + 1000);
  a.person_name = "Ravi Kumar";
  a.is_available = false;
  a.process = p;
  a.source = {Platform::kInstagram, Platform::kPaidAds};
  a.destinations = {NamedRef{oid(1), "Goa"}, NamedRef{oid(2), "Bali"}};
  a.seq = 7;
  a.lead_count = 3;
  a.total_count = 42;
  a.deleted = false;
  a.created_by = oid(900);
  a.modified_by = oid(901);
  a.created_at = at(kT0);
  a.updated_at = at(kT0 + 9);
  return a;
}

Lead full_lead(unsigned n) {
  Lead l;
  l.id = oid(n);
  l.trace_id = "trace-123";
  l.name = "Meera Shah";
  l.number = "+919876543210";
  l.raw_number = "098765 43210";
  l.email = "meera@example.com";
  l.pax = 2.5;
  l.lead_source = LeadSource{Platform::kPaidAds, "facebook", "carousel"};
  l.source_meta = SourceMeta{"Goa form", "form-77", "lookalike"};
  l.page = "https://example.com/goa";
  l.attribution = {{"utmSource", "fb"}, {"gclid", "g-1"}, {"leadOwner", "team-a"}};
  l.event_time = 1'700'000'000;
  l.remarks = "call after 6";
  l.custom_remark = "vip";
  l.action_source = "website";
  l.destination_input = "goa";
  l.is_pushed = true;
  l.active_leads = {oid(n + 1), oid(n + 2)};
  l.created_at = at(kT0);
  l.modified_at = at(kT0 + 3);
  return l;
}

// A minimal open original.
Opportunity opportunity(unsigned n, std::string number, std::optional<NamedRef> dest) {
  Opportunity o;
  o.id = oid(n);
  o.trace_id = "t" + std::to_string(n);
  o.name = "Lead " + std::to_string(n);
  o.number = std::move(number);
  o.destination = std::move(dest);
  o.status = OpportunityStatus::kInPsv;
  o.created_at = at(kT0 + n);
  o.updated_at = at(kT0 + n);
  return o;
}

Opportunity full_opportunity(unsigned n) {
  Opportunity o;
  o.id = oid(n);
  o.lead_id = oid(n + 1);
  o.trace_id = "trace-xyz";
  o.name = "Meera Shah";
  o.number = "+919876543210";
  o.raw_number = "098765 43210";
  o.email = "meera@example.com";
  o.pax = "2 adults";
  o.alternate_phone = PhoneParts{"+1", "5550100"};
  o.destination = NamedRef{oid(1), "Goa"};
  o.travel_date = "2026-12";
  o.travel_month_date_format = at(kT0 + 100);
  o.score_updated_for_trave_month_at = at(kT0 + 200);
  o.trip_type = "family";
  o.pax_type = "adults";
  o.lead_source = LeadSource{Platform::kInstagram, "ig", "story"};
  o.source_meta = SourceMeta{"form", "from-1", "sub"};
  o.page = "https://example.com/goa";
  o.attribution = {{"utmCampaign", "diwali"}, {"fbc", "fb.1"}, {"clientIp", "10.0.0.1"}};
  o.event_time = 1'700'000'001;
  o.filteration_process = FiltrationProcess::kWest;
  o.filter_assigned = "auto";
  o.duplicate_of = oid(77);
  o.is_duplicate = true;
  o.is_pushed = true;
  o.is_qualified = false;
  o.qualification_status = "pending";
  o.qualified_by = oid(78);
  o.assigned_psv = NamedRef{oid(501), "Psv Person"};
  o.assigned_west = AssignedWest{oid(502), "West Person", "+911234", "Sheet A"};
  o.sales_person_to_be_assigned = oid(503);
  o.opportunity_owner = oid(504);
  o.status = OpportunityStatus::kInWest;
  o.main_processing_stage = "filtration";
  o.filtration_status = FiltrationStatus{"WestFollowUp1", FiltrationProcess::kWest, {"junk", "x"}};
  CrmStageMeta m;
  m.stage = CrmStage::kFollowup;
  m.sub_stage = "HOT_LEAD";
  m.rejection_reason = "price";
  m.not_intersted_reasons = "budget";
  m.followup_count = 3;
  m.re_assigned = true;
  m.is_original = false;
  m.original_opportunity_id = oid(79);
  m.reassigned_remarks = "handover";
  m.crm_entry_at = at(kT0 + 300);
  o.crm_stage_meta = m;
  o.crm_platform = "crm";
  o.re_inquiries = 4;
  o.booking_id = "BK-1";
  o.opportunity_score = 17.25;
  o.remarks = "r";
  o.junk_remarks = "j";
  o.agent_notes = "a";
  o.custom_remark = "c";
  o.lead_stage = "warm";
  o.selected_costing = "plan-b";
  o.trips = "t";
  o.tags = {"visa", "exClient"};
  o.action_source = "chat";
  o.created_by = oid(505);
  o.updated_by = oid(506);
  o.created_at = at(kT0 + 400);
  o.updated_at = at(kT0 + 500);
  o.next_follow_up_date = at(kT0 + 600);
  o.awaiting_pool = AvailabilityProcess::kWest;
  o.version = 1;
  return o;
}

// field-by-field comparisons

void expect_same(const User& a, const User& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.first_name, b.first_name);
  EXPECT_EQ(a.last_name, b.last_name);
  EXPECT_EQ(a.credentials, b.credentials);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.is_active, b.is_active);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.modified_by, b.modified_by);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
}

void expect_same(const Destination& a, const Destination& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.slugs, b.slugs);
  EXPECT_DOUBLE_EQ(a.preference, b.preference);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
}

void expect_same(const ProcessMapEntry& a, const ProcessMapEntry& b) {
  EXPECT_EQ(a.destination_id, b.destination_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.is_active, b.is_active);
  EXPECT_EQ(a.load_share, b.load_share);
  EXPECT_EQ(a.counter, b.counter);
  EXPECT_EQ(a.sheet_name, b.sheet_name);
  EXPECT_EQ(a.waba_number, b.waba_number);
}

void expect_same(const ProcessDestinationMap& a, const ProcessDestinationMap& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.process, b.process);
  ASSERT_EQ(a.destinations.size(), b.destinations.size());
  for (std::size_t i = 0; i < a.destinations.size(); ++i)
    expect_same(a.destinations[i], b.destinations[i]);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
}

void expect_same(const Availability& a, const Availability& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.person_id, b.person_id);
  EXPECT_EQ(a.person_name, b.person_name);
  EXPECT_EQ(a.is_available, b.is_available);
  EXPECT_EQ(a.process, b.process);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.destinations, b.destinations);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.lead_count, b.lead_count);
  EXPECT_EQ(a.total_count, b.total_count);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.modified_by, b.modified_by);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
}

void expect_same(const WebUrl& a, const WebUrl& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.consumed, b.consumed);
  EXPECT_EQ(a.destination, b.destination);
  EXPECT_EQ(a.hits, b.hits);
  EXPECT_EQ(ms(a.last_hit_at), ms(b.last_hit_at));
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
}

void expect_same(const LeadSource& a, const LeadSource& b) {
  EXPECT_EQ(a.platform, b.platform);
  EXPECT_EQ(a.primary_source, b.primary_source);
  EXPECT_EQ(a.secondary_source, b.secondary_source);
}

void expect_same(const SourceMeta& a, const SourceMeta& b) {
  EXPECT_EQ(a.form_name, b.form_name);
  EXPECT_EQ(a.from_id, b.from_id);
  EXPECT_EQ(a.sub_source, b.sub_source);
}

void expect_same(const Lead& a, const Lead& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.trace_id, b.trace_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.raw_number, b.raw_number);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.pax, b.pax);
  expect_same(a.lead_source, b.lead_source);
  expect_same(a.source_meta, b.source_meta);
  EXPECT_EQ(a.page, b.page);
  EXPECT_EQ(a.attribution, b.attribution);
  EXPECT_EQ(a.event_time, b.event_time);
  EXPECT_EQ(a.remarks, b.remarks);
  EXPECT_EQ(a.custom_remark, b.custom_remark);
  EXPECT_EQ(a.action_source, b.action_source);
  EXPECT_EQ(a.destination_input, b.destination_input);
  EXPECT_EQ(a.is_pushed, b.is_pushed);
  EXPECT_EQ(a.active_leads, b.active_leads);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.modified_at), ms(b.modified_at));
}

void expect_same(const Opportunity& a, const Opportunity& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.lead_id, b.lead_id);
  EXPECT_EQ(a.trace_id, b.trace_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.raw_number, b.raw_number);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.pax, b.pax);
  EXPECT_EQ(a.alternate_phone, b.alternate_phone);
  EXPECT_EQ(a.destination, b.destination);
  EXPECT_EQ(a.travel_date, b.travel_date);
  EXPECT_EQ(ms(a.travel_month_date_format), ms(b.travel_month_date_format));
  EXPECT_EQ(ms(a.score_updated_for_trave_month_at), ms(b.score_updated_for_trave_month_at));
  EXPECT_EQ(a.trip_type, b.trip_type);
  EXPECT_EQ(a.pax_type, b.pax_type);
  expect_same(a.lead_source, b.lead_source);
  expect_same(a.source_meta, b.source_meta);
  EXPECT_EQ(a.page, b.page);
  EXPECT_EQ(a.attribution, b.attribution);
  EXPECT_EQ(a.event_time, b.event_time);
  EXPECT_EQ(a.filteration_process, b.filteration_process);
  EXPECT_EQ(a.filter_assigned, b.filter_assigned);
  EXPECT_EQ(a.duplicate_of, b.duplicate_of);
  EXPECT_EQ(a.is_duplicate, b.is_duplicate);
  EXPECT_EQ(a.is_pushed, b.is_pushed);
  EXPECT_EQ(a.is_qualified, b.is_qualified);
  EXPECT_EQ(a.qualification_status, b.qualification_status);
  EXPECT_EQ(a.qualified_by, b.qualified_by);
  EXPECT_EQ(a.assigned_psv, b.assigned_psv);
  ASSERT_EQ(a.assigned_west.has_value(), b.assigned_west.has_value());
  if (a.assigned_west) {
    EXPECT_EQ(a.assigned_west->id, b.assigned_west->id);
    EXPECT_EQ(a.assigned_west->name, b.assigned_west->name);
    EXPECT_EQ(a.assigned_west->waba_number, b.assigned_west->waba_number);
    EXPECT_EQ(a.assigned_west->sheet_name, b.assigned_west->sheet_name);
  }
  EXPECT_EQ(a.sales_person_to_be_assigned, b.sales_person_to_be_assigned);
  EXPECT_EQ(a.opportunity_owner, b.opportunity_owner);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.main_processing_stage, b.main_processing_stage);
  ASSERT_EQ(a.filtration_status.has_value(), b.filtration_status.has_value());
  if (a.filtration_status) {
    EXPECT_EQ(a.filtration_status->stage, b.filtration_status->stage);
    EXPECT_EQ(a.filtration_status->filter, b.filtration_status->filter);
    EXPECT_EQ(a.filtration_status->disqualification_reason,
              b.filtration_status->disqualification_reason);
  }
  ASSERT_EQ(a.crm_stage_meta.has_value(), b.crm_stage_meta.has_value());
  if (a.crm_stage_meta) {
    const auto& x = *a.crm_stage_meta;
    const auto& y = *b.crm_stage_meta;
    EXPECT_EQ(x.stage, y.stage);
    EXPECT_EQ(x.sub_stage, y.sub_stage);
    EXPECT_EQ(x.rejection_reason, y.rejection_reason);
    EXPECT_EQ(x.not_intersted_reasons, y.not_intersted_reasons);
    EXPECT_EQ(x.followup_count, y.followup_count);
    EXPECT_EQ(x.re_assigned, y.re_assigned);
    EXPECT_EQ(x.is_original, y.is_original);
    EXPECT_EQ(x.original_opportunity_id, y.original_opportunity_id);
    EXPECT_EQ(x.reassigned_remarks, y.reassigned_remarks);
    EXPECT_EQ(ms(x.crm_entry_at), ms(y.crm_entry_at));
  }
  EXPECT_EQ(a.crm_platform, b.crm_platform);
  EXPECT_EQ(a.re_inquiries, b.re_inquiries);
  EXPECT_EQ(a.booking_id, b.booking_id);
  EXPECT_DOUBLE_EQ(a.opportunity_score, b.opportunity_score);
  EXPECT_EQ(a.remarks, b.remarks);
  EXPECT_EQ(a.junk_remarks, b.junk_remarks);
  EXPECT_EQ(a.agent_notes, b.agent_notes);
  EXPECT_EQ(a.custom_remark, b.custom_remark);
  EXPECT_EQ(a.lead_stage, b.lead_stage);
  EXPECT_EQ(a.selected_costing, b.selected_costing);
  EXPECT_EQ(a.trips, b.trips);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.action_source, b.action_source);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.updated_by, b.updated_by);
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
  EXPECT_EQ(ms(a.updated_at), ms(b.updated_at));
  EXPECT_EQ(ms(a.next_follow_up_date), ms(b.next_follow_up_date));
  EXPECT_EQ(a.awaiting_pool, b.awaiting_pool);
  EXPECT_EQ(a.version, b.version);
}

void expect_same(const Activity& a, const Activity& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.opp_id, b.opp_id);
  EXPECT_EQ(a.activity_by, b.activity_by);
  EXPECT_EQ(a.activity_phase, b.activity_phase);
  EXPECT_EQ(a.description, b.description);
  ASSERT_EQ(a.changes.size(), b.changes.size());
  for (std::size_t i = 0; i < a.changes.size(); ++i) {
    EXPECT_EQ(a.changes[i].field, b.changes[i].field);
    EXPECT_EQ(a.changes[i].previous_value, b.changes[i].previous_value);
    EXPECT_EQ(a.changes[i].new_value, b.changes[i].new_value);
  }
  EXPECT_EQ(ms(a.created_at), ms(b.created_at));
}

std::vector<Id> ids_of(const std::vector<Opportunity>& v) {
  std::vector<Id> out;
  for (const auto& o : v) out.push_back(o.id);
  return out;
}

// schema

TEST_P(StoreContract, MigrateTwiceIsANoOp) {
  EXPECT_GT(version_, 0);
  ASSERT_OK(write([](WriteTx& tx) { return tx.insert_user(full_user(1, "a@example.com")); }));
  auto again = store_->migrate();
  ASSERT_OK(again);
  EXPECT_EQ(*again, version_);
  auto u = read([](ReadTx& tx) { return tx.get_user(oid(1)); });
  ASSERT_OK(u);
  EXPECT_TRUE(u->has_value());
  EXPECT_TRUE(store_->ready());
}

TEST_P(StoreContract, DataSurvivesClosingAndReopening) {
  ASSERT_OK(write([](WriteTx& tx) -> Status {
    if (auto s = tx.insert_user(full_user(1, "a@example.com")); !s) return s;
    if (auto s = tx.insert_lead(full_lead(2)); !s) return s;
    return tx.insert_opportunity(full_opportunity(3));
  }));
  reopen();
  ASSERT_NE(store_, nullptr);
  auto v = store_->migrate();
  ASSERT_OK(v);
  EXPECT_EQ(*v, version_);
  auto u = read([](ReadTx& tx) { return tx.get_user(oid(1)); });
  ASSERT_OK(u);
  ASSERT_TRUE(u->has_value());
  expect_same(**u, full_user(1, "a@example.com"));
  auto l = read([](ReadTx& tx) { return tx.get_lead(oid(2)); });
  ASSERT_OK(l);
  ASSERT_TRUE(l->has_value());
  expect_same(**l, full_lead(2));
  auto o = read([](ReadTx& tx) { return tx.get_opportunity(oid(3)); });
  ASSERT_OK(o);
  ASSERT_TRUE(o->has_value());
  expect_same(**o, full_opportunity(3));
}

// transactions

TEST_P(StoreContract, AFailedWriteRollsBackEverythingItDid) {
  Status s = store_->write([](WriteTx& tx) -> Status {
    if (auto s = tx.insert_user(full_user(1, "a@example.com")); !s) return s;
    if (auto s = tx.insert_destination(destination(2, "Goa", {"goa"})); !s) return s;
    return Error::validation({{"name", "bad"}});
  });
  EXPECT_EQ(code_of(s), ErrorCode::kValidation);

  // A statement failing part-way: the earlier statements of the transaction are undone too.
  ASSERT_OK(write([](WriteTx& tx) { return tx.insert_destination(destination(3, "Bali")); }));
  s = store_->write([](WriteTx& tx) -> Status {
    if (auto s = tx.insert_user(full_user(4, "b@example.com")); !s) return s;
    return tx.insert_destination(destination(5, "BALI"));
  });
  EXPECT_EQ(code_of(s), ErrorCode::kConflict);

  // An exception: rolled back, propagated, and the store still works.
  EXPECT_THROW(store_->write([](WriteTx& tx) -> Status {
    (void)tx.insert_user(full_user(6, "c@example.com"));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);

  for (unsigned n : {1u, 4u, 6u}) {
    auto u = read([n](ReadTx& tx) { return tx.get_user(oid(n)); });
    ASSERT_OK(u);
    EXPECT_FALSE(u->has_value()) << n;
  }
  auto d = read([](ReadTx& tx) { return tx.get_destination(oid(2)); });
  ASSERT_OK(d);
  EXPECT_FALSE(d->has_value());
  auto slugs = read([](ReadTx& tx) { return tx.find_destinations_by_slugs({"goa"}); });
  ASSERT_OK(slugs);
  EXPECT_TRUE(slugs->empty());
  ASSERT_OK(write([](WriteTx& tx) { return tx.insert_user(full_user(6, "c@example.com")); }));
}

TEST_P(StoreContract, ConcurrentAssignmentsAreAllCounted) {
  ASSERT_OK(write([](WriteTx& tx) {
    return tx.insert_availability(full_availability(1, AvailabilityProcess::kPsv));
  }));
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (!store_->write([](WriteTx& tx) { return tx.count_assignment(oid(1), 0); })) ++failures;
        auto a = read([](ReadTx& tx) { return tx.get_availability(oid(1)); });
        if (!a || !a->has_value()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto a = read([](ReadTx& tx) { return tx.get_availability(oid(1)); });
  ASSERT_OK(a);
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->lead_count, 3 + kThreads * kEach);
  EXPECT_EQ((*a)->total_count, 42 + kThreads * kEach);
}

// users

TEST_P(StoreContract, UserRoundTripAndUniqueEmail) {
  User u = full_user(1, "Asha@Example.com");
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_user(u); }));
  auto got = read([](ReadTx& tx) { return tx.get_user(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, u);

  auto by_email = read([](ReadTx& tx) { return tx.find_user_by_email("asha@EXAMPLE.com"); });
  ASSERT_OK(by_email);
  ASSERT_TRUE(by_email->has_value());
  EXPECT_EQ((*by_email)->id, u.id);

  u.first_name.reset();
  u.phone.reset();
  u.department = Department::kAdmin;
  u.is_active = true;
  u.updated_at = at(kT0 + 50);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_user(u); }));
  got = read([](ReadTx& tx) { return tx.get_user(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, u);

  auto dup = write([](WriteTx& tx) { return tx.insert_user(full_user(2, "ASHA@example.com")); });
  EXPECT_EQ(code_of(dup), ErrorCode::kConflict);

  u.deleted = true;
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_user(u); }));
  ASSERT_OK(write([](WriteTx& tx) { return tx.insert_user(full_user(2, "ASHA@example.com")); }));
  by_email = read([](ReadTx& tx) { return tx.find_user_by_email("asha@example.com"); });
  ASSERT_OK(by_email);
  ASSERT_TRUE(by_email->has_value());
  EXPECT_EQ((*by_email)->id, oid(2));

  auto missing = write([](WriteTx& tx) { return tx.update_user(full_user(99, "x@example.com")); });
  EXPECT_EQ(code_of(missing), ErrorCode::kNotFound);
}

TEST_P(StoreContract, ListUsersFilters) {
  ASSERT_OK(write([](WriteTx& tx) -> Status {
    User a = full_user(1, "a@example.com");  // PSV, inactive
    User b = full_user(2, "b@example.com");
    b.department = Department::kSales;
    b.is_active = true;
    User c = full_user(3, "c@example.com");
    c.department = Department::kSales;
    c.deleted = true;
    for (const auto* u : {&a, &b, &c})
      if (auto s = tx.insert_user(*u); !s) return s;
    return ok_status();
  }));
  struct Case {
    UserFilter filter;
    std::vector<Id> expected;
  };
  const std::vector<Case> cases{
      {{}, {oid(1), oid(2)}},
      {{.include_deleted = true}, {oid(1), oid(2), oid(3)}},
      {{.department = Department::kSales}, {oid(2)}},
      {{.department = Department::kSales, .include_deleted = true}, {oid(2), oid(3)}},
      {{.is_active = false}, {oid(1)}},
      {{.department = Department::kAdmin}, {}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto users = read([&](ReadTx& tx) { return tx.list_users(cases[i].filter); });
    ASSERT_OK(users);
    std::vector<Id> ids;
    for (const auto& u : *users) ids.push_back(u.id);
    EXPECT_EQ(ids, cases[i].expected) << "case " << i;
  }
}

// destinations

TEST_P(StoreContract, DestinationRoundTripAndCaseInsensitiveUniqueNames) {
  Destination goa = destination(1, "Goa", {"goa", "north-goa"});
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_destination(goa); }));
  auto got = read([](ReadTx& tx) { return tx.get_destination(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, goa);

  auto dup = write([](WriteTx& tx) { return tx.insert_destination(destination(2, "gOA")); });
  EXPECT_EQ(code_of(dup), ErrorCode::kConflict);

  auto by_name = read([](ReadTx& tx) { return tx.find_destination_by_name("GOA"); });
  ASSERT_OK(by_name);
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, goa.id);

  goa.deleted = true;
  goa.preference = 1.0;
  goa.updated_at = at(kT0 + 70);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_destination(goa); }));
  got = read([](ReadTx& tx) { return tx.get_destination(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, goa);

  // A deleted destination does not hold its name.
  ASSERT_OK(write([](WriteTx& tx) { return tx.insert_destination(destination(2, "GOA")); }));
  by_name = read([](ReadTx& tx) { return tx.find_destination_by_name("goa"); });
  ASSERT_OK(by_name);
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, oid(2));

  auto live = read([](ReadTx& tx) { return tx.list_destinations(false); });
  ASSERT_OK(live);
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].id, oid(2));
  auto all = read([](ReadTx& tx) { return tx.list_destinations(true); });
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);

  auto missing = write([](WriteTx& tx) { return tx.update_destination(destination(9, "X")); });
  EXPECT_EQ(code_of(missing), ErrorCode::kNotFound);
}

TEST_P(StoreContract, FindDestinationsBySlugs) {
  ASSERT_OK(write([](WriteTx& tx) -> Status {
    if (auto s = tx.insert_destination(destination(1, "Goa", {"goa", "north-goa"})); !s) return s;
    if (auto s = tx.insert_destination(destination(2, "Bali", {"bali"})); !s) return s;
    Destination old = destination(3, "Old Goa", {"goa"});
    old.deleted = true;
    return tx.insert_destination(old);
  }));
  auto found = read([](ReadTx& tx) {
    return tx.find_destinations_by_slugs({"blog", "north-goa", "bali"});
  });
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].first, "north-goa");
  EXPECT_EQ((*found)[0].second.id, oid(1));
  EXPECT_EQ((*found)[1].first, "bali");
  EXPECT_EQ((*found)[1].second.id, oid(2));

  // The deleted destination's slug does not match.
  found = read([](ReadTx& tx) { return tx.find_destinations_by_slugs({"goa"}); });
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].second.id, oid(1));

  // Slugs follow updates.
  ASSERT_OK(write(
      [](WriteTx& tx) { return tx.update_destination(destination(1, "Goa", {"goa-beaches"})); }));
  found = read([](ReadTx& tx) { return tx.find_destinations_by_slugs({"north-goa", "goa"}); });
  ASSERT_OK(found);
  EXPECT_TRUE(found->empty());
  found = read([](ReadTx& tx) { return tx.find_destinations_by_slugs({"goa-beaches"}); });
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].second.slugs, std::vector<std::string>{"goa-beaches"});
}

// process maps and routing

ProcessDestinationMap process_map(unsigned n, FiltrationProcess p,
                                  std::vector<ProcessMapEntry> entries) {
  ProcessDestinationMap m;
  m.id = oid(n);
  m.process = p;
  m.destinations = std::move(entries);
  m.created_at = at(kT0);
  m.updated_at = at(kT0 + 2);
  return m;
}

ProcessMapEntry entry(unsigned dest, bool active, int share) {
  return ProcessMapEntry{oid(dest), "Dest " + std::to_string(dest), active, share, 5, "Sheet",
                         "+9199"};
}

TEST_P(StoreContract, ProcessMapRoundTripAndRoutingEntries) {
  auto psv = process_map(10, FiltrationProcess::kPsv, {entry(1, true, 60), entry(2, false, 100)});
  psv.destinations[1].sheet_name.reset();
  psv.destinations[1].waba_number.reset();
  auto west = process_map(11, FiltrationProcess::kWest, {entry(1, true, 40)});
  auto nofilter = process_map(12, FiltrationProcess::kNoFilter, {entry(1, true, 100)});
  nofilter.deleted = true;
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto* m : {&west, &psv, &nofilter})
      if (auto s = tx.insert_process_map(*m); !s) return s;
    return ok_status();
  }));
  auto got = read([](ReadTx& tx) { return tx.get_process_map(oid(10)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, psv);
  auto by_process = read([](ReadTx& tx) { return tx.find_process_map(FiltrationProcess::kWest); });
  ASSERT_OK(by_process);
  ASSERT_TRUE(by_process->has_value());
  expect_same(**by_process, west);
  by_process = read([](ReadTx& tx) { return tx.find_process_map(FiltrationProcess::kNoFilter); });
  ASSERT_OK(by_process);
  EXPECT_FALSE(by_process->has_value());
  auto live = read([](ReadTx& tx) { return tx.list_process_maps(false); });
  ASSERT_OK(live);
  EXPECT_EQ(live->size(), 2u);
  auto all = read([](ReadTx& tx) { return tx.list_process_maps(true); });
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 3u);

  // Only one non-deleted map per process.
  auto dup = write([](WriteTx& tx) {
    return tx.insert_process_map(process_map(13, FiltrationProcess::kPsv, {}));
  });
  EXPECT_EQ(code_of(dup), ErrorCode::kConflict);

  // Active entries of non-deleted maps, by process name; the counter is saved.
  auto entries = write([](WriteTx& tx) -> Result<std::vector<RoutingEntry>> {
    auto e = tx.routing_entries_for_update(oid(1));
    if (!e) return e;
    if (auto s = tx.save_routing_counter(oid(10), oid(1), 123); !s) return s.error();
    return e;
  });
  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].map_id, oid(10));
  EXPECT_EQ((*entries)[0].process, FiltrationProcess::kPsv);
  expect_same((*entries)[0].entry, psv.destinations[0]);
  EXPECT_EQ((*entries)[1].map_id, oid(11));
  EXPECT_EQ((*entries)[1].process, FiltrationProcess::kWest);
  auto none = write([](WriteTx& tx) { return tx.routing_entries_for_update(oid(2)); });
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  auto missing = write([](WriteTx& tx) { return tx.save_routing_counter(oid(10), oid(3), 1); });
  EXPECT_EQ(code_of(missing), ErrorCode::kNotFound);

  psv.destinations[0].counter = 123;
  got = read([](ReadTx& tx) { return tx.get_process_map(oid(10)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, psv);

  // An update replaces the entries, in the order given.
  psv.destinations = {entry(3, true, 10), entry(1, true, 90)};
  psv.updated_at = at(kT0 + 99);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_process_map(psv); }));
  got = read([](ReadTx& tx) { return tx.get_process_map(oid(10)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, psv);
}

// availabilities and streaks

TEST_P(StoreContract, AvailabilityRoundTripPoolAndCounts) {
  Availability a = full_availability(1, AvailabilityProcess::kPsv);
  Availability b = full_availability(2, AvailabilityProcess::kPsv);
  b.is_available = true;
  b.source.clear();
  b.destinations.clear();
  b.seq.reset();
  b.created_by.reset();
  Availability c = full_availability(3, AvailabilityProcess::kPsv);
  c.deleted = true;
  Availability d = full_availability(4, AvailabilityProcess::kSales);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto* x : {&d, &c, &b, &a})
      if (auto s = tx.insert_availability(*x); !s) return s;
    return ok_status();
  }));
  for (const auto* x : {&a, &b}) {
    auto got = read([&](ReadTx& tx) { return tx.get_availability(x->id); });
    ASSERT_OK(got);
    ASSERT_TRUE(got->has_value());
    expect_same(**got, *x);
  }

  auto pool = write([](WriteTx& tx) -> Result<std::vector<Availability>> {
    auto p = tx.pool_for_update(AvailabilityProcess::kPsv);
    if (!p) return p;
    if (auto s = tx.count_assignment(oid(2), 0); !s) return s.error();
    return p;
  });
  ASSERT_OK(pool);
  ASSERT_EQ(pool->size(), 2u);  // available or not, never deleted, by id
  EXPECT_EQ((*pool)[0].id, oid(1));
  EXPECT_EQ((*pool)[1].id, oid(2));

  b.lead_count += 1;
  b.total_count += 1;
  auto got = read([](ReadTx& tx) { return tx.get_availability(oid(2)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, b);

  b.is_available = false;
  b.lead_count = 0;
  b.source = {Platform::kDc};
  b.updated_at = at(kT0 + 77);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_availability(b); }));
  got = read([](ReadTx& tx) { return tx.get_availability(oid(2)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, b);

  auto missing = write([](WriteTx& tx) { return tx.count_assignment(oid(99), 0); });
  EXPECT_EQ(code_of(missing), ErrorCode::kNotFound);

  struct Case {
    AvailabilityFilter filter;
    std::vector<Id> expected;
  };
  const std::vector<Case> cases{
      {{}, {oid(1), oid(2), oid(4)}},
      {{.include_deleted = true}, {oid(1), oid(2), oid(3), oid(4)}},
      {{.process = AvailabilityProcess::kSales}, {oid(4)}},
      {{.person_id = oid(1002)}, {oid(2)}},
      {{.process = AvailabilityProcess::kWest}, {}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto list = read([&](ReadTx& tx) { return tx.list_availabilities(cases[i].filter); });
    ASSERT_OK(list);
    std::vector<Id> ids;
    for (const auto& x : *list) ids.push_back(x.id);
    EXPECT_EQ(ids, cases[i].expected) << "case " << i;
  }
}

TEST_P(StoreContract, StreaksAreKeptPerPoolAndDestination) {
  auto none =
      write([](WriteTx& tx) { return tx.streak_for_update(AvailabilityProcess::kPsv, ""); });
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_OK(write([](WriteTx& tx) -> Status {
    if (auto s = tx.save_streak(AvailabilityProcess::kPsv, "", Streak{oid(1), 1}); !s) return s;
    if (auto s = tx.save_streak(AvailabilityProcess::kPsv, oid(7), Streak{oid(2), 2}); !s) return s;
    return tx.save_streak(AvailabilityProcess::kPsv, "", Streak{oid(3), 4});  // overwrites
  }));
  auto s1 = write([](WriteTx& tx) { return tx.streak_for_update(AvailabilityProcess::kPsv, ""); });
  ASSERT_OK(s1);
  ASSERT_TRUE(s1->has_value());
  EXPECT_EQ((*s1)->availability_id, oid(3));
  EXPECT_EQ((*s1)->length, 4);
  auto s2 =
      write([](WriteTx& tx) { return tx.streak_for_update(AvailabilityProcess::kPsv, oid(7)); });
  ASSERT_OK(s2);
  ASSERT_TRUE(s2->has_value());
  EXPECT_EQ((*s2)->availability_id, oid(2));
  EXPECT_EQ((*s2)->length, 2);
  auto s3 =
      write([](WriteTx& tx) { return tx.streak_for_update(AvailabilityProcess::kSales, ""); });
  ASSERT_OK(s3);
  EXPECT_FALSE(s3->has_value());
}

// weburls

WebUrl weburl(unsigned n, std::string url, std::int64_t hits, bool consumed) {
  WebUrl w;
  w.id = oid(n);
  w.url = std::move(url);
  w.hits = hits;
  w.consumed = consumed;
  w.created_at = at(kT0);
  w.updated_at = at(kT0 + 1);
  return w;
}

TEST_P(StoreContract, WebUrlRoundTripAndOrderingByHits) {
  WebUrl a = weburl(1, "https://example.com/a", 5, true);
  a.destination = NamedRef{oid(50), "Goa"};
  a.last_hit_at = at(kT0 + 8);
  WebUrl b = weburl(2, "https://example.com/b", 10, false);
  WebUrl c = weburl(3, "https://example.com/c", 1, false);
  WebUrl d = weburl(4, "https://example.com/0", 10, true);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto* w : {&a, &b, &c, &d})
      if (auto s = tx.insert_weburl(*w); !s) return s;
    return ok_status();
  }));
  auto got = read([](ReadTx& tx) { return tx.get_weburl(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, a);
  auto by_url = read([](ReadTx& tx) { return tx.find_weburl("https://example.com/b"); });
  ASSERT_OK(by_url);
  ASSERT_TRUE(by_url->has_value());
  expect_same(**by_url, b);

  auto dup = write(
      [](WriteTx& tx) { return tx.insert_weburl(weburl(5, "https://example.com/a", 0, false)); });
  EXPECT_EQ(code_of(dup), ErrorCode::kConflict);

  auto ids = [&](const WebUrlFilter& f) {
    std::vector<Id> out;
    auto list = read([&](ReadTx& tx) { return tx.list_weburls(f); });
    EXPECT_TRUE(list.ok());
    if (list)
      for (const auto& w : *list) out.push_back(w.id);
    return out;
  };
  // Most hits first, ties by url.
  EXPECT_EQ(ids({}), (std::vector<Id>{oid(4), oid(2), oid(1), oid(3)}));
  EXPECT_EQ(ids({.consumed = false}), (std::vector<Id>{oid(2), oid(3)}));
  EXPECT_EQ(ids({.consumed = true}), (std::vector<Id>{oid(4), oid(1)}));
  EXPECT_EQ(ids({.limit = 2, .offset = 1}), (std::vector<Id>{oid(2), oid(1)}));

  c.hits = 11;
  c.consumed = true;
  c.destination = NamedRef{oid(51), "Bali"};
  c.last_hit_at = at(kT0 + 11);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_weburl(c); }));
  got = read([](ReadTx& tx) { return tx.get_weburl(oid(3)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, c);
  EXPECT_EQ(ids({}), (std::vector<Id>{oid(3), oid(4), oid(2), oid(1)}));
}

// leads, opportunities, activities

TEST_P(StoreContract, LeadRoundTrip) {
  Lead full = full_lead(1);
  Lead minimal;
  minimal.id = oid(2);
  minimal.name = "X";
  minimal.number = "+15550100";
  minimal.raw_number = "5550100";
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    if (auto s = tx.insert_lead(full); !s) return s;
    return tx.insert_lead(minimal);
  }));
  for (const auto* l : {&full, &minimal}) {
    auto got = read([&](ReadTx& tx) { return tx.get_lead(l->id); });
    ASSERT_OK(got);
    ASSERT_TRUE(got->has_value());
    expect_same(**got, *l);
  }
  auto dup = write([&](WriteTx& tx) { return tx.insert_lead(full); });
  EXPECT_EQ(code_of(dup), ErrorCode::kConflict);
  auto missing = read([](ReadTx& tx) { return tx.get_lead(oid(3)); });
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreContract, OpportunityRoundTrip) {
  Opportunity full = full_opportunity(1);
  Opportunity minimal = opportunity(2, "+15550100", std::nullopt);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    if (auto s = tx.insert_opportunity(full); !s) return s;
    return tx.insert_opportunity(minimal);
  }));
  for (const auto* o : {&full, &minimal}) {
    auto got = read([&](ReadTx& tx) { return tx.get_opportunity(o->id); });
    ASSERT_OK(got);
    ASSERT_TRUE(got->has_value());
    expect_same(**got, *o);
    // Catch-all for fields added to the model later: the wire forms agree too.
    EXPECT_EQ(boost::json::serialize(codec::to_json(**got)),
              boost::json::serialize(codec::to_json(*o)));
  }
}

TEST_P(StoreContract, UpdateOpportunityChecksTheVersion) {
  Opportunity o = full_opportunity(1);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_opportunity(o); }));

  Opportunity next = o;
  next.status = OpportunityStatus::kOpen;
  next.remarks = "moved";
  next.version = 2;
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_opportunity(next, 1); }));
  auto got = read([](ReadTx& tx) { return tx.get_opportunity(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, next);
  EXPECT_EQ((*got)->version, 2);

  Opportunity stale = o;  // another agent's edit, made on version 1
  stale.remarks = "stale";
  stale.version = 2;
  auto refused = write([&](WriteTx& tx) { return tx.update_opportunity(stale, 1); });
  EXPECT_EQ(code_of(refused), ErrorCode::kPreconditionFailed);
  got = read([](ReadTx& tx) { return tx.get_opportunity(oid(1)); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, next);

  Opportunity ghost = opportunity(99, "+1555", std::nullopt);
  auto missing = write([&](WriteTx& tx) { return tx.update_opportunity(ghost, 1); });
  EXPECT_EQ(code_of(missing), ErrorCode::kNotFound);
}

TEST_P(StoreContract, AtMostOneOpenOriginalPerNumberAndDestination) {
  const NamedRef goa{oid(50), "Goa"};
  const std::string number = "+919876543210";
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_opportunity(opportunity(1, number, goa)); }));

  auto second =
      write([&](WriteTx& tx) { return tx.insert_opportunity(opportunity(2, number, goa)); });
  EXPECT_EQ(code_of(second), ErrorCode::kConflict);

  Opportunity duplicate = opportunity(2, number, goa);
  duplicate.is_duplicate = true;
  duplicate.status = OpportunityStatus::kDormant;
  duplicate.duplicate_of = oid(1);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_opportunity(duplicate); }));
  // Another destination, or none, is another key.
  ASSERT_OK(write(
      [&](WriteTx& tx) { return tx.insert_opportunity(opportunity(3, number, std::nullopt)); }));
  ASSERT_OK(write([&](WriteTx& tx) {
    return tx.insert_opportunity(opportunity(4, number, NamedRef{oid(51), "Bali"}));
  }));

  auto original =
      write([&](WriteTx& tx) { return tx.find_open_original_for_update(number, goa.id); });
  ASSERT_OK(original);
  ASSERT_TRUE(original->has_value());
  EXPECT_EQ((*original)->id, oid(1));
  original =
      write([&](WriteTx& tx) { return tx.find_open_original_for_update(number, std::nullopt); });
  ASSERT_OK(original);
  ASSERT_TRUE(original->has_value());
  EXPECT_EQ((*original)->id, oid(3));
  original = write([&](WriteTx& tx) { return tx.find_open_original_for_update("+1555", goa.id); });
  ASSERT_OK(original);
  EXPECT_FALSE(original->has_value());

  // Once the first is closed, a new original is allowed and is the one found.
  Opportunity won = opportunity(1, number, goa);
  won.status = OpportunityStatus::kWon;
  won.version = 2;
  ASSERT_TRUE(is_closed(won));
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_opportunity(won, 1); }));
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_opportunity(opportunity(5, number, goa)); }));
  original = write([&](WriteTx& tx) { return tx.find_open_original_for_update(number, goa.id); });
  ASSERT_OK(original);
  ASSERT_TRUE(original->has_value());
  EXPECT_EQ((*original)->id, oid(5));

  // Reopening the closed one now clashes with the new original.
  Opportunity reopened = won;
  reopened.status = OpportunityStatus::kOpen;
  reopened.version = 3;
  auto clash = write([&](WriteTx& tx) { return tx.update_opportunity(reopened, 2); });
  EXPECT_EQ(code_of(clash), ErrorCode::kConflict);
}

TEST_P(StoreContract, ListOpportunitiesFilters) {
  const NamedRef goa{oid(50), "Goa"};
  const NamedRef bali{oid(51), "Bali"};
  std::vector<Opportunity> all;
  for (unsigned n = 1; n <= 12; ++n) {
    Opportunity o = opportunity(n, "+91980000" + std::to_string(100 + n), n % 3 ? goa : bali);
    if (n % 4 == 0) o.destination.reset();
    o.status = n % 2 ? OpportunityStatus::kInPsv : OpportunityStatus::kOpen;
    o.filteration_process = n % 3 == 0 ? FiltrationProcess::kWest : FiltrationProcess::kPsv;
    o.lead_source.platform = n % 5 == 0 ? Platform::kInstagram : Platform::kWebsite;
    if (n % 2) o.assigned_psv = NamedRef{oid(500), "P"};
    if (n == 6) o.assigned_west = AssignedWest{oid(500), "W", std::nullopt, std::nullopt};
    if (n == 8 || n == 2) o.opportunity_owner = oid(500);
    if (n == 4) o.opportunity_owner = oid(501);
    if (n == 10 || n == 11) o.awaiting_pool = AvailabilityProcess::kPsv;
    all.push_back(o);
  }
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto& o : all)
      if (auto s = tx.insert_opportunity(o); !s) return s;
    return ok_status();
  }));

  struct Case {
    std::string name;
    OpportunityFilter filter;
    std::function<bool(const Opportunity&)> matches;
  };
  const std::vector<Case> cases{
      {"none", {}, [](const Opportunity&) { return true; }},
      {"status",
       {.status = OpportunityStatus::kOpen},
       [](const Opportunity& o) { return o.status == OpportunityStatus::kOpen; }},
      {"process",
       {.filteration_process = FiltrationProcess::kWest},
       [](const Opportunity& o) { return o.filteration_process == FiltrationProcess::kWest; }},
      {"destination",
       {.destination_id = bali.id},
       [&](const Opportunity& o) { return o.destination && o.destination->id == bali.id; }},
      {"assignee",
       {.assignee = oid(500)},
       [](const Opportunity& o) {
         return (o.assigned_psv && o.assigned_psv->id == oid(500)) ||
                (o.assigned_west && o.assigned_west->id == oid(500)) ||
                o.opportunity_owner == oid(500);
       }},
      {"platform",
       {.platform = Platform::kInstagram},
       [](const Opportunity& o) { return o.lead_source.platform == Platform::kInstagram; }},
      {"created range",
       {.created_from = at(kT0 + 3), .created_to = at(kT0 + 7)},
       [](const Opportunity& o) {
         return ms(o.created_at) >= kT0 + 3 && ms(o.created_at) < kT0 + 7;
       }},
      {"unassigned",
       {.unassigned = true},
       [](const Opportunity& o) { return o.awaiting_pool.has_value(); }},
      {"assigned",
       {.unassigned = false},
       [](const Opportunity& o) { return !o.awaiting_pool.has_value(); }},
      {"assignee and status",
       {.status = OpportunityStatus::kOpen, .assignee = oid(500)},
       [](const Opportunity& o) {
         return o.status == OpportunityStatus::kOpen &&
                ((o.assigned_west && o.assigned_west->id == oid(500)) ||
                 o.opportunity_owner == oid(500));
       }},
  };
  for (const auto& c : cases) {
    std::vector<Id> expected;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (c.matches(*it)) expected.push_back(it->id);
    ASSERT_FALSE(expected.empty()) << c.name;  // each case must select something
    auto got = read([&](ReadTx& tx) { return tx.list_opportunities(c.filter, Page{}); });
    ASSERT_OK(got);
    EXPECT_EQ(ids_of(*got), expected) << c.name;
  }

  // Pages of 4 over 12 rows: three full pages, then an empty one; no repeats, no skips.
  std::vector<Id> paged;
  Page page{.limit = 4};
  for (int i = 0; i < 3; ++i) {
    auto got = read([&](ReadTx& tx) { return tx.list_opportunities({}, page); });
    ASSERT_OK(got);
    ASSERT_EQ(got->size(), 4u) << "page " << i;
    for (const auto& o : *got) paged.push_back(o.id);
    page.after = got->back().id;
  }
  auto rest = read([&](ReadTx& tx) { return tx.list_opportunities({}, page); });
  ASSERT_OK(rest);
  EXPECT_TRUE(rest->empty());
  std::vector<Id> newest_first;
  for (auto it = all.rbegin(); it != all.rend(); ++it) newest_first.push_back(it->id);
  EXPECT_EQ(paged, newest_first);

  // Paging composes with a filter.
  auto p1 = read([&](ReadTx& tx) {
    return tx.list_opportunities({.status = OpportunityStatus::kInPsv}, Page{.limit = 4});
  });
  ASSERT_OK(p1);
  EXPECT_EQ(ids_of(*p1), (std::vector<Id>{oid(11), oid(9), oid(7), oid(5)}));
  auto p2 = read([&](ReadTx& tx) {
    return tx.list_opportunities({.status = OpportunityStatus::kInPsv},
                                 Page{.after = p1->back().id, .limit = 4});
  });
  ASSERT_OK(p2);
  EXPECT_EQ(ids_of(*p2), (std::vector<Id>{oid(3), oid(1)}));
}

// Every page size gives the same rows as one big page, in the same order, then an empty page.
void expect_paged(const std::function<Result<std::vector<Opportunity>>(const Page&)>& list,
                  const std::vector<Id>& expected, const std::string& name) {
  auto whole = list(Page{.limit = 500});
  ASSERT_TRUE(whole.ok()) << name << ": " << whole.error().detail;
  EXPECT_EQ(ids_of(*whole), expected) << name;
  for (int limit : {1, 2, 3, 5}) {
    std::vector<Id> paged;
    Page page{.limit = limit};
    for (std::size_t i = 0; i <= expected.size(); ++i) {
      auto got = list(page);
      ASSERT_TRUE(got.ok()) << name << ": " << got.error().detail;
      ASSERT_LE(got->size(), static_cast<std::size_t>(limit)) << name;
      for (const auto& o : *got) paged.push_back(o.id);
      if (got->size() < static_cast<std::size_t>(limit)) break;
      page.after = got->back().id;
    }
    EXPECT_EQ(paged, expected) << name << ", pages of " << limit;
  }
}

// Every order of the list (store.h OpportunitySort), with its name for messages.
const std::pair<OpportunitySort, std::string> kSorts[] = {
    {OpportunitySort::kNewest, "newest"},
    {OpportunitySort::kOldest, "oldest"},
    {OpportunitySort::kScore, "by score"},
    {OpportunitySort::kNextFollowUp, "by next follow-up"}};

// Whether `a` comes before `b` in the order `sort` (the contract of store.h OpportunitySort).
bool listed_before(OpportunitySort sort, const Opportunity& a, const Opportunity& b) {
  switch (sort) {
    case OpportunitySort::kNewest:
      return a.id > b.id;
    case OpportunitySort::kOldest:
      return a.id < b.id;
    case OpportunitySort::kScore:
      if (a.opportunity_score != b.opportunity_score)
        return a.opportunity_score > b.opportunity_score;
      return a.id > b.id;
    case OpportunitySort::kNextFollowUp:
      if (a.next_follow_up_date != b.next_follow_up_date) {
        if (!a.next_follow_up_date || !b.next_follow_up_date)
          return a.next_follow_up_date.has_value();
        return *a.next_follow_up_date < *b.next_follow_up_date;
      }
      return a.id < b.id;
  }
  return false;
}

// A person is assignedPsv on some opportunities, assignedWest on others, owner on others, and
// several of those on some; the lists of that person (with and without a status, with other
// filters, newest first or by score) hold each once and page across the columns.
TEST_P(StoreContract, ListOpportunitiesOfAnAssignee) {
  const Id person = oid(500);
  const Id other = oid(501);
  std::vector<Opportunity> all;
  for (unsigned n = 1; n <= 30; ++n) {
    Opportunity o = opportunity(n, "+91981000" + std::to_string(100 + n), std::nullopt);
    o.status = n % 3 == 0   ? OpportunityStatus::kOpen
               : n % 3 == 1 ? OpportunityStatus::kInPsv
                            : OpportunityStatus::kInWest;
    o.lead_source.platform = n % 4 == 0 ? Platform::kInstagram : Platform::kWebsite;
    o.opportunity_score = static_cast<double>(n % 5);                  // ties, broken by id
    if (n % 4 != 0) o.next_follow_up_date = at(kT0 + 1000 * (n % 7));  // ties, and none (last)
    switch (n % 6) {
      case 0:
        o.assigned_psv = NamedRef{person, "P"};
        break;
      case 1:
        o.assigned_west = AssignedWest{person, "P", std::nullopt, std::nullopt};
        break;
      case 2:
        o.opportunity_owner = person;
        break;
      case 3:  // both: listed once
        o.assigned_psv = NamedRef{person, "P"};
        o.opportunity_owner = person;
        break;
      case 4:  // all three
        o.assigned_psv = NamedRef{person, "P"};
        o.assigned_west = AssignedWest{person, "P", std::nullopt, std::nullopt};
        o.opportunity_owner = person;
        break;
      default:  // someone else's
        o.assigned_psv = NamedRef{other, "O"};
        o.opportunity_owner = other;
    }
    all.push_back(o);
  }
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto& o : all)
      if (auto s = tx.insert_opportunity(o); !s) return s;
    return ok_status();
  }));
  auto is_persons = [&](const Opportunity& o) {
    return (o.assigned_psv && o.assigned_psv->id == person) ||
           (o.assigned_west && o.assigned_west->id == person) || o.opportunity_owner == person;
  };

  struct Case {
    std::string name;
    OpportunityFilter filter;
    std::function<bool(const Opportunity&)> matches;
  };
  const std::vector<Case> cases{
      {"any status", {.assignee = person}, is_persons},
      {"Open",
       {.status = OpportunityStatus::kOpen, .assignee = person},
       [&](const Opportunity& o) { return is_persons(o) && o.status == OpportunityStatus::kOpen; }},
      {"InPSV",
       {.status = OpportunityStatus::kInPsv, .assignee = person},
       [&](const Opportunity& o) {
         return is_persons(o) && o.status == OpportunityStatus::kInPsv;
       }},
      {"InWEST and instagram",
       {.status = OpportunityStatus::kInWest, .assignee = person, .platform = Platform::kInstagram},
       [&](const Opportunity& o) {
         return is_persons(o) && o.status == OpportunityStatus::kInWest &&
                o.lead_source.platform == Platform::kInstagram;
       }},
      {"InPSV, created window",
       {.status = OpportunityStatus::kInPsv,
        .assignee = person,
        .created_from = at(kT0 + 5),
        .created_to = at(kT0 + 26)},
       [&](const Opportunity& o) {
         return is_persons(o) && o.status == OpportunityStatus::kInPsv &&
                ms(o.created_at) >= kT0 + 5 && ms(o.created_at) < kT0 + 26;
       }},
      {"overdue",
       {.assignee = person, .follow_up_before = at(kT0 + 3000)},
       [&](const Opportunity& o) {
         return is_persons(o) && o.next_follow_up_date && ms(*o.next_follow_up_date) < kT0 + 3000;
       }},
      {"someone else, InWEST",
       {.status = OpportunityStatus::kInWest, .assignee = other},
       [&](const Opportunity& o) {
         return o.opportunity_owner == other && o.status == OpportunityStatus::kInWest;
       }},
  };
  for (auto [sort, sort_name] : kSorts) {
    for (const auto& c : cases) {
      OpportunityFilter f = c.filter;
      f.sort = sort;
      std::vector<Opportunity> matching;
      for (const auto& o : all)
        if (c.matches(o)) matching.push_back(o);
      std::sort(matching.begin(), matching.end(),
                [&](const auto& a, const auto& b) { return listed_before(sort, a, b); });
      ASSERT_GE(matching.size(), 2u) << c.name;  // each case must page across something
      expect_paged(
          [&](const Page& page) {
            return read([&](ReadTx& tx) { return tx.list_opportunities(f, page); });
          },
          ids_of(matching), c.name + ", " + sort_name);
    }
  }
  // The counts per status of each filter (its status left out) are the rows the list has.
  for (const auto& c : cases) {
    OpportunityFilter f = c.filter;
    f.status.reset();
    std::map<OpportunityStatus, std::int64_t> expected;
    for (const auto& o : all)
      if (c.matches(o) || (c.filter.status && c.filter.status != o.status && [&] {
            Opportunity same = o;
            same.status = *c.filter.status;
            return c.matches(same);
          }()))
        ++expected[o.status];
    auto counts = read([&](ReadTx& tx) { return tx.count_opportunities(f); });
    ASSERT_TRUE(counts.ok()) << c.name;
    std::map<OpportunityStatus, std::int64_t> got(counts->by_status.begin(),
                                                  counts->by_status.end());
    EXPECT_EQ(got, expected) << c.name;
    std::int64_t total = 0;
    for (const auto& [status, n] : expected) total += n;
    EXPECT_EQ(counts->total, total) << c.name;
  }
}

// Created windows select by createdAt, also when an id's second is not createdAt's (within
// kCreatedIdSkew, store.h): ids minted a little before or after, an id inside the window whose
// createdAt is not, the bounds inclusive and exclusive, milliseconds apart.
TEST_P(StoreContract, ListOpportunitiesCreatedWindowFollowsCreatedAt) {
  const std::int64_t from = 1'710'000'000'500;  // within a second
  const std::int64_t to = from + 3 * 3'600'000;
  const std::int64_t skew = std::chrono::milliseconds(kCreatedIdSkew).count();
  struct Row {
    std::int64_t id_ms;  // the id's second
    std::int64_t created;
  };
  const std::vector<Row> rows{
      {from - 5'000, from - 5'000},         // before
      {from - 400, from - 1},               // the same second as `from`, earlier
      {from - 1'000, from},                 // at `from`, id of the second before
      {from, from + 1},                     //
      {from - skew + 2'000, from + 1'000},  // id minted almost kCreatedIdSkew earlier
      {from + 7'000, from + 7'000},         //
      {from + 3'600'000, from - 2'000},     // id inside, createdAt before
      {from + 7'200'000, to + 1},           // id inside, createdAt after
      {to + skew - 2'000, to - 2'000},      // id minted almost kCreatedIdSkew later
      {to - 1, to - 1},                     // just before `to`
      {to, to},                             // at `to`: excluded
      {to + 10'000, to + 10'000},           // after
  };
  std::vector<Opportunity> all;
  unsigned n = 0;
  for (const auto& r : rows) {
    ++n;
    Opportunity o = opportunity(n, "+91982000" + std::to_string(100 + n), std::nullopt);
    o.id = oid_at(r.id_ms, n);
    o.created_at = at(r.created);
    o.status = n % 2 ? OpportunityStatus::kOpen : OpportunityStatus::kInPsv;
    o.opportunity_score = static_cast<double>(n % 3);
    all.push_back(o);
  }
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto& o : all)
      if (auto s = tx.insert_opportunity(o); !s) return s;
    return ok_status();
  }));
  struct Case {
    std::string name;
    OpportunityFilter filter;
  };
  const std::vector<Case> cases{
      {"window", {.created_from = at(from), .created_to = at(to)}},
      {"from only", {.created_from = at(from)}},
      {"to only", {.created_to = at(to)}},
      {"window and status",
       {.status = OpportunityStatus::kOpen, .created_from = at(from), .created_to = at(to)}},
      {"window by score",
       {.created_from = at(from), .created_to = at(to), .sort = OpportunitySort::kScore}},
      {"window, oldest first",
       {.created_from = at(from), .created_to = at(to), .sort = OpportunitySort::kOldest}},
  };
  for (const auto& c : cases) {
    std::vector<Opportunity> matching;
    for (const auto& o : all) {
      const auto t = ms(o.created_at);
      if (c.filter.created_from && t < ms(*c.filter.created_from)) continue;
      if (c.filter.created_to && t >= ms(*c.filter.created_to)) continue;
      if (c.filter.status && o.status != *c.filter.status) continue;
      matching.push_back(o);
    }
    std::sort(matching.begin(), matching.end(),
              [&](const auto& a, const auto& b) { return listed_before(c.filter.sort, a, b); });
    ASSERT_GE(matching.size(), 2u) << c.name;
    expect_paged(
        [&](const Page& page) {
          return read([&](ReadTx& tx) { return tx.list_opportunities(c.filter, page); });
        },
        ids_of(matching), c.name);
  }

  // Windows past the last second an id can hold, or before the epoch, are answered (empty).
  for (const OpportunityFilter& f :
       {OpportunityFilter{.created_from = at(9'000'000'000'000)},
        OpportunityFilter{.created_to = at(-1'000)},
        OpportunityFilter{.created_from = at(-5'000), .created_to = at(9'000'000'000'000)}}) {
    auto got = read([&](ReadTx& tx) { return tx.list_opportunities(f, Page{.limit = 50}); });
    ASSERT_OK(got);
    EXPECT_EQ(got->size(), f.created_from && ms(*f.created_from) < 0 ? all.size() : 0u);
  }
}

TEST_P(StoreContract, WaitingForPoolIsOldestFirst) {
  ASSERT_OK(write([](WriteTx& tx) -> Status {
    for (unsigned n : {3u, 1u, 2u, 4u}) {
      Opportunity o = opportunity(n, "+9198" + std::to_string(n), std::nullopt);
      o.awaiting_pool = n == 4 ? AvailabilityProcess::kSales : AvailabilityProcess::kPsv;
      if (auto s = tx.insert_opportunity(o); !s) return s;
    }
    return tx.insert_opportunity(opportunity(5, "+91985", std::nullopt));
  }));
  auto waiting =
      write([](WriteTx& tx) { return tx.waiting_for_pool(AvailabilityProcess::kPsv, 2); });
  ASSERT_OK(waiting);
  EXPECT_EQ(ids_of(*waiting), (std::vector<Id>{oid(1), oid(2)}));
  waiting = write([](WriteTx& tx) { return tx.waiting_for_pool(AvailabilityProcess::kSales, 10); });
  ASSERT_OK(waiting);
  EXPECT_EQ(ids_of(*waiting), (std::vector<Id>{oid(4)}));
}

TEST_P(StoreContract, ActivitiesRoundTripNewestFirst) {
  std::vector<Activity> acts;
  for (unsigned n = 1; n <= 5; ++n) {
    Activity a;
    a.id = oid(n);
    a.opp_id = oid(100);
    if (n % 2) a.activity_by = oid(500);
    a.activity_phase = n % 2 ? ActivityPhase::kPsv : ActivityPhase::kCrm;
    a.description = "step " + std::to_string(n);
    a.changes = {FieldChange{"status", "\"InPSV\"", "\"Open\""},
                 FieldChange{"assignedPsv", "null", R"({"_id":"x","name":"Y \"Z\""})"}};
    a.created_at = at(kT0 + n);
    acts.push_back(a);
  }
  Activity other = acts[0];
  other.id = oid(6);
  other.opp_id = oid(101);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto& a : acts)
      if (auto s = tx.insert_activity(a); !s) return s;
    return tx.insert_activity(other);
  }));
  auto first = read([](ReadTx& tx) { return tx.list_activities(oid(100), Page{.limit = 3}); });
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 3u);
  expect_same((*first)[0], acts[4]);
  expect_same((*first)[1], acts[3]);
  expect_same((*first)[2], acts[2]);
  auto second = read([&](ReadTx& tx) {
    return tx.list_activities(oid(100), Page{.after = first->back().id, .limit = 3});
  });
  ASSERT_OK(second);
  ASSERT_EQ(second->size(), 2u);
  expect_same((*second)[0], acts[1]);
  expect_same((*second)[1], acts[0]);
}

// idempotency

TEST_P(StoreContract, IdempotencyRecordRoundTrip) {
  const std::string scope = "api-key:" + oid(1);
  auto none = read([&](ReadTx& tx) { return tx.find_idempotency(scope, "key-1"); });
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  IdempotencyRecord r{scope, "key-1", "sha256:abc", 201, R"({"duplicate":false})", at(kT0)};
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_idempotency(r); }));
  auto got = read([&](ReadTx& tx) { return tx.find_idempotency(scope, "key-1"); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->scope, r.scope);
  EXPECT_EQ((*got)->key, r.key);
  EXPECT_EQ((*got)->request_hash, r.request_hash);
  EXPECT_EQ((*got)->status, r.status);
  EXPECT_EQ((*got)->response_body, r.response_body);
  EXPECT_EQ(ms((*got)->created_at), ms(r.created_at));

  // Saving the key again (an expired record reused) replaces it.
  IdempotencyRecord later{scope, "key-1", "sha256:def", 200, "{}", at(kT0 + 86'400'001)};
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_idempotency(later); }));
  got = read([&](ReadTx& tx) { return tx.find_idempotency(scope, "key-1"); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->request_hash, later.request_hash);
  EXPECT_EQ((*got)->status, 200);
  EXPECT_EQ(ms((*got)->created_at), ms(later.created_at));
}

// Keys are scoped to the caller (PRODUCT.md "Idempotency"): the same key from two lead sources,
// or from a source and a user, is two records, and each caller finds only its own.
TEST_P(StoreContract, IdempotencyKeysAreScopedToTheirCaller) {
  const std::string a = "api-key:" + oid(1), b = "api-key:" + oid(2), user = "user:" + oid(1);
  IdempotencyRecord from_a{a, "trace:t-1", "hash-a", 201, R"({"from":"a"})", at(kT0)};
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_idempotency(from_a); }));

  for (const std::string& other : {b, user, std::string()}) {
    auto seen = write([&](WriteTx& tx) { return tx.find_idempotency(other, "trace:t-1"); });
    ASSERT_OK(seen);
    EXPECT_FALSE(seen->has_value()) << "scope '" << other << "' found a's record";
  }

  IdempotencyRecord from_b{b, "trace:t-1", "hash-b", 201, R"({"from":"b"})", at(kT0 + 1)};
  ASSERT_OK(write([&](WriteTx& tx) { return tx.save_idempotency(from_b); }));
  auto got_a = read([&](ReadTx& tx) { return tx.find_idempotency(a, "trace:t-1"); });
  auto got_b = read([&](ReadTx& tx) { return tx.find_idempotency(b, "trace:t-1"); });
  ASSERT_OK(got_a);
  ASSERT_OK(got_b);
  ASSERT_TRUE(got_a->has_value());
  ASSERT_TRUE(got_b->has_value());
  EXPECT_EQ((*got_a)->response_body, from_a.response_body) << "b's save replaced a's record";
  EXPECT_EQ((*got_a)->request_hash, "hash-a");
  EXPECT_EQ((*got_b)->response_body, from_b.response_body);
  EXPECT_EQ((*got_b)->scope, b);
}

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract,
                         ::testing::ValuesIn(storage_test::contract_backends("contract")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
