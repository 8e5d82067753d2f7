// The sticky owner (issue 21, item 4; docs/product.md "Routing and fairness"), black-box on each
// store: a new enquiry from a number whose earlier opportunity for the same destination closed
// within the admin's stickyOwnerDays goes to that opportunity's owner over the round robin's next
// when they are working, counted like any assignment; when the owner is off shift, the lead is
// routed as usual and the routing record says why the owner was skipped; a closing older than
// the setting, another destination, or the setting 0 leave the round robin alone. A bad setting
// is refused naming it.
#include <gtest/gtest.h>

#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// A server of its own per case, whose sessions outlast the days the test clock moves on.
class StickyOwner : public OwnServerTest {
 protected:
  HttpClient& http() { return admin(); }
  void SetUp() override {
    start({{"LEADPROC_SESSION_TTL", "7d"}});
    if (HasFatalFailure()) return;
    d_ = create_destination(http(), unique_name("Sticky"));
    other_ = create_destination(http(), unique_name("Elsewhere"));
    create_map(http(), "PSV", {{d_}, {other_}});
    ana_ = create_user(http(), "PSV", "Ana");
    ben_ = create_user(http(), "PSV", "Ben");
    ana_poc_ = str(create_availability(http(), {ana_, "PSV", {d_, other_}, {}, 1, true}), "_id");
    create_availability(http(), {ben_, "PSV", {d_, other_}, {}, 2, true});
  }

  // A new lead from `number` for `destination`; its opportunity.
  json::object lead(const std::string& number, const std::string& destination) {
    json::object body = lead_body("Returning Customer", number);
    body["destination"] = destination;
    return ingest(http(), body).at("opportunity").as_object();
  }

  // A lead from `number` for d_, taken by ana (the round robin's first: seq 1, both at 0) and
  // closed by PSV (disqualified); its id. Ben is then the round robin's next.
  std::string closed_by_ana(const std::string& number) {
    const json::object opp = lead(number, d_);
    EXPECT_EQ(str(opp, "assignedPsv._id"), ana_);
    const std::string id = str(opp, "_id");
    Response r = http().post("/api/v1/opportunities/" + id + "/transitions",
                             json::object{{"to", "PSVDisqualified"}, {"reasons", {"junk"}}});
    EXPECT_EQ(r.status, 200) << r.describe();
    return id;
  }

  // The opportunity's one routing record.
  json::object record_of(const std::string& opp_id) {
    Response r = http().get("/api/v1/opportunities/" + opp_id + "/routing");
    EXPECT_EQ(r.status, 200) << r.describe();
    const json::value answer = r.json();
    const json::array& items = at(answer, "items").as_array();
    EXPECT_EQ(items.size(), 1u) << r.body;
    return items.empty() ? json::object{} : items.front().as_object();
  }

  void set_days(int days) {
    Response r = http().put("/api/v1/routing/settings", json::object{{"stickyOwnerDays", days}});
    ASSERT_EQ(r.status, 200) << r.describe();
    EXPECT_EQ(num(r.json(), "stickyOwnerDays"), days);
  }

  std::int64_t lead_count_of(const std::string& availability) {
    return num(availabilities_by_id(http(), "PSV").at(availability), "leadCount").value_or(-1);
  }

  std::string d_, other_, ana_, ben_, ana_poc_;
};

TEST_F(StickyOwner, TheSettingIsThirtyDaysUntilChangedAndABadValueIsRefused) {
  Response got = http().get("/api/v1/routing/settings");
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_EQ(num(got.json(), "stickyOwnerDays"), 30);
  // A misspelt name is ignored, as everywhere in the configuration API, so the required field is
  // missing.
  Response typo = http().put("/api/v1/routing/settings", json::object{{"stickyDays", 3}});
  expect_problem(typo, 422);
  EXPECT_TRUE(contains(problem_fields(typo), "stickyOwnerDays")) << typo.body;
  for (const json::value& v :
       {json::value(366), json::value(-1), json::value("7"), json::value(2.5)}) {
    Response r = http().put("/api/v1/routing/settings", json::object{{"stickyOwnerDays", v}});
    expect_problem(r, 422);
    EXPECT_TRUE(contains(problem_fields(r), "stickyOwnerDays")) << r.body;
  }
  expect_problem(http().put("/api/v1/routing/settings", json::object{}), 422);
  EXPECT_EQ(num(http().get("/api/v1/routing/settings").json(), "stickyOwnerDays"), 30);
  set_days(0);
  EXPECT_EQ(num(http().get("/api/v1/routing/settings").json(), "stickyOwnerDays"), 0);
}

// The owner gets the new enquiry over the round robin's next (ben), the dry run and the record
// say why, and it counts for the owner like any lead: the rotation then goes on by the counts.
TEST_F(StickyOwner, TheClosedOpportunitysOwnerGetsTheNewEnquiry) {
  const std::string number = next_mobile();
  const std::string closed = closed_by_ana(number);

  json::object body = lead_body("Returning Customer", number);
  body["destination"] = d_;
  Response dry = http().post("/api/v1/routing/dry-run", body);
  ASSERT_EQ(dry.status, 200) << dry.describe();
  EXPECT_EQ(str(dry.json(), "assignee.personId"), ana_);
  const json::value dry_answer = dry.json();
  const json::value& dry_record = at(dry_answer, "decisions").as_array().at(0);
  EXPECT_EQ(str(dry_record, "outcome"), "sticky");

  const json::object again = lead(number, d_);
  EXPECT_EQ(str(again, "assignedPsv._id"), ana_) << "the sticky owner, not the round robin's ben";
  EXPECT_EQ(again.at("isDuplicate"), json::value(false));
  const json::object rec = record_of(str(again, "_id"));
  EXPECT_EQ(str(rec, "outcome"), "sticky");
  EXPECT_EQ(str(rec, "winner.personId"), ana_);
  EXPECT_EQ(str(rec, "sticky").rfind("sticky owner: closed opportunity " + closed + " of ", 0), 0u)
      << str(rec, "sticky");
  EXPECT_EQ(lead_count_of(ana_poc_), 2);

  // Ana has had two leads, ben none: the next two fresh leads are ben's, then ana's turn again.
  EXPECT_EQ(str(lead(next_mobile(), d_), "assignedPsv._id"), ben_);
  EXPECT_EQ(str(lead(next_mobile(), d_), "assignedPsv._id"), ben_);
  EXPECT_EQ(str(lead(next_mobile(), d_), "assignedPsv._id"), ana_);
}

// Off shift: the round robin decides, and the record says why the sticky owner did not.
TEST_F(StickyOwner, AnOwnerOffShiftIsSkippedWithTheReason) {
  const std::string number = next_mobile();
  const std::string closed = closed_by_ana(number);
  const std::int64_t now = ms_of(advance_clock(http(), std::chrono::seconds(1)));
  const char* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const int today = static_cast<int>(((now + 19800000) / 86400000 + 3) % 7);  // Kolkata
  Response off = http().patch(
      "/api/v1/availabilities/" + ana_poc_,
      json::object{
          {"shifts", json::array{json::object{
                         {"day", days[(today + 3) % 7]}, {"start", "09:00"}, {"end", "18:00"}}}}});
  ASSERT_EQ(off.status, 200) << off.describe();

  const json::object again = lead(number, d_);
  EXPECT_EQ(str(again, "assignedPsv._id"), ben_);
  const json::object rec = record_of(str(again, "_id"));
  EXPECT_EQ(str(rec, "outcome"), "assigned");
  const std::string why = str(rec, "sticky");
  EXPECT_NE(why.find("skipped: off shift"), std::string::npos) << why;
  EXPECT_NE(why.find("closed opportunity " + closed), std::string::npos) << why;
}

// Closed longer ago than the setting: the round robin, and no sticky owner in the record.
TEST_F(StickyOwner, AClosingOlderThanTheSettingIsNotSticky) {
  set_days(2);
  const std::string number = next_mobile();
  closed_by_ana(number);
  advance_clock(http(), std::chrono::hours(24 * 2 + 1));
  const json::object again = lead(number, d_);
  EXPECT_EQ(str(again, "assignedPsv._id"), ben_);
  const json::object rec = record_of(str(again, "_id"));
  EXPECT_EQ(str(rec, "outcome"), "assigned");
  EXPECT_FALSE(rec.contains("sticky")) << json::serialize(rec);
}

// Within the setting after some days, it still is.
TEST_F(StickyOwner, AClosingWithinTheSettingIsSticky) {
  set_days(2);
  const std::string number = next_mobile();
  closed_by_ana(number);
  advance_clock(http(), std::chrono::hours(24 * 2 - 1));
  EXPECT_EQ(str(lead(number, d_), "assignedPsv._id"), ana_);
}

// Another destination is another enquiry: the round robin.
TEST_F(StickyOwner, AnotherDestinationIsNotSticky) {
  const std::string number = next_mobile();
  closed_by_ana(number);
  const json::object elsewhere = lead(number, other_);
  EXPECT_EQ(str(elsewhere, "assignedPsv._id"), ben_);
  EXPECT_FALSE(record_of(str(elsewhere, "_id")).contains("sticky"));
}

// The setting 0 turns it off, on the next lead (no restart).
TEST_F(StickyOwner, ZeroDaysTurnsItOff) {
  const std::string number = next_mobile();
  closed_by_ana(number);
  set_days(0);
  const json::object again = lead(number, d_);
  EXPECT_EQ(str(again, "assignedPsv._id"), ben_);
  EXPECT_FALSE(record_of(str(again, "_id")).contains("sticky"));
}

// In the sales pool (NO-FILTER: straight to the CRM phase) the sticky owner is the lost
// opportunity's sales owner.
TEST_F(StickyOwner, ALostDealsSalesOwnerGetsTheCustomerBack) {
  const std::string d = create_destination(http(), unique_name("Direct"));
  create_map(http(), "NO-FILTER", {{d}});
  const std::string sam = create_user(http(), "SALES", "Sam");
  const std::string sue = create_user(http(), "SALES", "Sue");
  create_availability(http(), {sam, "Sales", {d}, {}, 1, true});
  create_availability(http(), {sue, "Sales", {d}, {}, 2, true});
  const std::string number = next_mobile();
  const json::object first = lead(number, d);
  ASSERT_EQ(str(first, "opportunityOwner"), sam);
  Response lost = http().post("/api/v1/opportunities/" + str(first, "_id") + "/transitions",
                              json::object{{"to", "lost"}, {"lostReason", "plan_dropped"}});
  ASSERT_EQ(lost.status, 200) << lost.describe();
  const json::object again = lead(number, d);
  EXPECT_EQ(str(again, "opportunityOwner"), sam) << "the sticky owner, not the round robin's sue";
  EXPECT_EQ(str(record_of(str(again, "_id")), "outcome"), "sticky");
  EXPECT_EQ(str(lead(next_mobile(), d), "opportunityOwner"), sue);
}

}  // namespace
}  // namespace leadproc::apitest
