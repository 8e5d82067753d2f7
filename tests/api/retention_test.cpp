// Retention (app/retention.h; docs/operations.md "Retention"), black-box on each store, on the
// server's test clock: the `retention` job deletes the outbox's events older than
// LEADPROC_RETENTION_DAYS and the idempotency records past their replay window, and nothing
// newer: a later lead's events stay listed and its key is still replayed. A bad setting stops the
// server from starting, naming it.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace leadproc::apitest {
namespace {

// The opportunity ids the outbox's events are about, in order.
std::vector<std::string> outbox_opportunities(HttpClient& http) {
  std::vector<std::string> out;
  std::int64_t after = 0;
  for (;;) {
    Response r = http.get("/api/v1/outbox/events?limit=500&after=" + std::to_string(after));
    EXPECT_EQ(r.status, 200) << r.describe();
    if (r.status != 200) return out;
    const json::value v = r.json();
    for (const auto& item : at(v, "items").as_array()) {
      after = *num(item, "seq");
      out.push_back(str(item, "event.data.opportunity._id"));
    }
    if (at(v, "next").is_null()) return out;
  }
}

std::size_t count_of(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<std::size_t>(std::count(ids.begin(), ids.end(), id));
}

json::object run_retention(HttpClient& http) {
  Response r = http.post("/api/v1/jobs/retention/run", json::object{});
  EXPECT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(str(r.json(), "outcome"), "ok") << r.describe();
  const json::value v = r.json();
  return v.is_object() && at(v, "counts").is_object() ? at(v, "counts").as_object()
                                                      : json::object{};
}

TEST(Retention, TheJobDeletesWhatIsPastItsTimeAndNothingNewer) {
  ServerOptions options;
  options.env = {{"LEADPROC_SESSION_TTL", "30d"}, {"LEADPROC_RETENTION_DAYS", "2"}};
  TestServer server(options);
  HttpClient http = server.client();
  const std::string d = create_destination(http, unique_name("Ubud"));
  create_map(http, "NO-FILTER", {MapEntry(d)});

  json::object old_body = lead_body("Old", next_mobile());
  old_body["destination"] = d;
  const Headers old_key = {{"Idempotency-Key", unique_name("old")}};
  Response first = post_lead(http, old_body, old_key);
  ASSERT_EQ(first.status, 201) << first.describe();
  const std::string old_opp = str(first.json(), "opportunity._id");
  ASSERT_FALSE(old_opp.empty()) << first.describe();
  ASSERT_GT(count_of(outbox_opportunities(http), old_opp), 0u);

  advance_clock(http, std::chrono::hours(24 * 3));
  json::object new_body = lead_body("New", next_mobile());
  new_body["destination"] = d;
  const Headers new_key = {{"Idempotency-Key", unique_name("new")}};
  Response second = post_lead(http, new_body, new_key);
  ASSERT_EQ(second.status, 201) << second.describe();
  const std::string new_opp = str(second.json(), "opportunity._id");
  const std::size_t new_events = count_of(outbox_opportunities(http), new_opp);
  ASSERT_GT(new_events, 0u);

  // The webhook sender marks events fanned out a moment after their commit (every 250 ms): run
  // the job until the old lead's events are gone (bounded).
  std::int64_t events = 0, records = 0;
  for (int i = 0; i < 100 && count_of(outbox_opportunities(http), old_opp) > 0; ++i) {
    json::object counts = run_retention(http);
    events += num(counts, "outboxEvents").value_or(0);
    records += num(counts, "idempotencyRecords").value_or(0);
    if (count_of(outbox_opportunities(http), old_opp) > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto listed = outbox_opportunities(http);
  EXPECT_EQ(count_of(listed, old_opp), 0u) << "the old lead's events are past the 2 days";
  EXPECT_EQ(count_of(listed, new_opp), new_events) << "the new lead's events stay";
  EXPECT_GE(events, 1);
  EXPECT_GE(records, 1) << "the old key is past its 24-hour window";

  // The new key is still replayed (its record stayed); the old one now makes a new lead, as it
  // did before the job (a record past the window is ignored).
  Response replay = post_lead(http, new_body, new_key);
  EXPECT_EQ(replay.status, 200) << replay.describe();
  EXPECT_EQ(str(replay.json(), "opportunity._id"), new_opp);
  Response again = post_lead(http, old_body, old_key);
  EXPECT_EQ(again.status, 201) << again.describe();
}

TEST(Retention, ABadSettingStopsTheServerNamingIt) {
  for (const char* bad : {"-1", "3651"}) {
    auto [code, out] = run_command(
        "LEADPROC_RETENTION_DAYS=" + std::string(bad) + " " + LEADPROC_BINARY +
        " --database-url sqlite:/tmp/leadproc-retention-never.db jobs run retention 2>&1");
    EXPECT_NE(code, 0) << out;
    EXPECT_NE(out.find("LEADPROC_RETENTION_DAYS"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace leadproc::apitest
