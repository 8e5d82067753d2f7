// Search and the customer view (docs/api-search.md), black-box on the running binary (both
// stores: api_sqlite and api_postgresql): every way a person types a number finds the same
// opportunity; names match word by word whatever the case, accents or script; an agent sees
// only their own leads, plus how many of the number are someone else's and whose.
#include "auth_support.h"
#include "harness.h"

namespace leadproc::apitest {
namespace {

// One server on a database of its own: the PSV pool holds only the two agents made here.
class Search : public TwoPsvAgentsTest<Search> {
 protected:
  // A lead of `name` and `number` for `destination`; returns its opportunity.
  json::object lead(std::string_view name, std::string_view number, const std::string& destination,
                    std::optional<std::string> email = std::nullopt) {
    json::object body = lead_body(name, number);
    body["destination"] = destination;
    if (email) body["email"] = *email;
    return ingest(admin(), body).at("opportunity").as_object();
  }

  // GET /api/v1/search?q=<q> as `as` (the admin when empty), expecting 200.
  json::value search(const std::string& q, const Headers& as = {}, const std::string& more = "") {
    HttpClient anonymous(server_->base_url());  // the agent's token only, not the admin's
    HttpClient& http = as.empty() ? admin() : anonymous;
    Response r = http.get("/api/v1/search?q=" + encode(q) + more, as);
    EXPECT_EQ(r.status, 200) << q << ": " << r.describe();
    return r.status == 200 ? r.json() : json::value();
  }
  static std::vector<std::string> ids(const json::value& answer) {
    std::vector<std::string> out;
    if (answer.is_object())
      for (const auto& item : at(answer, "items").as_array()) out.push_back(str(item, "_id"));
    return out;
  }
  // Percent-encodes everything but unreserved characters.
  static std::string encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
    return out;
  }
};

TEST_F(Search, EveryWayOfTypingTheNumberFindsTheSameOpportunity) {
  const std::string mobile = next_mobile();  // "9XXXXXXXXX"
  const std::string id = str(lead("Typed Number", mobile, goa_), "_id");
  const std::string spaced = mobile.substr(0, 5) + " " + mobile.substr(5);
  for (const std::string& typed :
       {mobile, spaced, "+91 " + spaced, "0" + mobile, "91" + mobile, e164_in(mobile),
        "+91-" + mobile.substr(0, 5) + "-" + mobile.substr(5), mobile.substr(4),
        mobile.substr(3)}) {
    json::value answer = search(typed);
    EXPECT_EQ(ids(answer), std::vector<std::string>{id}) << typed;
    EXPECT_EQ(str(answer, "kind"), "number") << typed;
    EXPECT_EQ(num(answer, "hidden.count"), 0) << typed;
  }
}

TEST_F(Search, NamesMatchWordsInAnyOrderWhateverTheCaseAccentsOrScript) {
  const std::string tag = "Zqx" + run_token().substr(0, 4);  // a word no other lead has
  const std::string jose = str(lead("José Müller " + tag, next_mobile(), goa_), "_id");
  const std::string asha = str(lead("आशा राव " + tag, next_mobile(), goa_), "_id");
  EXPECT_EQ(ids(search("jose muller " + tag)), std::vector<std::string>{jose});
  EXPECT_EQ(ids(search("MÜLLER  josé " + tag)), std::vector<std::string>{jose});
  EXPECT_EQ(ids(search("Jose\xCC\x81 " + tag)), std::vector<std::string>{jose});  // decomposed é
  EXPECT_EQ(ids(search("राव " + tag)), std::vector<std::string>{asha});
  EXPECT_EQ(ids(search(tag)), (std::vector<std::string>{asha, jose}));  // newest first
  EXPECT_TRUE(ids(search("muller राव " + tag)).empty());
  json::value by_name = search(tag);
  EXPECT_EQ(str(by_name, "kind"), "name");
  EXPECT_TRUE(at(by_name, "hidden").is_null());
}

TEST_F(Search, ByEmailAndById) {
  const std::string email = "Mixed.Case." + run_token() + "@Example.com";
  const std::string id = str(lead("Mail Person", next_mobile(), goa_, email), "_id");
  std::string lower = email;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(ids(search(lower)), std::vector<std::string>{id});
  EXPECT_EQ(ids(search(id)), std::vector<std::string>{id});
}

TEST_F(Search, AnAgentSeesTheirOwnAndWhoHasTheRest) {
  const std::string mobile = next_mobile();
  const std::string mine = str(lead("Returning Caller", mobile, goa_), "_id");     // Asha's
  const std::string theirs = str(lead("Returning Caller", mobile, bali_), "_id");  // Bela's
  ASSERT_EQ(str(get_opportunity(admin(), mine), "assignedPsv._id"), asha_.id);
  ASSERT_EQ(str(get_opportunity(admin(), theirs), "assignedPsv._id"), bela_.id);

  json::value as_asha = search(mobile, bearer(asha_.token));
  EXPECT_EQ(ids(as_asha), std::vector<std::string>{mine});
  EXPECT_EQ(num(as_asha, "hidden.count"), 1);
  ASSERT_EQ(at(as_asha, "hidden.owners").as_array().size(), 1u);
  EXPECT_EQ(str(at(as_asha, "hidden.owners").as_array()[0], "_id"), bela_.id);
  EXPECT_EQ(str(at(as_asha, "hidden.owners").as_array()[0], "name"), "Auth PSV");
  EXPECT_EQ(json::serialize(as_asha).find(theirs), std::string::npos);  // not even its id

  // The admin reads both, hides nothing.
  json::value as_admin = search(mobile);
  EXPECT_EQ(ids(as_admin), (std::vector<std::string>{theirs, mine}));
  EXPECT_EQ(num(as_admin, "hidden.count"), 0);
  // A name search shows the agent their own only, and counts nothing.
  json::value by_name = search("returning caller", bearer(bela_.token));
  EXPECT_EQ(ids(by_name), std::vector<std::string>{theirs});
  // Somebody else's id is not found.
  EXPECT_TRUE(ids(search(theirs, bearer(asha_.token))).empty());
}

// An agent's name search follows the assignment: a lead handed to them is found by its name as
// theirs at once, and no longer by the agent who had it (the index is kept per person: the
// scoped search reads only the caller's own entries, docs/benchmarks.md section 8).
TEST_F(Search, AnAgentsNameSearchFollowsReassignment) {
  const std::string name = "Handed Over" + run_token().substr(0, 4);
  const std::string id = str(lead(name, next_mobile(), bali_), "_id");  // Bela's
  EXPECT_EQ(ids(search(name, bearer(bela_.token))), std::vector<std::string>{id});
  EXPECT_TRUE(ids(search(name, bearer(asha_.token))).empty());
  Response r = admin().post("/api/v1/opportunities/" + id + "/reassign",
                            json::object{{"to", asha_.id}, {"remarks", "Bela is away"}});
  ASSERT_EQ(r.status, 200) << r.describe();
  EXPECT_EQ(ids(search(name, bearer(asha_.token))), std::vector<std::string>{id});
  EXPECT_EQ(ids(search(name.substr(0, 6), bearer(asha_.token))), std::vector<std::string>{id});
  EXPECT_TRUE(ids(search(name, bearer(bela_.token))).empty());
  EXPECT_EQ(ids(search(name)), std::vector<std::string>{id});  // the admin: unscoped
}

TEST_F(Search, PagesNewestFirstAndRefusesBadParameters) {
  const std::string tag = "Pgx" + run_token().substr(0, 4);
  std::vector<std::string> made;
  for (int i = 0; i < 3; ++i)
    made.insert(made.begin(), str(lead("Page " + tag, next_mobile(), goa_), "_id"));
  json::value first = search(tag, {}, "&limit=2");
  EXPECT_EQ(ids(first), (std::vector<std::string>{made[0], made[1]}));
  ASSERT_EQ(str(first, "nextCursor"), made[1]);
  json::value second = search(tag, {}, "&limit=2&cursor=" + made[1]);
  EXPECT_EQ(ids(second), std::vector<std::string>{made[2]});
  EXPECT_TRUE(at(second, "nextCursor").is_null());

  Response bad = admin().get("/api/v1/search?q=12345&limit=0&cursor=x&colour=red");
  expect_problem(bad, 422);
  for (const char* field : {"q", "limit", "cursor", "colour"})
    EXPECT_TRUE(contains(problem_fields(bad), field)) << field << ": " << bad.describe();
  expect_problem(admin().get("/api/v1/search"), 422);
  EXPECT_TRUE(contains(problem_fields(admin().get("/api/v1/search?q=%20")), "q"));
}

TEST_F(Search, TheCustomerViewListsEveryEnquiryWithDuplicatesUnderTheirOriginal) {
  const std::string mobile = next_mobile();
  const std::string goa = str(lead("Whole Story", mobile, goa_), "_id");
  json::object again = lead("Whole Story", "0" + mobile, goa_);  // the same enquiry again
  ASSERT_EQ(at(again, "isDuplicate"), json::value(true));
  const std::string bali = str(lead("Whole Story", mobile, bali_), "_id");

  for (const std::string& typed : {e164_in(mobile), "0" + mobile, mobile}) {
    Response r = admin().get("/api/v1/customers/" + encode(typed));
    ASSERT_EQ(r.status, 200) << r.describe();
    json::value view = r.json();
    EXPECT_EQ(str(view, "number"), e164_in(mobile));
    const auto& items = at(view, "items").as_array();
    ASSERT_EQ(items.size(), 2u) << r.body;
    EXPECT_EQ(str(items[0], "_id"), bali);
    EXPECT_EQ(str(items[1], "_id"), goa);
    EXPECT_EQ(str(items[1], "status"), "InPSV");
    ASSERT_EQ(at(items[1], "duplicates").as_array().size(), 1u);
    EXPECT_EQ(str(at(items[1], "duplicates").as_array()[0], "_id"), str(again, "_id"));
    EXPECT_TRUE(at(items[0], "duplicates").as_array().empty());
    EXPECT_EQ(num(view, "hidden.count"), 0);
  }

  // Asha reads her Goa enquiry; Bali is Bela's, and the duplicate nobody's (duplicates are not
  // assigned: only an admin reads them), so both are counted, and Bela named.
  HttpClient anonymous(server_->base_url());
  Response as_asha = anonymous.get("/api/v1/customers/" + mobile, bearer(asha_.token));
  ASSERT_EQ(as_asha.status, 200) << as_asha.describe();
  json::value view = as_asha.json();
  ASSERT_EQ(at(view, "items").as_array().size(), 1u);
  EXPECT_EQ(str(at(view, "items").as_array()[0], "_id"), goa);
  EXPECT_TRUE(at(at(view, "items").as_array()[0], "duplicates").as_array().empty());
  EXPECT_EQ(num(view, "hidden.count"), 2);
  ASSERT_EQ(at(view, "hidden.owners").as_array().size(), 1u);
  EXPECT_EQ(str(at(view, "hidden.owners").as_array()[0], "_id"), bela_.id);
  EXPECT_EQ(str(at(view, "hidden.owners").as_array()[0], "name"), "Auth PSV");
  EXPECT_EQ(as_asha.body.find(bali), std::string::npos);

  // A number nobody sent: an empty view. Not a number: 422 naming it.
  Response none = admin().get("/api/v1/customers/+14155550123");
  ASSERT_EQ(none.status, 200) << none.describe();
  EXPECT_TRUE(at(none.json(), "items").as_array().empty());
  Response bad = admin().get("/api/v1/customers/not-a-number");
  expect_problem(bad, 422);
  EXPECT_TRUE(contains(problem_fields(bad), "number")) << bad.describe();
}

}  // namespace
}  // namespace leadproc::apitest
