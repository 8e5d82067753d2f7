// The outbox (docs/events.md; issue 20 item 1): every change that matters is an event written in
// the transaction of the change, read back in order with GET /api/v1/outbox/events exactly as a
// webhook subscriber receives it. Each case checks the events of its own opportunities only.
#include <string>
#include <vector>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// The seq of the newest event now (0 when there are none).
std::int64_t newest_seq(HttpClient& http) {
  std::int64_t after = 0;
  for (;;) {
    Response r = http.get("/api/v1/outbox/events?limit=500&after=" + std::to_string(after));
    EXPECT_EQ(r.status, 200) << r.describe();
    if (r.status != 200) return after;
    const json::value v = r.json();
    for (const auto& item : at(v, "items").as_array()) after = *num(item, "seq");
    if (at(v, "next").is_null()) return after;
  }
}

// The events after `after` about opportunity `opp`, in order (paging with small pages, so the
// cursor is exercised).
std::vector<json::object> events_of(HttpClient& http, const std::string& opp, std::int64_t after) {
  std::vector<json::object> out;
  std::int64_t last = after;
  for (;;) {
    Response r = http.get("/api/v1/outbox/events?limit=3&after=" + std::to_string(last));
    EXPECT_EQ(r.status, 200) << r.describe();
    if (r.status != 200) return out;
    const json::value v = r.json();
    for (const auto& item : at(v, "items").as_array()) {
      EXPECT_GT(*num(item, "seq"), last) << "in seq order";
      last = *num(item, "seq");
      if (str(item, "event.data.opportunity._id") == opp)
        out.push_back(at(item, "event").as_object());
    }
    if (at(v, "next").is_null()) return out;
    EXPECT_EQ(num(v, "next"), last);
  }
}

std::vector<std::string> types_of(const std::vector<json::object>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(str(e, "type"));
  return out;
}

json::object moved(HttpClient& http, const std::string& opp, json::object body) {
  Response r = http.post("/api/v1/opportunities/" + opp + "/transitions", body);
  EXPECT_EQ(r.status, 200) << r.describe();
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

// One server for the suite, whose sessions outlive the test clock's moves (a day and more).
class Outbox : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    ServerOptions options;
    options.env = {{"LEADPROC_SESSION_TTL", "30d"}};
    server_ = std::make_unique<TestServer>(options);
  }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  void SetUp() override {
    client_.emplace(server_->client());
    if (!goa_.empty()) return;
    HttpClient& h = http();
    goa_ = create_destination(h, unique_name("Goa"));
    paris_ = create_destination(h, unique_name("Paris"));
    maldives_ = create_destination(h, unique_name("Maldives"));
    create_map(h, "NO-FILTER", {MapEntry(maldives_)});
    create_map(h, "PSV", {MapEntry(goa_)});
    create_map(h, "WEST", {MapEntry(paris_, 100, true, "West-Sheet-7", "+919800000007")});
    psv_ = create_user(h, "PSV", "Pia");
    west_ = create_user(h, "WEST", "Wes");
    sales_ = create_user(h, "SALES", "Sam");
    create_availability(h, {psv_, "PSV", {goa_}, {}, 1, true});
    create_availability(h, {west_, "West", {paris_}, {}, 1, true});
    create_availability(h, {sales_, "Sales", {goa_, paris_, maldives_}, {}, 1, true});
  }
  std::string lead(const std::string& destination, const std::string& number) {
    json::object body = lead_body("Asha Menon", number);
    body["destination"] = destination;
    return str(ingest(http(), body), "opportunity._id");
  }
  void TearDown() override {
    if (HasFailure()) print_server_log(*server_, 0);
  }
  HttpClient& http() { return *client_; }
  inline static std::unique_ptr<TestServer> server_;
  std::optional<HttpClient> client_;
  inline static std::string goa_, paris_, maldives_, psv_, west_, sales_;
};

// A lead's journey to won: each change's events in order, with the opportunity as the API
// returns it; a refused change (409, 422) writes none.
TEST_F(Outbox, EachChangeWritesItsEventsAndARefusedChangeWritesNone) {
  const std::int64_t start = newest_seq(http());
  const std::string id = lead(goa_, next_mobile());
  auto events = events_of(http(), id, start);
  ASSERT_EQ(types_of(events), (std::vector<std::string>{"lead.created", "opportunity.assigned"}));
  EXPECT_EQ(at(events[0], "data.duplicate"), json::value(false));
  EXPECT_TRUE(is_null_at(events[0], "data.duplicateOf"));
  EXPECT_EQ(str(events[1], "data.role"), "psv");
  EXPECT_EQ(str(events[1], "data.to"), psv_);
  for (const auto& e : events) {
    EXPECT_TRUE(is_object_id(str(e, "id")));
    EXPECT_GT(ms_of(str(e, "timestamp")), 0);
    EXPECT_EQ(at(e, "data.opportunity"), json::value(get_opportunity(http(), id)));
  }
  EXPECT_NE(str(events[0], "id"), str(events[1], "id"));

  std::int64_t mark = newest_seq(http());
  moved(http(), id, {{"to", "PSVFollowUp1"}});
  events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events), (std::vector<std::string>{"opportunity.stage_changed"}));
  EXPECT_EQ(str(events[0], "data.previous.status"), "InPSV");
  EXPECT_EQ(str(events[0], "data.previous.stage"), "PSVFreshLead");
  EXPECT_EQ(str(events[0], "data.current.status"), "InPSV");
  EXPECT_EQ(str(events[0], "data.current.stage"), "PSVFollowUp1");
  EXPECT_EQ(str(events[0], "data.opportunity.filtrationStatus.stage"), "PSVFollowUp1");

  // Refused: an illegal move (409) and a bad body (422) change nothing and announce nothing.
  mark = newest_seq(http());
  EXPECT_EQ(http()
                .post("/api/v1/opportunities/" + id + "/transitions", json::object{{"to", "won"}})
                .status,
            409);
  EXPECT_EQ(http()
                .post("/api/v1/opportunities/" + id + "/transitions",
                      json::object{{"to", "PSVDisqualified"}})
                .status,
            422);
  EXPECT_TRUE(events_of(http(), id, mark).empty());

  // CRM entry: the stage change, the qualification, the owner and the first-contact follow-up.
  moved(http(), id, {{"to", "PSVQualified"}});
  events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events),
            (std::vector<std::string>{"opportunity.assigned", "opportunity.stage_changed",
                                      "opportunity.qualified", "followup.created"}));
  EXPECT_EQ(str(events[0], "data.role"), "owner");
  EXPECT_EQ(str(events[0], "data.to"), sales_);
  EXPECT_EQ(str(events[1], "data.current.status"), "Open");
  EXPECT_EQ(str(events[1], "data.current.stage"), "fresh_lead");
  EXPECT_EQ(str(events[3], "data.followUp.subStage"), "first_contact");
  const std::string first = str(events[3], "data.followUp._id");
  ASSERT_TRUE(is_object_id(first));

  mark = newest_seq(http());
  Response done = http().post("/api/v1/followups/" + first + "/complete",
                              json::object{{"outcome", "connected"}});
  ASSERT_EQ(done.status, 200) << done.describe();
  events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events),
            (std::vector<std::string>{"opportunity.stage_changed", "followup.completed"}));
  EXPECT_EQ(str(events[1], "data.followUp._id"), first);
  EXPECT_EQ(str(events[1], "data.followUp.status"), "completed");

  mark = newest_seq(http());
  moved(http(), id,
        {{"to", "won"},
         {"bookingId", "BK-1"},
         {"dealValue", {{"amount", "125000"}, {"currency", "INR"}}}});
  events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events),
            (std::vector<std::string>{"opportunity.stage_changed", "opportunity.won"}));
  EXPECT_EQ(str(events[1], "data.opportunity.status"), "Won");
  EXPECT_EQ(at(events[1], "data.opportunity"), json::value(get_opportunity(http(), id)));
}

// A NO-FILTER lead enters the CRM phase on arrival: its first-contact follow-up is announced with
// it, as a qualification's is (it was not: ingestion kept the follow-up out of its activity).
TEST_F(Outbox, ANoFilterLeadAnnouncesItsFirstContactFollowUp) {
  const std::int64_t start = newest_seq(http());
  const std::string id = lead(maldives_, next_mobile());
  const auto events = events_of(http(), id, start);
  ASSERT_EQ(types_of(events),
            (std::vector<std::string>{"lead.created", "opportunity.assigned",
                                      "opportunity.qualified", "followup.created"}));
  EXPECT_EQ(str(events[1], "data.to"), sales_);
  EXPECT_EQ(str(events[3], "data.followUp.subStage"), "first_contact");
  EXPECT_EQ(str(events[3], "data.followUp.owner"), sales_);
}

// A second lead for the same number and destination is a duplicate: lead.created says so and
// names the original.
TEST_F(Outbox, ADuplicateLeadIsAnnouncedAsOne) {
  const std::string number = next_mobile();
  const std::string original = lead(goa_, number);
  const std::int64_t mark = newest_seq(http());
  const std::string dup = lead(goa_, number);
  auto events = events_of(http(), dup, mark);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(str(events[0], "type"), "lead.created");
  EXPECT_EQ(at(events[0], "data.duplicate"), json::value(true));
  EXPECT_EQ(str(events[0], "data.duplicateOf"), original);
}

// WEST leads carry the routing entry's sheetName and wabaNumber (the WEST hand-off).
TEST_F(Outbox, WestEventsCarryTheSheetAndTheWabaNumber) {
  const std::int64_t mark = newest_seq(http());
  const std::string id = lead(paris_, next_mobile());
  auto events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events), (std::vector<std::string>{"lead.created", "opportunity.assigned"}));
  for (const auto& e : events) {
    EXPECT_EQ(str(e, "data.west.sheetName"), "West-Sheet-7");
    EXPECT_EQ(str(e, "data.west.wabaNumber"), "+919800000007");
  }
  EXPECT_EQ(str(events[1], "data.role"), "west");
}

// A first contact not made in time: followup.overdue and sla.breached, each once, raised by the
// followup-alerts job when the reminder passes (the test clock moves instead of waiting).
TEST_F(Outbox, AMissedFirstContactIsOverdueAndBreachesTheSlaOnce) {
  const std::string id = lead(goa_, next_mobile());
  moved(http(), id, {{"to", "PSVQualified"}});
  const std::int64_t mark = newest_seq(http());
  advance_clock(http(), std::chrono::hours(24) + std::chrono::minutes(30));
  for (int run = 0; run < 2; ++run) {
    Response r = http().post("/api/v1/jobs/followup-alerts/run", json::object{});
    ASSERT_EQ(r.status, 200) << r.describe();
  }
  auto events = events_of(http(), id, mark);
  ASSERT_EQ(types_of(events), (std::vector<std::string>{"followup.overdue", "sla.breached"}));
  EXPECT_EQ(str(events[0], "data.followUp.owner"), sales_);
  EXPECT_EQ(str(events[1], "data.sla"), "firstContact");
  EXPECT_EQ(str(events[1], "data.deadline"), str(events[0], "data.followUp.reminderDate"));
}

TEST_F(Outbox, BadQueryParametersAreNamed) {
  Response r = http().get("/api/v1/outbox/events?after=-1&limit=0&since=3");
  expect_problem(r, 422);
  for (const char* f : {"after", "limit", "since"})
    EXPECT_TRUE(contains(problem_fields(r), f)) << f << ": " << r.body;
}

}  // namespace
}  // namespace leadproc::apitest
