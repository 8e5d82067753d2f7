// GET /api/v1/events/stream (docs/api-events.md): what a signed-in person is told as it happens.
// Each case reads a real stream over loopback (sse_client.h) and waits for events with generous
// bounds (never asserting how fast they came: bench/ measures that).
#include <chrono>
#include <cstdlib>
#include <string>

#include "auth_support.h"
#include "harness.h"
#include "pg_database.h"
#include "sse_client.h"

namespace leadproc::apitest {
namespace {

constexpr std::string_view kStream = "/api/v1/events/stream";

class Events : public TwoPsvAgentsTest<Events> {
 protected:
  // A stream of `who`'s events (Last-Event-ID `last` when given).
  std::unique_ptr<SseClient> open(const Login& who, const std::string& last = "") {
    Headers h = bearer(who.token);
    if (!last.empty()) h.emplace_back("Last-Event-ID", last);
    auto s = std::make_unique<SseClient>(server_->port(), std::string(kStream), h);
    EXPECT_EQ(s->status(), 200) << s->body();
    EXPECT_EQ(s->header("content-type").rfind("text/event-stream", 0), 0u);
    return s;
  }
  // Ingests a lead for `destination` (as the admin) and returns its opportunity's id.
  std::string lead(const std::string& destination, std::string_view name = "Asha Rao") {
    json::object body = lead_body(name, next_mobile());
    body["destination"] = destination;
    return str(ingest(admin(), body), "opportunity._id");
  }
};

// The agent's open stream receives `assigned` for a lead routed to them, with the opportunity
// and the customer's name, and the id the client reconnects with.
TEST_F(Events, AnAssignedLeadReachesTheAgentsOpenStream) {
  auto stream = open(asha_);
  const std::string opp = lead(goa_, "Chitra Nair");
  auto e = stream->next_of("assigned");
  ASSERT_TRUE(e) << "no assigned event";
  const json::value data = e->json();
  EXPECT_EQ(str(data, "type"), "assigned");
  EXPECT_EQ(str(data, "opportunityId"), opp);
  EXPECT_EQ(str(data, "role"), "psv");
  EXPECT_EQ(str(data, "name"), "Chitra Nair");
  EXPECT_EQ(std::to_string(*num(data, "id")), e->id);
  EXPECT_FALSE(e->id.empty());
}

// A PSV agent is told only their own leads: the other agent's lead, ingested first, never
// reaches them; their own, ingested after it, is the first event they get.
TEST_F(Events, AnAgentDoesNotReceiveAnotherAgentsEvents) {
  auto bela = open(bela_);
  const std::string ashas = lead(goa_);
  const std::string belas = lead(bali_);
  auto e = bela->next();
  ASSERT_TRUE(e);
  EXPECT_EQ(str(e->json(), "opportunityId"), belas) << "got " << e->data;
  EXPECT_NE(e->data.find(belas), std::string::npos);
  EXPECT_EQ(e->data.find(ashas), std::string::npos);
}

// Reconnecting with Last-Event-ID replays exactly what was missed, once, in order, and the
// stream then goes on live.
TEST_F(Events, ReconnectingWithLastEventIdReplaysExactlyTheMissedEvents) {
  std::string last;
  {
    auto stream = open(asha_);
    const std::string first = lead(goa_);
    auto e = stream->next_of("assigned");
    ASSERT_TRUE(e);
    ASSERT_EQ(str(e->json(), "opportunityId"), first);
    last = e->id;
  }
  const std::string missed1 = lead(goa_);
  const std::string missed2 = lead(goa_);
  auto again = open(asha_, last);
  auto a = again->next();
  auto b = again->next();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(str(a->json(), "opportunityId"), missed1);
  EXPECT_EQ(str(b->json(), "opportunityId"), missed2);
  EXPECT_LT(std::stoll(last), std::stoll(a->id));
  EXPECT_LT(std::stoll(a->id), std::stoll(b->id));
  const std::string live = lead(goa_);
  auto c = again->next();
  ASSERT_TRUE(c);
  EXPECT_EQ(str(c->json(), "opportunityId"), live) << "a replayed event came twice";
}

// A Last-Event-ID the server cannot continue from (beyond every event it holds) gets `reset`:
// the client reloads instead of missing events silently.
TEST_F(Events, AnUnknownLastEventIdIsToldToReload) {
  auto stream = open(asha_, "999999999999");
  auto e = stream->next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "reset");
  EXPECT_EQ(str(e->json(), "type"), "reset");
}

TEST_F(Events, WithoutCredentialsTheStreamIsRefused) {
  HttpClient anon = anonymous();
  expect_problem(anon.get(std::string(kStream)), 401);
  SseClient s(server_->port(), std::string(kStream), {});
  EXPECT_EQ(s.status(), 401);
}

TEST_F(Events, AMalformedLastEventIdIsRefusedNamingIt) {
  Response r = anonymous().get(std::string(kStream),
                               {bearer(asha_.token)[0], {"Last-Event-ID", "yesterday"}});
  expect_problem(r, 422);
  EXPECT_TRUE(contains(problem_fields(r), "Last-Event-ID"));
}

// An admin is told of a lead that waits with nobody to take it.
TEST_F(Events, AnAdminIsToldOfALeadWaitingUnassigned) {
  const Login boss = create_login(admin(), "ADMIN");
  const std::string nowhere = create_destination(admin(), unique_name("Ladakh"));
  create_map(admin(), "WEST", {MapEntry(nowhere)});  // and nobody in the WEST pool
  auto stream = open(boss);
  const std::string opp = lead(nowhere);
  auto e = stream->next_of("waiting");
  ASSERT_TRUE(e);
  EXPECT_EQ(str(e->json(), "opportunityId"), opp);
  EXPECT_EQ(str(e->json(), "pool"), "West");
}

// A reassignment tells the new agent `assigned` and the one it was taken from `unassigned`.
TEST_F(Events, AReassignmentTellsBothAgents) {
  auto asha = open(asha_);
  auto bela = open(bela_);
  const std::string opp = lead(goa_);
  ASSERT_TRUE(asha->next_of("assigned"));
  const json::object o = get_opportunity(admin(), opp);
  Response r =
      admin().post("/api/v1/opportunities/" + opp + "/reassign", json::object{{"to", bela_.id}},
                   {{"If-Match", std::to_string(*num(o, "version"))}});
  ASSERT_EQ(r.status, 200) << r.describe();
  auto taken = asha->next_of("unassigned");
  ASSERT_TRUE(taken);
  EXPECT_EQ(str(taken->json(), "opportunityId"), opp);
  EXPECT_EQ(str(taken->json(), "to"), bela_.id);
  auto given = bela->next_of("assigned");
  ASSERT_TRUE(given);
  EXPECT_EQ(str(given->json(), "opportunityId"), opp);
}

// A re-inquiry (the same number for the same destination) tells whoever holds the lead.
TEST_F(Events, AReinquiryTellsTheAgentHoldingTheLead) {
  auto stream = open(asha_);
  const std::string number = next_mobile();
  json::object body = lead_body("Dev Rao", number);
  body["destination"] = goa_;
  const std::string opp = str(ingest(admin(), body), "opportunity._id");
  ASSERT_TRUE(stream->next_of("assigned"));
  ingest(admin(), body);
  auto e = stream->next_of("reinquiry");
  ASSERT_TRUE(e);
  EXPECT_EQ(str(e->json(), "opportunityId"), opp);
  EXPECT_EQ(num(e->json(), "reInquiries"), 1);
}

// Past LEADPROC_EVENT_STREAMS_PER_USER a person's next stream is 429 problem+json; closing one
// makes room again.
class EventLimits : public OwnServerTest {};

TEST_F(EventLimits, StreamsPerPersonAreCapped) {
  start({{"LEADPROC_EVENT_STREAMS_PER_USER", "2"}});
  const Login who = create_login(admin(), "SALES");
  auto one = std::make_unique<SseClient>(server().port(), std::string(kStream), bearer(who.token));
  SseClient two(server().port(), std::string(kStream), bearer(who.token));
  ASSERT_EQ(one->status(), 200);
  ASSERT_EQ(two.status(), 200);
  SseClient three(server().port(), std::string(kStream), bearer(who.token));
  EXPECT_EQ(three.status(), 429);
  EXPECT_NE(three.body().find("LEADPROC_EVENT_STREAMS_PER_USER"), std::string::npos);
  // Closing one makes room: the server notices the client closed it (bounded polling).
  one.reset();
  bool reopened = false;
  for (int i = 0; i < 500 && !reopened; ++i) {
    SseClient again(server().port(), std::string(kStream), bearer(who.token));
    reopened = again.status() == 200;
  }
  EXPECT_TRUE(reopened);
}

// A stream ends when its session expires (and after 10 minutes at most): the client must
// reconnect, and so be authenticated again, so a session that was ended stops receiving events.
TEST_F(EventLimits, AStreamEndsWhenItsSessionExpires) {
  start({{"LEADPROC_SESSION_TTL", "20s"}, {"LEADPROC_EVENT_HEARTBEAT_SECONDS", "1"}});
  const Login who = create_login(admin(), "PSV");
  SseClient stream(server().port(), std::string(kStream), bearer(who.token));
  ASSERT_EQ(stream.status(), 200);
  for (int i = 0; i < 60 && !stream.ended(); ++i) stream.next(std::chrono::seconds(1));
  EXPECT_TRUE(stream.ended()) << "the stream outlived its session";
}

// A follow-up is announced to its owner 15 minutes before it is due (followup_due) and again
// once it is overdue (followup_overdue), each once, by the followup-alerts job (run here by hand
// on the test clock).
class FollowUpAlerts : public OwnServerTest {};

TEST_F(FollowUpAlerts, TheOwnerIsToldOfADueAndThenAnOverdueFollowUp) {
  start({{"LEADPROC_SESSION_TTL", "7d"}});  // the clock moves a day on
  const Login sam = create_login(admin(), "SALES");
  const std::string d = create_destination(admin(), unique_name("Kerala"));
  create_map(admin(), "NO-FILTER", {MapEntry(d)});
  create_availability(admin(), Poc{sam.id, "Sales", {d}, {}, 1, true});
  SseClient stream(server().port(), std::string(kStream), bearer(sam.token));
  ASSERT_EQ(stream.status(), 200);
  json::object body = lead_body("Ira Sen", next_mobile());
  body["destination"] = d;
  const std::string opp = str(ingest(admin(), body), "opportunity._id");
  ASSERT_TRUE(stream.next_of("assigned"));
  // The first contact is due 24 h after CRM entry: 14.5 minutes before, it is "due soon".
  advance_clock(admin(), std::chrono::hours(24) - std::chrono::seconds(870));
  ASSERT_EQ(admin().post("/api/v1/jobs/followup-alerts/run", json::object{}).status, 200);
  auto due = stream.next_of("followup_due");
  ASSERT_TRUE(due);
  EXPECT_EQ(str(due->json(), "opportunityId"), opp);
  EXPECT_FALSE(str(due->json(), "reminderDate").empty());
  advance_clock(admin(), std::chrono::minutes(20));
  ASSERT_EQ(admin().post("/api/v1/jobs/followup-alerts/run", json::object{}).status, 200);
  auto overdue = stream.next_of("followup_overdue");
  ASSERT_TRUE(overdue);
  EXPECT_EQ(str(overdue->json(), "opportunityId"), opp);
  for (const auto& e : stream.skipped()) EXPECT_NE(e.type, "followup_due") << "announced twice";
}

// On PostgreSQL an event raised by one instance reaches a stream open on another.
class EventsAcrossInstances : public ::testing::Test {};

TEST_F(EventsAcrossInstances, AnEventRaisedOnOneInstanceReachesAStreamOnAnother) {
  const auto url = pgtest::suite_postgres_url();
  if (!url) GTEST_SKIP() << "needs PostgreSQL (LEADPROC_TEST_DATABASE=postgresql)";
  ServerOptions options;
  options.database_url = pgtest::fresh_database(*url, "events");
  options.config_via_env = true;
  TestServer one(options);
  TestServer two(options);
  HttpClient admin_one = one.client();
  const TwoPsvAgents w = two_psv_agents(admin_one);
  SseClient stream(two.port(), std::string(kStream), bearer(w.asha.token));
  ASSERT_EQ(stream.status(), 200);
  json::object body = lead_body("Noor Ali", next_mobile());
  body["destination"] = w.goa;
  const std::string opp = str(ingest(admin_one, body), "opportunity._id");
  auto e = stream.next_of("assigned");
  ASSERT_TRUE(e) << "the event raised on instance one did not reach instance two";
  EXPECT_EQ(str(e->json(), "opportunityId"), opp);
}

}  // namespace
}  // namespace leadproc::apitest
