#include "cli/demo_data.h"

#include <iostream>

#include "app/auth.h"
#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/process_maps.h"
#include "app/users.h"
#include "app/weburls.h"
#include "cli/app_runtime.h"

namespace leadproc::cli {

namespace {

// The demo goes through the same use cases as the API, so it is validated like any input.
template <typename T>
T must(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
  return std::move(r.value());
}

DestinationInput destination(std::string name, std::vector<std::string> slugs,
                             std::optional<double> preference = std::nullopt) {
  DestinationInput d;
  d.name = std::move(name);
  d.slugs = std::move(slugs);
  d.preference.value = preference;
  return d;
}

// A process map entry naming its destination, active, with its loadShare (WEST: sheet, WABA).
ProcessMapEntryInput entry(std::string name, int load_share,
                           std::optional<std::string> sheet = std::nullopt,
                           std::optional<std::string> waba = std::nullopt) {
  ProcessMapEntryInput e;
  e.destination = DestinationRef{DestinationRef::By::kName, std::move(name)};
  e.is_active = true;
  e.load_share = load_share;
  e.sheet_name = std::move(sheet);
  e.waba_number = std::move(waba);
  return e;
}

ProcessMapInput process_map(FiltrationProcess process, std::vector<ProcessMapEntryInput> entries) {
  ProcessMapInput m;
  m.process = process;
  m.destinations = std::move(entries);
  return m;
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
  std::optional<AvailabilityProcess> process;
  std::optional<Platform> source;  // none: a generalist
};
constexpr Person kPeople[] = {
    {"admin@leadproc.test", "Ada", "Admin", "ADMIN", std::nullopt, std::nullopt},
    {"priya.psv@leadproc.test", "Priya", "Shah", "PSV", AvailabilityProcess::kPsv, std::nullopt},
    {"rahul.psv@leadproc.test", "Rahul", "Verma", "PSV", AvailabilityProcess::kPsv, std::nullopt},
    {"insta.psv@leadproc.test", "Meera", "Iyer", "PSV", AvailabilityProcess::kPsv,
     Platform::kInstagram},
    {"wes.west@leadproc.test", "Wes", "Martin", "WEST", AvailabilityProcess::kWest, std::nullopt},
    {"emma.west@leadproc.test", "Emma", "Keller", "WEST", AvailabilityProcess::kWest, std::nullopt},
    {"sam.sales@leadproc.test", "Sam", "Kapoor", "SALES", AvailabilityProcess::kSales,
     std::nullopt},
    {"nina.sales@leadproc.test", "Nina", "Das", "SALES", AvailabilityProcess::kSales, std::nullopt},
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
    must(create_destination(ctx, destination("Goa", {"goa", "goa-tour-packages"}, 1.0)), "Goa");
    must(create_destination(ctx, destination("Kerala", {"kerala"}, 0.5)), "Kerala");
    must(create_destination(ctx, destination("Europe", {"europe"}, 1.0)), "Europe");
    must(create_destination(ctx, destination("Switzerland", {"switzerland"})), "Switzerland");
    must(create_destination(ctx, destination("Bali", {"bali"})), "Bali");
    must(create_destination(ctx, destination("Iceland", {"iceland"})), "Iceland");

    must(create_process_map(
             ctx, process_map(FiltrationProcess::kPsv,
                              {entry("Goa", 100), entry("Kerala", 100), entry("Europe", 70)})),
         "PSV map");
    must(create_process_map(
             ctx, process_map(FiltrationProcess::kWest,
                              {entry("Europe", 30, "Europe leads", "+919800000001"),
                               entry("Switzerland", 100, "Swiss leads", "+919800000002")})),
         "WEST map");
    must(create_process_map(ctx, process_map(FiltrationProcess::kNoFilter, {entry("Bali", 100)})),
         "NO-FILTER map");
    must(
        create_process_map(ctx, process_map(FiltrationProcess::kUpcoming, {entry("Iceland", 100)})),
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
      AvailabilityInput a;
      a.person_id = user.id;
      a.process = p.process;
      a.is_available = true;
      a.source.emplace();
      if (p.source) a.source->push_back(*p.source);
      must(create_availability(ctx, a, std::nullopt), std::string("POC ") + p.email);
    }

    WebUrlsInput urls;
    urls.urls = {"https://blog.example.com/goa/best-beaches",
                 "https://blog.example.com/kerala-backwaters-guide",
                 "https://blog.example.com/europe-in-10-days",
                 "https://blog.example.com/top-10-honeymoon-spots"};
    must(upsert_weburls(ctx, urls), "web URLs");
    auto marked = must(list_weburls(ctx, WebUrlFilter{}), "web URLs");
    for (const auto& w : marked) {
      if (w.url.find("kerala-backwaters") == std::string::npos) continue;
      WebUrlMark kerala;
      kerala.destination = {true, DestinationRef{DestinationRef::By::kIdOrName, "Kerala"}};
      must(mark_weburl_destination(ctx, w.id, kerala, admin), "mark URL");
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
