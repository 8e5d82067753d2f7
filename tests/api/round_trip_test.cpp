// Whole-value round trips: what a write answers is exactly what a read answers afterwards, for
// every configuration record and for an ingested lead and its opportunity. The values are
// compared whole (json::value ==), not field by field, so a field that is answered but not
// stored, stored but not read back, or read back changed fails here without a test naming it.
#include "harness.h"

namespace leadproc::apitest {
namespace {

class RoundTripApi : public SharedServerTest<RoundTripApi> {
 protected:
  // POST `body` to `path` expecting `status`; the answer.
  json::value written(const std::string& path, const json::object& body, int status = 201) {
    Response r = http().post(path, body);
    EXPECT_EQ(r.status, status) << path << ": " << r.describe();
    return r.json();
  }
  json::value patched(const std::string& path, const json::object& body) {
    Response r = http().patch(path, body);
    EXPECT_EQ(r.status, 200) << path << ": " << r.describe();
    return r.json();
  }
  // GET `path` answers exactly `expected`.
  void expect_reads(const std::string& path, const json::value& expected) {
    Response r = http().get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.describe();
    EXPECT_EQ(r.json(), expected) << path << "\n read:    " << r.body
                                  << "\n written: " << json::serialize(expected);
  }
  // The list at `path` holds exactly `expected` (found by its _id).
  void expect_listed(const std::string& path, const json::value& expected) {
    Response r = http().get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.describe();
    const json::value list = r.json();
    for (const auto& item : at(list, "items").as_array())
      if (str(item, "_id") == str(expected, "_id")) {
        // The availabilities list adds who is working now: computed when asked, never stored.
        json::value stored = item;
        for (auto key : {"workingNow", "offDuty"})
          if (!expected.as_object().contains(key)) stored.as_object().erase(key);
        EXPECT_EQ(stored, expected) << path << "\n listed:  " << json::serialize(item)
                                    << "\n written: " << json::serialize(expected);
        return;
      }
    ADD_FAILURE() << path << " does not list " << str(expected, "_id");
  }
  void expect_deleted(const std::string& path) {
    EXPECT_EQ(http().del(path).status, 204) << path;
    EXPECT_EQ(http().get(path).status, 404) << path;
  }
};

TEST_F(RoundTripApi, Users) {
  json::value user = written(
      "/api/v1/users", json::object{{"email", "rt.user." + run_token() + "@example.test"},
                                    {"firstName", "Round"},
                                    {"lastName", "Trip"},
                                    {"phone", {{"countryCode", "+91"}, {"number", "9812345678"}}},
                                    {"department", "PSV"}});
  const std::string path = "/api/v1/users/" + str(user, "_id");
  expect_reads(path, user);
  expect_listed("/api/v1/users", user);
  json::value changed = patched(path, {{"firstName", "Rounder"}, {"phone", nullptr}});
  EXPECT_EQ(str(changed, "firstName"), "Rounder");
  expect_reads(path, changed);
  json::value deactivated = written(path + "/deactivate", {}, 200);
  EXPECT_EQ(at(deactivated, "isActive"), json::value(false));
  expect_reads(path, deactivated);
  expect_deleted(path);
}

TEST_F(RoundTripApi, DestinationsMapsAndAvailabilities) {
  json::value goa = written("/api/v1/destinations", json::object{{"name", unique_name("RT Goa")},
                                                                 {"slugs", json::array{"rt-goa"}},
                                                                 {"preference", 0.5}});
  const std::string destination = "/api/v1/destinations/" + str(goa, "_id");
  expect_reads(destination, goa);
  expect_listed("/api/v1/destinations", goa);
  json::value renamed = patched(destination, {{"name", unique_name("RT Goa North")}});
  expect_reads(destination, renamed);

  json::value map = written(
      "/api/v1/process-destination-maps",
      json::object{{"process", "WEST"},
                   {"destinations", json::array{json::object{{"_id", str(goa, "_id")},
                                                             {"loadShare", 60},
                                                             {"sheetName", "RT sheet"},
                                                             {"wabaNumber", "+919800000000"}}}}});
  const std::string map_path = "/api/v1/process-destination-maps/" + str(map, "_id");
  expect_reads(map_path, map);
  expect_listed("/api/v1/process-destination-maps", map);
  json::value remapped = patched(
      map_path,
      {{"destinations", json::array{json::object{{"_id", str(goa, "_id")}, {"isActive", false}}}}});
  expect_reads(map_path, remapped);

  // JunkAutomation: a pool no routing depends on, so this POC can be disabled and deleted.
  const std::string person = create_user(http(), "SALES", "Rota");
  json::value poc = written("/api/v1/availabilities",
                            json::object{{"personId", person},
                                         {"process", "JunkAutomation"},
                                         {"source", json::array{"website", "instagram"}},
                                         {"destinations", json::array{str(goa, "_id")}},
                                         {"seq", 3}});
  const std::string poc_path = "/api/v1/availabilities/" + str(poc, "_id");
  expect_reads(poc_path, poc);
  expect_listed("/api/v1/availabilities", poc);
  json::value paused = patched(poc_path, {{"isAvailable", false}, {"seq", nullptr}});
  expect_reads(poc_path, paused);

  expect_deleted(poc_path);
  expect_deleted(map_path);
  expect_deleted(destination);
}

TEST_F(RoundTripApi, WebUrls) {
  const std::string url = "https://rt-" + run_token() + ".example.test/goa-beaches";
  json::value upserted = written("/api/v1/weburls", {{"urls", json::array{url}}}, 200);
  const json::value stored = at(upserted, "urls").as_array().at(0);
  const std::string path = "/api/v1/weburls/" + str(stored, "_id");
  expect_reads(path, stored);
  const std::string destination = create_destination(http(), unique_name("RT Kerala"));
  json::value marked = written(path + "/destination", {{"destination", destination}}, 200);
  EXPECT_EQ(str(marked, "destination._id"), destination);
  expect_reads(path, marked);
}

TEST_F(RoundTripApi, ApiKeysAndScoreConfigurations) {
  json::value issued = written("/api/v1/api-keys", {{"name", "RT form"}, {"platform", "paid_ads"}});
  ASSERT_TRUE(at(issued, "key").is_string()) << "the key is shown once, on creation";
  json::value key = issued;
  key.as_object().erase("key");  // never shown again
  const std::string key_path = "/api/v1/api-keys/" + str(key, "_id");
  expect_reads(key_path, key);
  expect_listed("/api/v1/api-keys", key);
  EXPECT_EQ(http().del(key_path).status, 204);
  key.as_object()["revoked"] = true;
  expect_reads(key_path, key);

  json::object weights;
  for (const char* w : {"paidAds", "websiteOrganic", "instagram", "instagramQualified", "whatsapp",
                        "whatsappQualified", "directCall", "reEnquiries", "visa", "flightsBooked",
                        "exClient", "hotLead"})
    weights[w] = 1.5;
  json::value config = written("/api/v1/score-configurations", weights);
  const std::string config_path = "/api/v1/score-configurations/" + str(config, "_id");
  expect_reads(config_path, config);
  json::value active = written(config_path + "/activate", {}, 200);
  EXPECT_EQ(at(active, "isActive"), json::value(true));
  expect_reads(config_path, active);
}

TEST_F(RoundTripApi, LeadAndOpportunity) {
  json::object body = lead_body("Round Trip", next_mobile(), "paid_ads");
  body["email"] = "rt.lead@example.test";
  body["pax"] = 3;
  body["page"] = "https://rt.example.test/offer?utm_source=x";
  body["destination"] = "Nowhere in particular";  // kept as written though it resolves to none
  body["utmCampaign"] = "winter";
  body["eventTime"] = 1767225600;
  body["sourceMeta"] = json::object{{"formName", "RT form"}, {"subSource", "story"}};
  body["tags"] = json::array{"hot"};
  json::object answer = ingest(http(), body);
  expect_reads("/api/v1/leads/" + str(answer, "lead._id"), answer.at("lead"));
  const std::string path = "/api/v1/opportunities/" + str(answer, "opportunity._id");
  expect_reads(path, answer.at("opportunity"));
  json::value edited =
      patched(path, {{"travelDate", "March 2027"}, {"agentNotes", "prefers calls"}});
  EXPECT_EQ(str(edited, "travelDate"), "March 2027");
  expect_reads(path, edited);
}

TEST_F(RoundTripApi, WonWithItsBookingAndDealValue) {
  // Unknown → resolved (enters the CRM at fresh_lead) → followup → won with the booking.
  json::object body = lead_body("Won Trip", next_mobile());
  body["destination"] = "Somewhere unlisted";
  json::object answer = ingest(http(), body);
  const std::string path = "/api/v1/opportunities/" + str(answer, "opportunity._id");
  const std::string goa = create_destination(http(), unique_name("Goa"));
  for (json::object move : {json::object{{"to", "UnknownResolved"}, {"destination", goa}},
                            json::object{{"to", "followup"}}})
    ASSERT_EQ(http().post(path + "/transitions", move).status, 200);
  json::value won = written(path + "/transitions",
                            {{"to", "won"},
                             {"bookingId", "BK-RT-7"},
                             {"dealValue", {{"amount", "98000.00"}, {"currency", "INR"}}}},
                            200);
  EXPECT_EQ(str(won, "dealValue.amount"), "98000.00");
  expect_reads(path, won);
}

}  // namespace
}  // namespace leadproc::apitest
