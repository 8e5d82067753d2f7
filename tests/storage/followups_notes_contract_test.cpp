// The Store contract for follow-ups, notes, the due lists and the SLA's CRM entries
// (src/app/store.h, "Follow-ups and notes"), as a value-parameterised suite like
// store_contract_test.cpp: every case runs against SQLite, and against PostgreSQL when
// LEADPROC_TEST_PG_URL names a server (the storage_pg test). Cases use only the port.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/store.h"
#include "contract_fixture.h"

// Designated initializers leave the other members at their defaults on purpose (see
// store_contract_test.cpp for these two).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid;

constexpr std::int64_t kT0 = 1'760'000'000'000;
constexpr std::int64_t kHour = 3'600'000;

class FollowUpNoteContract : public storage_test::ContractTest {};

// builders

FollowUp full_followup(unsigned n, unsigned opp, std::int64_t reminder) {
  FollowUp f;
  f.id = oid(n);
  f.opp_id = oid(opp);
  f.stage = CrmStage::kFollowup;
  f.sub_stage = FollowUpSubStage::kSecondFollowup;
  f.not_interested_reason = "call_not_answered";
  f.count = 2;
  f.note = "call after 6 pm, ask about \"visa\"";
  f.reminder_date = at(reminder);
  f.status = FollowUpStatus::kActive;
  f.completed_at = at(kT0 + 7);
  f.custom_remark = "remark ✓";
  f.outcome = FollowUpOutcome::kNotResponded;
  f.owner = oid(900);
  f.created_by = oid(901);
  f.modified_by = oid(902);
  f.created_at = at(kT0 + 1);
  f.updated_at = at(kT0 + 2);
  f.version = 3;
  return f;
}

FollowUp followup(unsigned n, unsigned opp, std::int64_t reminder,
                  std::optional<Id> owner = std::nullopt,
                  FollowUpStatus status = FollowUpStatus::kActive) {
  FollowUp f;
  f.id = oid(n);
  f.opp_id = oid(opp);
  f.sub_stage = FollowUpSubStage::kFirstContact;
  f.reminder_date = at(reminder);
  f.status = status;
  f.owner = std::move(owner);
  f.created_at = at(kT0);
  f.updated_at = at(kT0);
  return f;
}

Opportunity opportunity(unsigned n, OpportunityStatus status) {
  Opportunity o;
  o.id = oid(n);
  o.trace_id = "trace-" + std::to_string(n);
  o.name = "Client " + std::to_string(n);
  o.number = "+9198765" + std::to_string(10000 + n);
  o.status = status;
  o.created_at = at(kT0);
  o.updated_at = at(kT0);
  return o;
}

Opportunity crm_opportunity(unsigned n, std::int64_t entry, std::optional<Id> owner) {
  Opportunity o = opportunity(n, OpportunityStatus::kOpen);
  o.is_pushed = true;
  o.opportunity_owner = std::move(owner);
  o.crm_stage_meta.emplace();
  o.crm_stage_meta->crm_entry_at = at(entry);
  return o;
}

std::vector<Id> ids(const std::vector<FollowUp>& v) {
  std::vector<Id> out;
  for (const auto& f : v) out.push_back(f.id);
  return out;
}

void expect_same(const FollowUp& a, const FollowUp& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.opp_id, b.opp_id);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.sub_stage, b.sub_stage);
  EXPECT_EQ(a.not_interested_reason, b.not_interested_reason);
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.reminder_date, b.reminder_date);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.completed_at, b.completed_at);
  EXPECT_EQ(a.custom_remark, b.custom_remark);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.owner, b.owner);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.modified_by, b.modified_by);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.version, b.version);
}

// follow-ups

TEST_P(FollowUpNoteContract, FollowUpRoundTrip) {
  const FollowUp f = full_followup(1, 100, kT0 + kHour);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_followup(f); }));
  auto got = read([&](ReadTx& tx) { return tx.get_followup(f.id); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, f);

  FollowUp bare;  // every optional absent
  bare.id = oid(2);
  bare.opp_id = oid(100);
  bare.created_at = at(kT0);
  bare.updated_at = at(kT0);
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_followup(bare); }));
  got = read([&](ReadTx& tx) { return tx.get_followup(bare.id); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  expect_same(**got, bare);

  auto none = read([](ReadTx& tx) { return tx.get_followup(oid(3)); });
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  // The id is the primary key.
  auto dup = write([&](WriteTx& tx) { return tx.insert_followup(f); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_P(FollowUpNoteContract, UpdateFollowUpChecksTheVersion) {
  FollowUp f = full_followup(1, 100, kT0 + kHour);
  f.version = 1;
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_followup(f); }));

  FollowUp changed = f;
  changed.status = FollowUpStatus::kCompleted;
  changed.outcome = FollowUpOutcome::kConnected;
  changed.reminder_date = at(kT0 + 5 * kHour);
  changed.owner = oid(950);
  changed.opp_id = oid(999);          // not written
  changed.created_at = at(kT0 + 99);  // not written
  changed.updated_at = at(kT0 + 50);
  changed.version = 77;  // ignored: the store writes expected + 1
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_followup(changed, 1); }));
  auto got = read([&](ReadTx& tx) { return tx.get_followup(f.id); });
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  FollowUp expected = changed;
  expected.opp_id = f.opp_id;
  expected.created_at = f.created_at;
  expected.version = 2;
  expect_same(**got, expected);

  // A stale version changes nothing.
  FollowUp stale = expected;
  stale.note = "lost update";
  auto refused = write([&](WriteTx& tx) { return tx.update_followup(stale, 1); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
  got = read([&](ReadTx& tx) { return tx.get_followup(f.id); });
  ASSERT_OK(got);
  expect_same(**got, expected);

  FollowUp unknown = f;
  unknown.id = oid(5);
  auto missing = write([&](WriteTx& tx) { return tx.update_followup(unknown, 1); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(FollowUpNoteContract, NoForeignKeyToOpportunitiesEitherOrder) {
  // CRM entry inserts the first contact before or after its opportunity, in one transaction.
  Opportunity opp = crm_opportunity(100, kT0, oid(900));
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    if (auto s = tx.insert_followup(followup(1, 100, kT0 + 24 * kHour)); !s) return s;
    return tx.insert_opportunity(opp);
  }));
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    if (auto s = tx.insert_opportunity(crm_opportunity(101, kT0, oid(900))); !s) return s;
    return tx.insert_followup(followup(2, 101, kT0 + 24 * kHour));
  }));
  // A follow-up of an opportunity that does not exist (imported data) is stored too.
  ASSERT_OK(write([&](WriteTx& tx) { return tx.insert_followup(followup(3, 555, kT0)); }));
}

TEST_P(FollowUpNoteContract, AFailedWriteStoresNoFollowUpOrNote) {
  auto s = write([&](WriteTx& tx) -> Status {
    if (auto w = tx.insert_followup(followup(1, 100, kT0)); !w) return w;
    if (auto w = tx.insert_note(Note{oid(2), oid(100), "n", std::nullopt, at(kT0), at(kT0)}); !w)
      return w;
    return Error::validation({{"x", "refused"}});
  });
  ASSERT_FALSE(s.ok());
  auto f = read([](ReadTx& tx) { return tx.get_followup(oid(1)); });
  ASSERT_OK(f);
  EXPECT_FALSE(f->has_value());
  auto notes = read([](ReadTx& tx) { return tx.list_notes(oid(100), Page{}); });
  ASSERT_OK(notes);
  EXPECT_TRUE(notes->empty());
}

TEST_P(FollowUpNoteContract, ListFollowUpsOfAnOpportunityNewestFirst) {
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (unsigned n : {3u, 1u, 2u}) {
      auto f = followup(n, 100, kT0 + n * kHour, std::nullopt,
                        n == 1 ? FollowUpStatus::kCompleted : FollowUpStatus::kActive);
      if (auto s = tx.insert_followup(f); !s) return s;
    }
    return tx.insert_followup(followup(4, 101, kT0));
  }));
  auto list = read([](ReadTx& tx) { return tx.list_followups(oid(100)); });
  ASSERT_OK(list);
  EXPECT_EQ(ids(*list), (std::vector<Id>{oid(3), oid(2), oid(1)}));
  auto empty = read([](ReadTx& tx) { return tx.list_followups(oid(102)); });
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_P(FollowUpNoteContract, DueFollowUpsByWindowOwnerAndStatus) {
  const Id alice = oid(900);
  const Id bob = oid(901);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    std::vector<FollowUp> all{
        followup(1, 100, kT0 + 3 * kHour, alice),
        followup(2, 101, kT0 + 1 * kHour, bob),
        followup(3, 102, kT0 + 1 * kHour, alice),  // same reminder as 2: by id
        followup(4, 103, kT0 + 10 * kHour, alice),
        followup(5, 104, kT0 - 5 * kHour, alice),
        followup(6, 105, kT0 + 2 * kHour, alice, FollowUpStatus::kCompleted),
        followup(7, 106, kT0 + 2 * kHour, alice, FollowUpStatus::kCanceled),
        followup(8, 107, kT0 + 2 * kHour, std::nullopt),
    };
    for (const auto& f : all)
      if (auto s = tx.insert_followup(f); !s) return s;
    return ok_status();
  }));
  auto due = [&](DueWindow w) {
    return read([&](ReadTx& tx) { return tx.list_due_followups(w); });
  };

  // [T0, T0+10h): active only, earliest first, the end excluded.
  auto everyone = due(DueWindow{at(kT0), at(kT0 + 10 * kHour), std::nullopt, 100, std::nullopt});
  ASSERT_OK(everyone);
  EXPECT_EQ(ids(*everyone), (std::vector<Id>{oid(2), oid(3), oid(8), oid(1)}));

  auto alices = due(DueWindow{at(kT0), at(kT0 + 10 * kHour), alice, 100, std::nullopt});
  ASSERT_OK(alices);
  EXPECT_EQ(ids(*alices), (std::vector<Id>{oid(3), oid(1)}));

  // Open ends: overdue (before T0) and upcoming (from T0+3h).
  auto overdue = due(DueWindow{std::nullopt, at(kT0), alice, 100, std::nullopt});
  ASSERT_OK(overdue);
  EXPECT_EQ(ids(*overdue), (std::vector<Id>{oid(5)}));
  auto upcoming =
      due(DueWindow{at(kT0 + 3 * kHour), std::nullopt, std::nullopt, 100, std::nullopt});
  ASSERT_OK(upcoming);
  EXPECT_EQ(ids(*upcoming), (std::vector<Id>{oid(1), oid(4)}));

  auto limited = due(DueWindow{std::nullopt, std::nullopt, std::nullopt, 2, std::nullopt});
  ASSERT_OK(limited);
  EXPECT_EQ(ids(*limited), (std::vector<Id>{oid(5), oid(2)}));
  auto none = due(DueWindow{std::nullopt, std::nullopt, std::nullopt, 0, std::nullopt});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  // After an entry (an export's pages): the rest in the same order, past ties on the time.
  auto after_2 = due(DueWindow{at(kT0), at(kT0 + 10 * kHour), std::nullopt, 100,
                               DueCursor{at(kT0 + 1 * kHour), oid(2)}});
  ASSERT_OK(after_2);
  EXPECT_EQ(ids(*after_2), (std::vector<Id>{oid(3), oid(8), oid(1)}));
  auto after_8 = due(
      DueWindow{at(kT0), at(kT0 + 10 * kHour), alice, 100, DueCursor{at(kT0 + 2 * kHour), oid(8)}});
  ASSERT_OK(after_8);
  EXPECT_EQ(ids(*after_8), (std::vector<Id>{oid(1)}));
}

TEST_P(FollowUpNoteContract, FiltrationDueListsPsvAndWestDates) {
  const Id psv = oid(900);
  const Id west = oid(901);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    Opportunity a = opportunity(100, OpportunityStatus::kInPsv);
    a.assigned_psv = NamedRef{psv, "Pia"};
    a.next_follow_up_date = at(kT0 + 2 * kHour);
    Opportunity b = opportunity(101, OpportunityStatus::kInWest);
    b.assigned_west = AssignedWest{west, "Wes", std::nullopt, std::nullopt};
    b.next_follow_up_date = at(kT0 + 1 * kHour);
    Opportunity c = opportunity(102, OpportunityStatus::kInPsv);  // no date
    c.assigned_psv = NamedRef{psv, "Pia"};
    Opportunity d = crm_opportunity(103, kT0, oid(902));  // CRM: its follow-ups list it
    d.next_follow_up_date = at(kT0 + 1 * kHour);
    Opportunity e = opportunity(104, OpportunityStatus::kInPsv);  // outside the window
    e.assigned_psv = NamedRef{psv, "Pia"};
    e.next_follow_up_date = at(kT0 + 20 * kHour);
    for (const auto& o : {a, b, c, d, e})
      if (auto s = tx.insert_opportunity(o); !s) return s;
    return ok_status();
  }));
  auto due = [&](DueWindow w) {
    return read([&](ReadTx& tx) { return tx.list_filtration_due(w); });
  };
  auto opp_ids = [](const std::vector<Opportunity>& v) {
    std::vector<Id> out;
    for (const auto& o : v) out.push_back(o.id);
    return out;
  };
  auto all = due(DueWindow{at(kT0), at(kT0 + 10 * kHour), std::nullopt, 100, std::nullopt});
  ASSERT_OK(all);
  EXPECT_EQ(opp_ids(*all), (std::vector<Id>{oid(101), oid(100)}));
  auto mine = due(DueWindow{at(kT0), at(kT0 + 10 * kHour), psv, 100, std::nullopt});
  ASSERT_OK(mine);
  EXPECT_EQ(opp_ids(*mine), (std::vector<Id>{oid(100)}));
  auto wests = due(DueWindow{std::nullopt, std::nullopt, west, 100, std::nullopt});
  ASSERT_OK(wests);
  EXPECT_EQ(opp_ids(*wests), (std::vector<Id>{oid(101)}));
  auto later = due(DueWindow{at(kT0 + 10 * kHour), std::nullopt, psv, 100, std::nullopt});
  ASSERT_OK(later);
  EXPECT_EQ(opp_ids(*later), (std::vector<Id>{oid(104)}));
}

// notes

TEST_P(FollowUpNoteContract, NotesRoundTripNewestFirstPaged) {
  std::vector<Note> notes;
  for (unsigned n = 1; n <= 5; ++n) {
    notes.push_back(Note{oid(n), oid(100), "note " + std::to_string(n) + " — ünïcode",
                         n % 2 ? std::optional<Id>(oid(900)) : std::nullopt, at(kT0 + n),
                         at(kT0 + n)});
  }
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    for (const auto& n : notes)
      if (auto s = tx.insert_note(n); !s) return s;
    return tx.insert_note(Note{oid(9), oid(101), "other", std::nullopt, at(kT0), at(kT0)});
  }));
  auto first = read([](ReadTx& tx) { return tx.list_notes(oid(100), Page{.limit = 3}); });
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const Note& want = notes[4 - i];
    EXPECT_EQ((*first)[i].id, want.id);
    EXPECT_EQ((*first)[i].opp_id, want.opp_id);
    EXPECT_EQ((*first)[i].note, want.note);
    EXPECT_EQ((*first)[i].created_by, want.created_by);
    EXPECT_EQ((*first)[i].created_at, want.created_at);
    EXPECT_EQ((*first)[i].updated_at, want.updated_at);
  }
  auto second = read([&](ReadTx& tx) {
    return tx.list_notes(oid(100), Page{.after = first->back().id, .limit = 3});
  });
  ASSERT_OK(second);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].id, oid(2));
  EXPECT_EQ((*second)[1].id, oid(1));
  auto none = read([](ReadTx& tx) { return tx.list_notes(oid(100), Page{.limit = 0}); });
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

// CRM entries for the SLA

TEST_P(FollowUpNoteContract, CrmEntriesWithTheirFirstContact) {
  const Id alice = oid(900);
  const Id bob = oid(901);
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    std::vector<Opportunity> opps{
        crm_opportunity(100, kT0 + 2 * kHour, alice),   // contacted (twice: earliest counts)
        crm_opportunity(101, kT0 + 1 * kHour, bob),     // not contacted (first contact active)
        crm_opportunity(102, kT0 + 30 * kHour, alice),  // outside [T0, T0+24h)
        crm_opportunity(103, kT0 - 1, alice),           // outside: before
        crm_opportunity(104, kT0 + 3 * kHour, bob),     // only a second follow-up completed
        opportunity(105, OpportunityStatus::kInPsv),    // never in CRM
    };
    for (const auto& o : opps)
      if (auto s = tx.insert_opportunity(o); !s) return s;
    FollowUp f1 = followup(1, 100, kT0, alice, FollowUpStatus::kCompleted);
    f1.completed_at = at(kT0 + 5 * kHour);
    FollowUp f2 = followup(2, 100, kT0, bob, FollowUpStatus::kCompleted);  // later completion
    f2.completed_at = at(kT0 + 9 * kHour);
    FollowUp f3 = followup(3, 101, kT0, bob);  // active
    FollowUp f4 = followup(4, 104, kT0, bob, FollowUpStatus::kCompleted);
    f4.sub_stage = FollowUpSubStage::kSecondFollowup;
    f4.completed_at = at(kT0 + 4 * kHour);
    FollowUp f5 = followup(5, 101, kT0, bob, FollowUpStatus::kCanceled);
    f5.completed_at = at(kT0 + 2 * kHour);  // canceled: not a contact
    FollowUp f6 = followup(6, 100, kT0, bob, FollowUpStatus::kCompleted);
    f6.completed_at = f1.completed_at;  // a tie with f1: the lesser id (f1's) is the first
    for (const auto& f : {f6, f2, f1, f3, f4, f5})
      if (auto s = tx.insert_followup(f); !s) return s;
    return ok_status();
  }));
  auto entries =
      read([](ReadTx& tx) { return tx.list_crm_entries(at(kT0), at(kT0 + 24 * kHour)); });
  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 3u);
  const CrmEntry& e0 = (*entries)[0];
  EXPECT_EQ(e0.opp_id, oid(101));
  EXPECT_EQ(e0.owner, bob);
  EXPECT_EQ(e0.crm_entry_at, at(kT0 + kHour));
  EXPECT_FALSE(e0.first_contact_completed_at.has_value());
  EXPECT_FALSE(e0.first_contact_owner.has_value());
  const CrmEntry& e1 = (*entries)[1];
  EXPECT_EQ(e1.opp_id, oid(100));
  EXPECT_EQ(e1.owner, alice);
  EXPECT_EQ(e1.first_contact_completed_at, at(kT0 + 5 * kHour));
  EXPECT_EQ(e1.first_contact_owner, alice);
  const CrmEntry& e2 = (*entries)[2];
  EXPECT_EQ(e2.opp_id, oid(104));
  EXPECT_FALSE(e2.first_contact_completed_at.has_value());

  // An opportunity entering CRM through update_opportunity is listed from then on.
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    auto o = tx.get_opportunity(oid(105));
    if (!o) return o.error();
    Opportunity opp = **o;
    const auto version = opp.version;
    opp.status = OpportunityStatus::kOpen;
    opp.crm_stage_meta.emplace();
    opp.crm_stage_meta->crm_entry_at = at(kT0 + 20 * kHour);
    return tx.update_opportunity(opp, version);
  }));
  entries = read([](ReadTx& tx) { return tx.list_crm_entries(at(kT0), at(kT0 + 24 * kHour)); });
  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ(entries->back().opp_id, oid(105));
}

// An entry's first contact follows its follow-ups as they are written (migration 37 keeps it on
// the opportunity's row): a first contact completed through update_followup counts from then on,
// an earlier one completed later takes its place, and an opportunity stored after its follow-ups
// (an import may bring the follow-ups first) has its first contact from the start.
TEST_P(FollowUpNoteContract, CrmEntriesFirstContactFollowsItsFollowUps) {
  const Id alice = oid(900);
  const Id bob = oid(901);
  FollowUp first = followup(1, 100, kT0, alice);  // active
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    // 101's completed first contact is stored before its opportunity.
    FollowUp imported = followup(2, 101, kT0, bob, FollowUpStatus::kCompleted);
    imported.completed_at = at(kT0 + 7 * kHour);
    if (auto s = tx.insert_followup(imported); !s) return s;
    if (auto s = tx.insert_opportunity(crm_opportunity(100, kT0 + kHour, alice)); !s) return s;
    if (auto s = tx.insert_opportunity(crm_opportunity(101, kT0 + 2 * kHour, alice)); !s) return s;
    return tx.insert_followup(first);
  }));
  auto first_contact = [&](std::size_t i) {
    auto entries =
        read([](ReadTx& tx) { return tx.list_crm_entries(at(kT0), at(kT0 + 24 * kHour)); });
    EXPECT_TRUE(entries.ok() && entries->size() == 2u);
    if (!entries.ok() || entries->size() != 2u)
      return std::pair<std::optional<Timestamp>, std::optional<Id>>{};
    return std::pair((*entries)[i].first_contact_completed_at, (*entries)[i].first_contact_owner);
  };
  EXPECT_EQ(first_contact(0), std::pair(std::optional<Timestamp>(), std::optional<Id>()));
  EXPECT_EQ(first_contact(1), std::pair(std::optional(at(kT0 + 7 * kHour)), std::optional(bob)));

  // Completed: 100 is contacted from then on, by whoever completed it.
  FollowUp done = first;
  done.status = FollowUpStatus::kCompleted;
  done.completed_at = at(kT0 + 5 * kHour);
  done.owner = bob;
  ASSERT_OK(write([&](WriteTx& tx) { return tx.update_followup(done, first.version); }));
  EXPECT_EQ(first_contact(0), std::pair(std::optional(at(kT0 + 5 * kHour)), std::optional(bob)));

  // A second completed first contact, earlier, is the first from then on; a later one changes
  // nothing.
  ASSERT_OK(write([&](WriteTx& tx) -> Status {
    FollowUp earlier = followup(3, 100, kT0, alice, FollowUpStatus::kCompleted);
    earlier.completed_at = at(kT0 + 3 * kHour);
    if (auto s = tx.insert_followup(earlier); !s) return s;
    FollowUp later = followup(4, 100, kT0, bob, FollowUpStatus::kCompleted);
    later.completed_at = at(kT0 + 9 * kHour);
    return tx.insert_followup(later);
  }));
  EXPECT_EQ(first_contact(0), std::pair(std::optional(at(kT0 + 3 * kHour)), std::optional(alice)));
}

INSTANTIATE_TEST_SUITE_P(Adapters, FollowUpNoteContract,
                         ::testing::ValuesIn(storage_test::contract_backends("fu")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
