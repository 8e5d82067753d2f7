// The operations whose every statement the query-plan tests explain, written once for both
// adapters (query_plan_test.cpp: SQLite, query_plan_pg_test.cpp: PostgreSQL): the spec's
// Critical Query Patterns, the opportunity list filters and the ingestion transaction.
//
// A Checker (each test's fixture) provides
//   void expect_indexed(const std::string& name, const std::function<void()>& operation,
//                       bool newest_first_list = false);  // runs it, checks its statements
//   template <typename F> void read(F&& body);             // a read transaction that must succeed
//   Store& store();
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/ingest_lead.h"
#include "app/process_maps.h"
#include "app/users.h"
#include "domain/search_text.h"

namespace leadproc::plan_cases {

inline const Id kSomeId = "65a1b2c3d4e5f60718293a4b";
inline const Id kOtherId = "65a1b2c3d4e5f60718293a4c";

template <typename T>
Status status_of(const Result<T>& r) {
  return r ? ok_status() : Status(r.error());
}

inline OpportunityFilter filter(std::function<void(OpportunityFilter&)> set) {
  OpportunityFilter f;
  set(f);
  return f;
}

// the critical queries (spec "Critical Query Patterns")

template <typename Checker>
void round_robin_pick(Checker& c) {
  c.expect_indexed("1. round-robin pick", [&] {
    (void)c.store().write([&](WriteTx& tx) -> Status {
      (void)tx.pool_for_update(AvailabilityProcess::kPsv);
      (void)tx.ranked_pool_for_update(AvailabilityProcess::kPsv, kSomeId, Platform::kInstagram);
      (void)tx.streak_for_update(AvailabilityProcess::kPsv, kSomeId);
      (void)tx.count_assignment(kSomeId, 0);
      (void)tx.save_streak(AvailabilityProcess::kPsv, kSomeId, Streak{kSomeId, 1});
      (void)tx.peek_streak(AvailabilityProcess::kPsv, kOtherId);
      (void)tx.note_streak(AvailabilityProcess::kPsv, kOtherId, Streak{kSomeId, 1});
      RankedPoc seen;
      seen.availability_id = kOtherId;
      (void)tx.claim_poc(seen, false);
      (void)tx.claim_poc(seen, true);
      return Error::unavailable("roll back");
    });
  });
}

template <typename Checker>
void sales_persons_open_opportunities(Checker& c) {
  c.expect_indexed(
      "2. a sales person's open opportunities",
      [&] {
        c.read([&](ReadTx& tx) {
          return status_of(tx.list_opportunities(filter([](auto& f) {
                                                   f.status = OpportunityStatus::kOpen;
                                                   f.assignee = kSomeId;
                                                 }),
                                                 Page{std::nullopt, 20}));
        });
      },
      true);
}

template <typename Checker>
void followups_due_today(Checker& c) {
  const Timestamp day{std::chrono::milliseconds{1'790'000'000'000}};
  c.expect_indexed("3. follow-ups due today", [&] {
    c.read([&](ReadTx& tx) {
      return status_of(tx.list_due_followups(
          DueWindow{day, day + std::chrono::hours(24), std::nullopt, 200, std::nullopt}));
    });
    c.read([&](ReadTx& tx) {
      return status_of(tx.list_due_followups(
          DueWindow{day, day + std::chrono::hours(24), kSomeId, 200, std::nullopt}));
    });
  });
}

template <typename Checker>
void psv_queue(Checker& c) {
  c.expect_indexed(
      "4. PSV queue",
      [&] {
        c.read([&](ReadTx& tx) {
          return status_of(tx.list_opportunities(filter([](auto& f) {
                                                   f.status = OpportunityStatus::kInPsv;
                                                   f.assignee = kSomeId;
                                                 }),
                                                 Page{kOtherId, 50}));
        });
      },
      true);
}

template <typename Checker>
void url_resolution(Checker& c) {
  c.expect_indexed("5. URL resolution", [&] {
    c.read([&](ReadTx& tx) {
      return status_of(tx.find_weburl("https://blog.example.com/goa-travel-guide"));
    });
  });
}

template <typename Checker>
void activity_timeline(Checker& c) {
  c.expect_indexed(
      "6. activity timeline",
      [&] {
        c.read([&](ReadTx& tx) {
          return status_of(tx.list_activities(kSomeId, Page{std::nullopt, 50}));
        });
        c.read([&](ReadTx& tx) {
          return status_of(tx.list_activities(kSomeId, Page{kOtherId, 50}));
        });
      },
      true);
}

// the list endpoints' filters (GET /api/v1/opportunities)

// Each filter alone, and the pairs docs/benchmarks.md measures, newest first (with and without a
// cursor): each is read in id order from an index. By score, none may scan the table.
template <typename Checker>
void opportunity_list_filters(Checker& c) {
  auto week = [](OpportunityFilter& f) {
    f.created_from = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    f.created_to = Timestamp{std::chrono::milliseconds{1'700'604'800'000}};
  };
  const std::vector<std::pair<std::string, std::function<void(OpportunityFilter&)>>> cases = {
      {"no filter", [](auto&) {}},
      {"status", [](auto& f) { f.status = OpportunityStatus::kOpen; }},
      {"filterationProcess", [](auto& f) { f.filteration_process = FiltrationProcess::kPsv; }},
      {"destination", [](auto& f) { f.destination_id = kSomeId; }},
      {"assignee", [](auto& f) { f.assignee = kSomeId; }},
      {"platform", [](auto& f) { f.platform = Platform::kInstagram; }},
      {"unassigned", [](auto& f) { f.unassigned = true; }},
      {"createdFrom/createdTo", week},
      {"createdFrom", [](auto& f) { f.created_from = Timestamp{std::chrono::hours(470'000)}; }},
      {"createdTo", [](auto& f) { f.created_to = Timestamp{std::chrono::hours(470'000)}; }},
      {"filterationProcess & status",
       [](auto& f) {
         f.filteration_process = FiltrationProcess::kPsv;
         f.status = OpportunityStatus::kInPsv;
       }},
      {"status & destination",
       [](auto& f) {
         f.status = OpportunityStatus::kWon;
         f.destination_id = kSomeId;
       }},
      {"status & platform",
       [](auto& f) {
         f.status = OpportunityStatus::kInPsv;
         f.platform = Platform::kDc;
       }},
      {"status & assignee & platform",
       [](auto& f) {
         f.status = OpportunityStatus::kOpen;
         f.assignee = kSomeId;
         f.platform = Platform::kInstagram;
       }},
      {"status & created",
       [&](auto& f) {
         f.status = OpportunityStatus::kOpen;
         week(f);
       }},
  };
  for (bool by_score : {false, true}) {
    for (const auto& [name, set] : cases) {
      for (const std::optional<Id>& cursor : {std::optional<Id>(), std::optional<Id>(kOtherId)}) {
        c.expect_indexed(
            "list " + name + (by_score ? " by score" : "") + (cursor ? " (next page)" : ""),
            [&] {
              c.read([&](ReadTx& tx) {
                auto f = filter(set);
                f.sort = by_score ? OpportunitySort::kScore : OpportunitySort::kNewest;
                return status_of(tx.list_opportunities(f, Page{cursor, 50}));
              });
            },
            true);
      }
    }
  }
}

// search (GET /search, GET /customers/{number}): every query reads the term index

template <typename Checker>
void search_queries(Checker& c) {
  auto filter_of = [](std::vector<std::string> terms, std::optional<std::string> prefix,
                      std::optional<Id> visible_to) {
    SearchFilter f;
    f.terms = std::move(terms);
    f.prefix = std::move(prefix);
    f.visible_to = std::move(visible_to);
    return f;
  };
  const std::vector<std::pair<std::string, SearchFilter>> cases = {
      {"a whole number", filter_of({"n:22222002891"}, std::nullopt, std::nullopt)},
      {"the end of a number", filter_of({}, "n:222220", std::nullopt)},
      {"the end of a number, as an agent", filter_of({}, "n:222220", kSomeId)},
      {"a name of two words", filter_of({"w:asha", "w:rao"}, std::nullopt, std::nullopt)},
      {"a name, as an agent", filter_of({"w:asha", "w:rao"}, std::nullopt, kSomeId)},
      {"a name, by the agent's own terms",
       filter_of({*person_term(kSomeId, "w:asha"), *person_term(kSomeId, "w:rao")}, std::nullopt,
                 kSomeId)},
      {"an email", filter_of({"e:asha@example.com"}, std::nullopt, kSomeId)},
  };
  for (const auto& [name, f] : cases) {
    for (const std::optional<Id>& cursor : {std::optional<Id>(), std::optional<Id>(kOtherId)}) {
      c.expect_indexed("search " + name + (cursor ? " (next page)" : ""), [&] {
        c.read([&](ReadTx& tx) { return status_of(tx.search_opportunities(f, Page{cursor, 50})); });
      });
    }
  }
}

// the ingestion transaction: every statement POST /api/v1/leads runs

template <typename Checker>
void ingestion_transaction(Checker& c) {
  PhoneNormalizer phones("IN");
  ObjectIdGenerator ids(0x1234567890, 1);
  AppContext ctx{c.store(), phones, ids,
                 [] { return Timestamp{std::chrono::milliseconds{1'790'000'000'000}}; },
                 AppConfig{}};
  DestinationInput goa;
  goa.name = "Goa";
  goa.slugs = std::vector<std::string>{"goa"};
  ASSERT_TRUE(create_destination(ctx, goa).ok());
  ProcessMapEntryInput goa_entry;
  goa_entry.destination = DestinationRef{DestinationRef::By::kName, "Goa"};
  goa_entry.is_active = true;
  goa_entry.load_share = 100;
  ProcessMapInput psv_map;
  psv_map.process = FiltrationProcess::kPsv;
  psv_map.destinations = std::vector<ProcessMapEntryInput>{goa_entry};
  ASSERT_TRUE(create_process_map(ctx, psv_map).ok());
  UserInput p;
  p.email = "p@example.com";
  p.first_name.value = "P";
  p.department = Department::kPsv;
  auto user = create_user(ctx, p, std::nullopt);
  ASSERT_TRUE(user.ok()) << user.error().detail;
  AvailabilityInput poc;
  poc.person_id = user->id;
  poc.process = AvailabilityProcess::kPsv;
  poc.is_available = true;
  ASSERT_TRUE(create_availability(ctx, poc, std::nullopt).ok());
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string("{}"); };
  int n = 0;
  auto ingest = [&](std::optional<std::string> destination, std::optional<std::string> page,
                    bool idempotent) {
    LeadInput in;
    in.name = "Plan";
    in.number = "98100000" + std::to_string(10 + n++);
    in.destination = std::move(destination);
    in.page = std::move(page);
    IdempotencyInput idem;
    if (idempotent) idem = {"api-key:plan", "trace:plan-" + std::to_string(n), "h"};
    auto r = ingest_lead(ctx, in, idem, render);
    ASSERT_TRUE(r.ok()) << r.error().detail;
  };
  c.expect_indexed("ingestion (routed by name, new page URL, idempotency key)",
                   [&] { ingest("Goa", "https://blog.example.com/goa/beaches", true); });
  c.expect_indexed("ingestion (known page URL, slug)",
                   [&] { ingest(std::nullopt, "https://blog.example.com/goa/beaches", false); });
  c.expect_indexed("ingestion (duplicate)", [&] {
    LeadInput in;
    in.name = "Plan";
    in.number = "9810000010";  // the first lead's number and destination
    in.destination = "Goa";
    auto r = ingest_lead(ctx, in, IdempotencyInput{}, render);
    ASSERT_TRUE(r.ok()) << r.error().detail;
  });
  c.expect_indexed("ingestion (unknown destination)",
                   [&] { ingest("Nowhere", std::nullopt, false); });
}

}  // namespace leadproc::plan_cases
