#include "cli/demo_data.h"

#include <boost/json/parse.hpp>
#include <iostream>

#include "app/auth.h"
#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/process_maps.h"
#include "app/users.h"
#include "app/weburls.h"
#include "cli/app_runtime.h"

namespace leadproc::cli {
namespace json = boost::json;

namespace {

// The demo goes through the same use cases as the API, so it is validated like any input.
template <typename T>
T must(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
  return std::move(r.value());
}

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

// Authentication: demo logins and a demo ingest key
// Fixed and printed, so that a rerun (which loads nothing) can print them again. They are for
// the demo database only: change the passwords and revoke the key anywhere else.
constexpr std::string_view kDemoPassword = "leadproc-demo-1";
constexpr std::string_view kDemoKey = "lpk_demo-website-form-key-not-for-production";
constexpr std::string_view kDemoKeyName = "demo website form";

struct Person {
  const char* email;
  const char* first;
  const char* last;
  const char* department;
  const char* process;
  const char* source;
};
constexpr Person kPeople[] = {
    {"admin@leadproc.test", "Ada", "Admin", "ADMIN", nullptr, nullptr},
    {"priya.psv@leadproc.test", "Priya", "Shah", "PSV", "PSV", "[]"},
    {"rahul.psv@leadproc.test", "Rahul", "Verma", "PSV", "PSV", "[]"},
    {"insta.psv@leadproc.test", "Meera", "Iyer", "PSV", "PSV", R"(["instagram"])"},
    {"wes.west@leadproc.test", "Wes", "Martin", "WEST", "West", "[]"},
    {"emma.west@leadproc.test", "Emma", "Keller", "WEST", "West", "[]"},
    {"sam.sales@leadproc.test", "Sam", "Kapoor", "SALES", "Sales", "[]"},
    {"nina.sales@leadproc.test", "Nina", "Das", "SALES", "Sales", "[]"},
};

void print_demo_logins() {
  std::cout << "web UI: http://127.0.0.1:8080/ (once `leadproc serve` runs)\n";
  std::cout << "demo logins (password " << kDemoPassword << " for each):\n";
  for (const auto& p : kPeople) std::cout << "  " << p.department << "\t" << p.email << "\n";
  std::cout << "demo ingest key (" << kDemoKeyName << ", platform website): " << kDemoKey << "\n"
            << "  log in:  curl -s -X POST localhost:8080/api/v1/auth/login -H 'Content-Type: "
               "application/json' -d '{\"email\":\"admin@leadproc.test\",\"password\":\""
            << kDemoPassword << "\"}'\n"
            << "  a lead:  curl -s -X POST localhost:8080/api/v1/leads -H 'X-Api-Key: " << kDemoKey
            << "' -H 'Content-Type: application/json' -d '{\"name\":\"Asha\",\"number\":"
               "\"9876543210\"}'\n";
}

}  // namespace

int load_demo_data(const Settings& settings) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: demo-data: " << runtime.error().detail << "\n";
    return 1;
  }
  AppContext& ctx = (*runtime)->context();
  auto existing = list_destinations(ctx);
  if (existing && !existing->empty()) {
    std::cout << "demo data: already loaded (" << existing->size() << " destinations)\n";
    print_demo_logins();
    return 0;
  }
  try {
    // Destinations: Goa and Kerala through PSV, Europe split PSV/WEST 70/30, Switzerland through
    // WEST, Bali straight to sales, Iceland upcoming.
    must(create_destination(
             ctx, obj(R"({"name":"Goa","slugs":["goa","goa-tour-packages"],"preference":1.0})")),
         "Goa");
    must(create_destination(ctx, obj(R"({"name":"Kerala","slugs":["kerala"],"preference":0.5})")),
         "Kerala");
    must(create_destination(ctx, obj(R"({"name":"Europe","slugs":["europe"],"preference":1.0})")),
         "Europe");
    must(create_destination(ctx, obj(R"({"name":"Switzerland","slugs":["switzerland"]})")),
         "Switzerland");
    must(create_destination(ctx, obj(R"({"name":"Bali","slugs":["bali"]})")), "Bali");
    must(create_destination(ctx, obj(R"({"name":"Iceland","slugs":["iceland"]})")), "Iceland");

    must(create_process_map(ctx, obj(R"({"process":"PSV","destinations":[
        {"name":"Goa","isActive":true,"loadShare":100},
        {"name":"Kerala","isActive":true,"loadShare":100},
        {"name":"Europe","isActive":true,"loadShare":70}]})")),
         "PSV map");
    must(create_process_map(ctx, obj(R"({"process":"WEST","destinations":[
        {"name":"Europe","isActive":true,"loadShare":30,"sheetName":"Europe leads","wabaNumber":"+919800000001"},
        {"name":"Switzerland","isActive":true,"loadShare":100,"sheetName":"Swiss leads","wabaNumber":"+919800000002"}]})")),
         "WEST map");
    must(create_process_map(ctx, obj(R"({"process":"NO-FILTER","destinations":[
        {"name":"Bali","isActive":true,"loadShare":100}]})")),
         "NO-FILTER map");
    must(create_process_map(ctx, obj(R"({"process":"UPCOMING","destinations":[
        {"name":"Iceland","isActive":true,"loadShare":100}]})")),
         "UPCOMING map");

    std::optional<Id> admin;
    for (const auto& p : kPeople) {
      UserInput u;
      u.email = p.email;
      u.first_name.value = p.first;
      u.last_name.value = p.last;
      u.department = parse_department(p.department);
      u.password = std::string(kDemoPassword);
      User user = must(create_user(ctx, u, std::nullopt), p.email);
      if (!admin && user.department == Department::kAdmin) admin = user.id;
      if (!p.process) continue;
      json::object a{{"personId", user.id},
                     {"process", p.process},
                     {"isAvailable", true},
                     {"source", json::parse(p.source)}};
      must(create_availability(ctx, a, std::nullopt), std::string("POC ") + p.email);
    }

    must(upsert_weburls(ctx, obj(R"({"urls":[
        "https://blog.example.com/goa/best-beaches",
        "https://blog.example.com/kerala-backwaters-guide",
        "https://blog.example.com/europe-in-10-days",
        "https://blog.example.com/top-10-honeymoon-spots"]})")),
         "web URLs");
    auto marked = must(list_weburls(ctx, WebUrlFilter{}), "web URLs");
    for (const auto& w : marked) {
      if (w.url.find("kerala-backwaters") == std::string::npos) continue;
      must(mark_weburl_destination(ctx, w.id, obj(R"({"destination":"Kerala"})"), admin),
           "mark URL");
    }
    must(install_api_key(ctx, std::string(kDemoKeyName), Platform::kWebsite, std::string(kDemoKey),
                         admin),
         "demo API key");
  } catch (const std::exception& e) {
    std::cerr << "leadproc: demo-data failed: " << e.what() << "\n";
    return 1;
  }
  std::cout << "demo data loaded: 6 destinations, 4 routing maps, 8 users, 7 POCs, 4 web URLs, "
               "1 API key\n";
  print_demo_logins();
  return 0;
}

}  // namespace leadproc::cli
