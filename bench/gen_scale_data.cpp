// leadproc-gen: fills a SQLite or PostgreSQL database with the spec's upper sizes (1,000,000 leads
// and rawopportunities, 5,000,000 activities, 10,000 web URLs, 500 users, 200 destinations;
// follow-ups and notes when the schema has them) with realistic distributions, for the query and
// ingest benchmarks.
//
// It is a fixture generator, not the product path, but every row goes through the product's own
// code so that the server reads it back: configuration through the use cases (validated like the
// API), and leads, opportunities, activities and web URLs through the adapter's WriteTx (the
// same column mapping and codec::to_json documents as ingestion), many rows per transaction (on
// SQLite with synchronous=NORMAL). The data are planned first, in memory, so that the counters
// agree with the rows: every POC's leadCount/totalCount is the number of opportunities assigned to
// it, every web URL's hits the number of leads from it, every original's reInquiries the number of
// its duplicates, and at most one open original exists per number and destination.
//
//   leadproc-gen --db bench-data/scale.db [--scale 0.1] [--seed 42] [--force]
//   leadproc-gen --database-url postgresql://... [--scale 0.1]   (an empty database)
#include <sqlite3.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <random>
#include <unordered_map>

#include <unistd.h>

#include "app/availabilities.h"
#include "app/context.h"
#include "app/destinations.h"
#include "app/process_maps.h"
#include "app/stage_periods.h"
#include "app/users.h"
#include "bench_common.h"
#include "cli/progress.h"
#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "domain/reasons.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

using namespace leadproc;
using bench::Clock;
using bench::seconds_since;

namespace {

using Rng = std::mt19937_64;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

template <typename T>
T must(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
  return std::move(r.value());
}
void must(const Status& s, std::string_view what) {
  if (!s) throw std::runtime_error(std::string(what) + ": " + s.error().detail);
}

Timestamp at_ms(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}
std::int64_t ms_of(Timestamp t) {
  return t.time_since_epoch().count();
}

// ---------------------------------------------------------------------------------------------
// Names

const std::vector<std::string> kPlaces = {
    "Goa",         "Kerala",      "Kashmir",   "Manali",      "Ladakh",       "Andaman",
    "Rajasthan",   "Sikkim",      "Meghalaya", "Darjeeling",  "Ooty",         "Coorg",
    "Shimla",      "Rishikesh",   "Varanasi",  "Agra",        "Mysore",       "Pondicherry",
    "Hampi",       "Lakshadweep", "Spiti",     "Munnar",      "Udaipur",      "Jaipur",
    "Bali",        "Thailand",    "Dubai",     "Singapore",   "Maldives",     "Europe",
    "Switzerland", "Paris",       "Italy",     "Greece",      "Turkey",       "Egypt",
    "Vietnam",     "Sri Lanka",   "Nepal",     "Bhutan",      "Mauritius",    "Seychelles",
    "Japan",       "South Korea", "Australia", "New Zealand", "Iceland",      "Norway",
    "Finland",     "Scotland",    "Ireland",   "Spain",       "Portugal",     "Croatia",
    "Malaysia",    "Cambodia",    "Kenya",     "Tanzania",    "South Africa", "Georgia"};
const std::vector<std::string> kFlavours = {"Honeymoon", "Family", "Adventure", "Luxury",
                                            "Budget",    "Group",  "Weekend",   "Pilgrimage"};
const std::vector<std::string> kFirst = {
    "Aarav",   "Vivaan", "Aditya", "Vihaan", "Arjun",  "Sai",    "Reyansh", "Ayaan",
    "Krishna", "Ishaan", "Ananya", "Diya",   "Priya",  "Saanvi", "Aadhya",  "Kavya",
    "Meera",   "Riya",   "Neha",   "Pooja",  "Rahul",  "Rohan",  "Karan",   "Nikhil",
    "Sneha",   "Anjali", "Divya",  "Manish", "Suresh", "Lakshmi"};
const std::vector<std::string> kLast = {
    "Sharma", "Verma",  "Gupta",  "Singh",    "Kumar",    "Patel",     "Shah",   "Iyer",   "Nair",
    "Reddy",  "Rao",    "Menon",  "Das",      "Bose",     "Joshi",     "Mehta",  "Kapoor", "Khan",
    "Jain",   "Pillai", "Chopra", "Malhotra", "Banerjee", "Mukherjee", "Agarwal"};
const std::vector<std::string> kTopics = {
    "best-beaches", "travel-guide", "itinerary", "honeymoon",  "packages",   "things-to-do",
    "budget-trip",  "visa-guide",   "weather",   "top-hotels", "food-trail", "road-trip"};
const std::vector<std::string> kSites = {"https://www.example-holidays.com",
                                         "https://blog.example-holidays.com",
                                         "https://offers.example-holidays.com"};

std::string slugify(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  return out;
}

template <typename T>
const T& any_of(Rng& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

bool chance(Rng& rng, double p) {
  return std::uniform_real_distribution<double>(0, 1)(rng) < p;
}

// ---------------------------------------------------------------------------------------------
// The plan

enum class Proc : std::uint8_t { kPsv, kWest, kNoFilter, kUpcoming, kSplit };

struct DestPlan {
  Destination dest;
  Proc proc = Proc::kPsv;
  std::string sheet;  // WEST entries
  std::string waba;
  std::int64_t split_counter = 0;  // for Proc::kSplit: smooth 70/30 PSV/WEST
};

struct PocPlan {
  Availability a;
  std::vector<std::size_t> dests;  // destination indexes; empty: all
  std::int64_t assigned = 0;
};

struct UrlPlan {
  WebUrl w;
  std::optional<std::size_t> resolves_to;  // marked destination, else a slug in the path
  std::int64_t hits = 0;
  std::int64_t last_hit_ms = 0;
};

struct OppPlan {
  std::int64_t created_ms = 0;
  std::uint32_t number = 0;  // index into the number space
  std::int32_t dest = -1;
  std::int32_t url = -1;
  std::int32_t dup_of = -1;
  std::int32_t re_inquiries = 0;
  std::int32_t psv = -1;  // POC indexes
  std::int32_t west = -1;
  std::int32_t owner = -1;
  Platform platform = Platform::kWebsite;
  bool explicit_dest = false;
  std::uint8_t activities = 1;
  std::uint8_t notes = 0;
};

// The final state of an original, compactly (the plan holds a million of them).
struct State {
  OpportunityStatus status = OpportunityStatus::kUnderProcessing;
  std::optional<FiltrationProcess> process;
  std::int16_t stage = -1;   // interned filtrationStatus.stage
  std::int16_t reason = -1;  // interned disqualification reason
  std::optional<CrmStage> crm_stage;
  std::int16_t sub_stage = -1;  // interned
  std::int16_t rejection = -1;  // interned
  std::int16_t followups = 0;
  bool pushed = false;
  std::int64_t crm_entry_ms = 0;
  std::int64_t next_follow_up_ms = 0;  // 0: none
};

struct Counts {
  std::size_t leads, activities, urls, notes, followups;
};

class Generator {
 public:
  Generator(Store& store, AppContext& ctx, Timestamp& clock, std::uint64_t seed, double scale,
            std::int64_t end_ms)
      : store_(store), ctx_(ctx), clock_(clock), rng_(seed), scale_(scale), end_ms_(end_ms) {
    start_ms_ = end_ms_ - 730 * kDayMs;
    n_ = static_cast<std::size_t>(1'000'000 * scale);
    counts_ = {n_, static_cast<std::size_t>(5'000'000 * scale),
               std::max<std::size_t>(100, static_cast<std::size_t>(10'000 * scale)),
               static_cast<std::size_t>(500'000 * scale),
               static_cast<std::size_t>(500'000 * scale)};
  }

  void configure() {
    clock_ = at_ms(start_ms_ - kDayMs);
    make_destinations();
    make_maps();
    make_people();
    make_urls();
  }

  void plan() {
    // Creation times over two years, denser towards the end (the business grows): density
    // proportional to 1 + t, so t = (sqrt(1 + 3u) - 1).
    std::vector<std::int64_t> times(n_);
    std::uniform_real_distribution<double> u01(0, 1);
    const double span = static_cast<double>(end_ms_ - start_ms_ - kDayMs);
    for (auto& t : times)
      t = start_ms_ + static_cast<std::int64_t>(span * (std::sqrt(1 + 3 * u01(rng_)) - 1));
    std::sort(times.begin(), times.end());

    const std::vector<double> platform_w = {14, 10, 6, 30, 30, 0, 4, 4, 2};
    const std::vector<Platform> platforms = {
        Platform::kInstagram, Platform::kWhatsappBot,   Platform::kDc,
        Platform::kWebsite,   Platform::kPaidAds,       Platform::kJunkAutomation,
        Platform::kReferral,  Platform::kGoogleAdsWest, Platform::kCrmDirect};
    bench::Zipf dest_zipf(dests_.size(), 1.0);
    bench::Zipf url_zipf(urls_.size(), 1.1);
    std::unordered_map<std::uint64_t, std::int32_t> open_original;  // (number, dest) -> opp
    std::vector<std::pair<std::uint32_t, std::int32_t>> recent;     // (number, dest) ring
    recent.reserve(5000);
    std::uint32_t next_number = 0;

    opps_.resize(n_);
    states_.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) {
      OppPlan& o = opps_[i];
      o.created_ms = times[i];
      o.platform = platforms[bench::pick_weighted(rng_, platform_w)];
      const bool web = o.platform == Platform::kWebsite || o.platform == Platform::kPaidAds;
      if (web && chance(rng_, 0.7)) o.url = static_cast<std::int32_t>(url_zipf(rng_));
      // Destination: explicit (the form's dropdown) or from the page; ~8% end up unknown.
      if (o.url < 0 ? chance(rng_, 0.92) : chance(rng_, 0.4)) {
        o.dest = static_cast<std::int32_t>(dest_zipf(rng_));
        o.explicit_dest = true;
      } else if (o.url >= 0 && urls_[o.url].resolves_to) {
        o.dest = static_cast<std::int32_t>(*urls_[o.url].resolves_to);
      }
      // ~6% of leads come back: the same number, often for the same destination.
      if (!recent.empty() && chance(rng_, 0.06)) {
        const auto& [number, dest] = any_of(rng_, recent);
        o.number = number;
        if (chance(rng_, 0.7)) {
          o.dest = dest;
          o.explicit_dest = o.dest >= 0;
        }
      } else {
        o.number = next_number++;
      }
      if (recent.size() < 5000)
        recent.emplace_back(o.number, o.dest);
      else
        recent[i % 5000] = {o.number, o.dest};
      if (o.url >= 0) {
        urls_[o.url].hits++;
        urls_[o.url].last_hit_ms = o.created_ms;
      }

      const std::uint64_t key = (std::uint64_t{o.number} << 16) | std::uint16_t(o.dest + 1);
      if (auto it = open_original.find(key); it != open_original.end()) {
        o.dup_of = it->second;
        opps_[it->second].re_inquiries++;
        o.activities = 1;
        continue;
      }
      if (!decide(o, i)) open_original[key] = static_cast<std::int32_t>(i);
    }
    // Spread activities so the total is the target (each has at least its capture activity).
    std::size_t total = 0;
    for (const auto& o : opps_) total += o.activities;
    for (const auto& o : opps_) total += o.re_inquiries;  // re-inquiry activities on originals
    std::size_t extra = counts_.activities > total ? counts_.activities - total : 0;
    std::geometric_distribution<int> geo(0.25);
    while (extra > 0) {
      auto& o = opps_[std::uniform_int_distribution<std::size_t>(0, n_ - 1)(rng_)];
      if (o.dup_of >= 0) continue;
      int k = std::min<int>({geo(rng_) + 1, static_cast<int>(extra), 250 - o.activities});
      if (k <= 0) continue;
      o.activities = static_cast<std::uint8_t>(o.activities + k);
      extra -= static_cast<std::size_t>(k);
    }
    // Notes on random originals (some opportunities collect many).
    for (std::size_t left = counts_.notes; left > 0;) {
      auto& o = opps_[std::uniform_int_distribution<std::size_t>(0, n_ - 1)(rng_)];
      if (o.dup_of >= 0 || o.notes >= 40) continue;
      ++o.notes;
      --left;
    }
    // Follow-ups: every open CRM opportunity has its active one (what "due today" finds); the
    // completed history is thinned so that the total is the target.
    std::size_t active = 0;
    std::size_t history = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      const State& st = states_[i];
      if (opps_[i].dup_of >= 0 || !st.crm_stage) continue;
      history += static_cast<std::size_t>(st.followups);
      if (st.next_follow_up_ms) ++active;
    }
    keep_history_ =
        history == 0
            ? 0
            : std::clamp(static_cast<double>(counts_.followups) - static_cast<double>(active), 0.0,
                         static_cast<double>(history)) /
                  static_cast<double>(history);
  }

  // Writes leads, opportunities and activities in time order, `batch` opportunities per
  // transaction; then web URLs and POC counters.
  void emit(std::size_t batch) {
    const auto start = Clock::now();
    std::size_t activities = 0;
    std::size_t followups = 0;
    std::size_t notes = 0;
    cli::Progress progress(std::cerr, cli::Progress::is_terminal(STDERR_FILENO), "generate",
                           "opportunities");
    progress.set_total(static_cast<std::int64_t>(n_));
    for (std::size_t from = 0; from < n_; from += batch) {
      const std::size_t to = std::min(n_, from + batch);
      must(store_.write([&](WriteTx& tx) -> Status {
        for (std::size_t i = from; i < to; ++i) {
          Lead lead;
          Opportunity opp;
          std::vector<Activity> acts;
          std::vector<FollowUp> fus;
          std::vector<Note> ns;
          build(i, lead, opp, acts);
          build_workflow(i, opp, fus, ns);
          if (auto s = tx.insert_lead(lead); !s) return s;
          if (auto s = tx.insert_opportunity(opp); !s) return s;
          if (auto s = write_stays(tx, i, opp); !s) return s;
          for (const auto& a : acts)
            if (auto s = tx.insert_activity(a); !s) return s;
          for (const auto& f : fus)
            if (auto s = tx.insert_followup(f); !s) return s;
          for (const auto& n : ns)
            if (auto s = tx.insert_note(n); !s) return s;
          activities += acts.size();
          followups += fus.size();
          notes += ns.size();
        }
        return ok_status();
      }),
           "writing opportunities");
      progress.update(static_cast<std::int64_t>(to));
    }
    progress.finish(static_cast<std::int64_t>(n_));
    std::cerr << "  with " << activities << " activities, " << followups << " follow-ups, " << notes
              << " notes (" << seconds_since(start) << " s)\n";
    must(store_.write([&](WriteTx& tx) -> Status {
      for (auto& u : urls_) {
        u.w.hits = u.hits;
        if (u.hits > 0) u.w.last_hit_at = at_ms(u.last_hit_ms);
        if (auto s = tx.insert_weburl(u.w); !s) return s;
      }
      for (auto& p : pocs_) {
        p.a.lead_count = p.assigned;
        p.a.total_count = p.assigned;
        if (auto s = tx.update_availability(p.a); !s) return s;
      }
      return ok_status();
    }),
         "writing web URLs and counters");
    activities_written_ = activities;
    followups_written_ = followups;
    notes_written_ = notes;
  }

  std::size_t opportunities() const { return n_; }
  std::size_t activities_written() const { return activities_written_; }
  std::size_t followups_written() const { return followups_written_; }
  std::size_t notes_written() const { return notes_written_; }
  const Counts& targets() const { return counts_; }
  const std::vector<OppPlan>& opps() const { return opps_; }
  const std::vector<Id>& opp_ids() const { return opp_ids_; }
  const std::vector<PocPlan>& pocs() const { return pocs_; }
  std::int64_t end_ms() const { return end_ms_; }

 private:
  // ---- configuration, through the use cases ----
  void make_destinations() {
    std::vector<std::string> names = kPlaces;
    for (std::size_t k = 0; names.size() < 200; ++k)
      names.push_back(kPlaces[k % kPlaces.size()] + " " +
                      kFlavours[(k / kPlaces.size()) % kFlavours.size()]);
    for (std::size_t i = 0; i < names.size(); ++i) {
      const double pref = i < 140 ? 1.0 : (i % 3 == 0 ? 0.5 : (i % 3 == 1 ? 0.34 : 0.25));
      DestinationInput in;
      in.name = names[i];
      in.slugs = std::vector<std::string>{slugify(names[i])};
      if (i < kPlaces.size()) in.slugs->push_back(slugify(names[i]) + "-tour-packages");
      in.preference.value = pref;
      DestPlan d;
      d.dest = must(create_destination(ctx_, in), "destination " + names[i]);
      // 60% PSV, 20% WEST, 8% split PSV/WEST 70/30, 7% NO-FILTER, 5% UPCOMING.
      const std::size_t r = (i * 37) % 100;
      d.proc = r < 60   ? Proc::kPsv
               : r < 80 ? Proc::kWest
               : r < 88 ? Proc::kSplit
               : r < 95 ? Proc::kNoFilter
                        : Proc::kUpcoming;
      d.sheet = names[i] + " leads";
      d.waba = "+9198" + std::to_string(10000000 + i);
      dests_.push_back(std::move(d));
    }
  }

  void make_maps() {
    auto entries = [&](Proc want, int share) {
      std::vector<ProcessMapEntryInput> a;
      for (const auto& d : dests_) {
        const bool in = d.proc == want ||
                        (d.proc == Proc::kSplit && (want == Proc::kPsv || want == Proc::kWest));
        if (!in) continue;
        ProcessMapEntryInput e;
        e.destination = DestinationRef{DestinationRef::By::kId, d.dest.id};
        e.is_active = true;
        e.load_share = d.proc == Proc::kSplit ? share : 100;
        if (want == Proc::kWest) {
          e.sheet_name = d.sheet;
          e.waba_number = d.waba;
        }
        a.push_back(std::move(e));
      }
      return a;
    };
    const std::pair<FiltrationProcess, std::pair<Proc, int>> maps[] = {
        {FiltrationProcess::kPsv, {Proc::kPsv, 70}},
        {FiltrationProcess::kWest, {Proc::kWest, 30}},
        {FiltrationProcess::kNoFilter, {Proc::kNoFilter, 100}},
        {FiltrationProcess::kUpcoming, {Proc::kUpcoming, 100}}};
    for (const auto& [process, what] : maps) {
      ProcessMapInput m;
      m.process = process;
      m.destinations = entries(what.first, what.second);
      must(create_process_map(ctx_, m), "map " + std::string(to_string(process)));
    }
  }

  void make_people() {
    // 500 users: 10 admins, 190 PSV, 100 WEST, 200 sales; every non-admin is a POC of their
    // process. Most POCs are generalists covering every destination of their process.
    struct Dept {
      const char* department;
      const char* process;
      int n;
    };
    const Dept depts[] = {{"ADMIN", nullptr, 10},
                          {"PSV", "PSV", 190},
                          {"WEST", "West", 100},
                          {"SALES", "Sales", 200}};
    int k = 0;
    for (const auto& d : depts) {
      for (int j = 0; j < d.n; ++j, ++k) {
        const std::string first = kFirst[k % kFirst.size()];
        const std::string last = kLast[(k / kFirst.size()) % kLast.size()];
        UserInput in;
        in.email = slugify(first) + "." + slugify(last) + "." + std::to_string(k) +
                   "@example-holidays.com";
        in.first_name.value = first;
        in.last_name.value = last;
        in.department = parse_department(d.department);
        User u = must(create_user(ctx_, in, std::nullopt), "user");
        users_.push_back(u);
        if (!d.process) continue;
        AvailabilityInput poc;
        poc.person_id = u.id;
        poc.process = parse_availability_process(d.process);
        poc.source.emplace();
        const int r = k % 20;
        if (r == 0 || r == 7) poc.source->push_back(Platform::kInstagram);
        if (r == 3) poc.source->push_back(Platform::kWhatsappBot);
        poc.destinations.emplace();
        poc.is_available = k % 10 != 9;
        poc.seq = {true, j};
        PocPlan p;
        const std::string process = d.process;
        if (process != "Sales" && k % 5 < 2) {  // 40% of PSV/WEST POCs specialise
          std::vector<std::size_t> mine;
          for (std::size_t di = 0; di < dests_.size(); ++di)
            if (covers_process(dests_[di].proc, process)) mine.push_back(di);
          std::shuffle(mine.begin(), mine.end(), rng_);
          mine.resize(std::min<std::size_t>(mine.size(), 5 + k % 16));
          for (auto di : mine)
            poc.destinations->push_back(
                DestinationRef{DestinationRef::By::kId, dests_[di].dest.id});
          p.dests = mine;
        }
        p.a = must(create_availability(ctx_, poc, std::nullopt), "availability");
        pocs_.push_back(std::move(p));
      }
    }
    for (std::size_t i = 0; i < pocs_.size(); ++i)
      pool_[static_cast<int>(pocs_[i].a.process)].push_back(i);
  }

  static bool covers_process(Proc p, const std::string& process) {
    if (process == "PSV") return p == Proc::kPsv || p == Proc::kSplit || p == Proc::kUpcoming;
    if (process == "West") return p == Proc::kWest || p == Proc::kSplit;
    return true;
  }

  void make_urls() {
    // 40% of the URLs name a destination slug in their path, 30% more are marked by an admin
    // (consumed, with a destination), the rest are generic blog pages.
    bench::Zipf dest_zipf(dests_.size(), 0.8);
    for (std::size_t i = 0; i < counts_.urls; ++i) {
      UrlPlan u;
      const std::size_t d = dest_zipf(rng_);
      const std::string topic = any_of(rng_, kTopics) + "-" + std::to_string(i);
      const std::string site = kSites[i % kSites.size()];
      u.w.id = ctx_.new_id();
      u.w.created_at = u.w.updated_at = clock_;
      const std::size_t r = i % 10;
      if (r < 4) {
        u.w.url = site + "/" + dests_[d].dest.slugs.front() + "/" + topic;
        u.resolves_to = d;
      } else if (r < 7) {
        u.w.url = site + "/blog/" + topic;
        u.w.consumed = true;
        u.w.destination = NamedRef{dests_[d].dest.id, dests_[d].dest.name};
        u.resolves_to = d;
      } else {
        u.w.url = site + "/blog/" + topic;
      }
      urls_.push_back(std::move(u));
    }
  }

  // ---- the life of one opportunity ----
  std::int32_t pick_poc(AvailabilityProcess process, std::int32_t dest, Platform platform) {
    const auto& pool = pool_[static_cast<int>(process)];
    // A few tries for a POC covering the destination; generalists always do.
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::size_t i = any_of(rng_, pool);
      const auto& p = pocs_[i];
      if (!p.a.is_available) continue;
      if (!p.a.source.empty() &&
          std::find(p.a.source.begin(), p.a.source.end(), platform) == p.a.source.end())
        continue;
      if (dest >= 0 && !p.dests.empty() &&
          std::find(p.dests.begin(), p.dests.end(), static_cast<std::size_t>(dest)) ==
              p.dests.end())
        continue;
      pocs_[i].assigned++;
      return static_cast<std::int32_t>(i);
    }
    for (std::size_t i : pool) {
      const auto& p = pocs_[i];
      if (p.a.is_available && p.dests.empty() && p.a.source.empty()) {
        pocs_[i].assigned++;
        return static_cast<std::int32_t>(i);
      }
    }
    return -1;
  }

  // Decides the final state of a new original (its status by age and process), its assignees
  // and how many activities its story needs; keeps the state for build().
  bool decide(OppPlan& o, std::size_t i) {
    Opportunity s;  // only the fields is_closed() and build() need
    const double age_days = static_cast<double>(end_ms_ - o.created_ms) / kDayMs;
    std::uniform_real_distribution<double> u01(0, 1);
    Proc proc = o.dest >= 0 ? dests_[o.dest].proc : Proc::kPsv;
    if (proc == Proc::kSplit) {
      auto& c = dests_[o.dest].split_counter;
      proc = (c++ % 10) < 7 ? Proc::kPsv : Proc::kWest;
    }
    const bool unknown = o.dest < 0;
    int steps = 0;
    bool crm = false;
    auto maybe_unassigned = [&] { return chance(rng_, 0.003); };
    if (unknown || proc == Proc::kUpcoming) {
      s.filteration_process = unknown ? FiltrationProcess::kUnknown : FiltrationProcess::kUpcoming;
      if (!maybe_unassigned()) o.psv = pick_poc(AvailabilityProcess::kPsv, o.dest, o.platform);
      const double r = u01(rng_);
      if (age_days < 2 || r < 0.1) {
        s.status =
            unknown ? OpportunityStatus::kResolvingUnknown : OpportunityStatus::kUpcomingFreshLead;
      } else if (r < 0.5) {
        crm = true;
        steps = 1;
      } else {
        s.status = unknown ? (r < 0.8 ? OpportunityStatus::kUnknownClientNotResponded
                                      : OpportunityStatus::kUnknownClientNotInterested)
                           : (r < 0.8 ? OpportunityStatus::kUpcomingDisqualifiedNotResponded
                                      : OpportunityStatus::kUpcomingDisqualifiedJunk);
        steps = 2;
      }
    } else if (proc == Proc::kNoFilter) {
      s.filteration_process = FiltrationProcess::kNoFilter;
      crm = true;
    } else {
      const bool psv = proc == Proc::kPsv;
      s.filteration_process = psv ? FiltrationProcess::kPsv : FiltrationProcess::kWest;
      const std::string p = psv ? "PSV" : "West";
      const bool waiting = maybe_unassigned();
      if (!waiting) {
        if (psv)
          o.psv = pick_poc(AvailabilityProcess::kPsv, o.dest, o.platform);
        else
          o.west = pick_poc(AvailabilityProcess::kWest, o.dest, o.platform);
      }
      s.status = psv ? OpportunityStatus::kInPsv : OpportunityStatus::kInWest;
      const double r = u01(rng_);
      const double still_open = age_days < 2 ? 1.0 : age_days < 30 ? 0.25 : 0.03;
      if (waiting || r < still_open) {
        const int k = age_days < 2 ? 0 : std::uniform_int_distribution<int>(0, 4)(rng_);
        static const char* kStages[] = {"FreshLead", "FollowUp1", "FollowUp2", "FollowUp3",
                                        "FutureFollowUp"};
        s.filtration_status = FiltrationStatus{p + kStages[k], *s.filteration_process, {}};
        steps = k;
      } else if (r < still_open + (1 - still_open) * 0.45) {
        s.status = OpportunityStatus::kDisqualified;
        auto reasons = all_disqualification_reasons();
        s.filtration_status = FiltrationStatus{
            p + "Disqualified", *s.filteration_process, {std::string(any_of(rng_, reasons))}};
        steps = 2;
      } else {
        s.filtration_status = FiltrationStatus{p + "Qualified", *s.filteration_process, {}};
        crm = true;
        steps = 2;
      }
    }
    if (crm) {
      o.owner = maybe_unassigned() ? -1 : pick_poc(AvailabilityProcess::kSales, o.dest, o.platform);
      s.status = OpportunityStatus::kOpen;
      CrmStageMeta m;
      m.crm_entry_at = at_ms(o.created_ms + (steps > 0 ? 2 * kDayMs : 0));
      m.sub_stage = "FRESH_LEAD";
      const double crm_age = static_cast<double>(end_ms_ - ms_of(*m.crm_entry_at)) / kDayMs;
      const double r = u01(rng_);
      if (crm_age < 1) {
        m.stage = CrmStage::kFreshLead;
      } else if (r < 0.12) {
        s.status = OpportunityStatus::kWon;
        m.stage = CrmStage::kWon;
        m.sub_stage = "PAYMENT_AWAITED";
        m.followup_count = 3;
      } else if (r < 0.62 && crm_age > 7) {
        s.status = OpportunityStatus::kLost;
        m.stage = CrmStage::kLost;
        m.rejection_reason = r < 0.4 ? "not_responded" : "budget_issue";
        m.followup_count = 2;
      } else if (r < 0.72) {
        s.status = OpportunityStatus::kDormant;
        m.stage = CrmStage::kClosedForFutureFollowup;
        m.followup_count = 2;
      } else {
        m.stage = CrmStage::kFollowup;
        m.sub_stage = r < 0.85 ? "HOT_LEAD" : "NEGOTIATION";
        m.followup_count = 1 + static_cast<int>(r * 10) % 3;
        // Next contact from ten days overdue to twenty days ahead.
        s.next_follow_up_date =
            at_ms(end_ms_ + static_cast<std::int64_t>((u01(rng_) * 30 - 10) * kDayMs));
      }
      steps += 1 + m.followup_count;
      s.crm_stage_meta = m;
      s.is_pushed = true;
      if (m.stage == CrmStage::kFreshLead)
        s.next_follow_up_date = at_ms(ms_of(*m.crm_entry_at) + kDayMs);
    }
    o.activities = static_cast<std::uint8_t>(1 + steps);
    State& st = states_[i];
    st.status = s.status;
    st.process = s.filteration_process;
    if (s.filtration_status) {
      st.stage = intern(s.filtration_status->stage);
      if (!s.filtration_status->disqualification_reason.empty())
        st.reason = intern(s.filtration_status->disqualification_reason.front());
    }
    if (s.crm_stage_meta) {
      st.crm_stage = s.crm_stage_meta->stage;
      if (s.crm_stage_meta->sub_stage) st.sub_stage = intern(*s.crm_stage_meta->sub_stage);
      if (s.crm_stage_meta->rejection_reason)
        st.rejection = intern(*s.crm_stage_meta->rejection_reason);
      st.followups = static_cast<std::int16_t>(s.crm_stage_meta->followup_count);
      st.crm_entry_ms = ms_of(*s.crm_stage_meta->crm_entry_at);
    }
    st.pushed = s.is_pushed;
    if (s.next_follow_up_date) st.next_follow_up_ms = ms_of(*s.next_follow_up_date);
    return is_closed(s);
  }

  std::int16_t intern(const std::string& text) {
    for (std::size_t k = 0; k < strings_.size(); ++k)
      if (strings_[k] == text) return static_cast<std::int16_t>(k);
    strings_.push_back(text);
    return static_cast<std::int16_t>(strings_.size() - 1);
  }

  // The opportunity's state fields from the plan.
  void restore(const State& st, Opportunity& opp) const {
    opp.status = st.status;
    opp.filteration_process = st.process;
    if (st.stage >= 0) {
      opp.filtration_status = FiltrationStatus{strings_[st.stage], *st.process, {}};
      if (st.reason >= 0) opp.filtration_status->disqualification_reason = {strings_[st.reason]};
    }
    if (st.crm_stage) {
      CrmStageMeta m;
      m.stage = *st.crm_stage;
      if (st.sub_stage >= 0) m.sub_stage = strings_[st.sub_stage];
      if (st.rejection >= 0) m.rejection_reason = strings_[st.rejection];
      m.followup_count = st.followups;
      m.crm_entry_at = at_ms(st.crm_entry_ms);
      opp.crm_stage_meta = m;
    }
    opp.is_pushed = st.pushed;
    if (st.next_follow_up_ms) opp.next_follow_up_date = at_ms(st.next_follow_up_ms);
  }

  std::string national(std::uint32_t k) const {
    // A bijection of 0..2e9-1 onto 7000000000..8999999999 (1234567891 is coprime to 2e9), so
    // numbers look random and never repeat; the load generator uses 91xxxxxxxx-97xxxxxxxx.
    const std::uint64_t v = (std::uint64_t{k} * 1234567891ULL) % 2'000'000'000ULL;
    return std::to_string(7'000'000'000ULL + v);
  }

  NamedRef poc_ref(std::int32_t i) const {
    return NamedRef{pocs_[i].a.person_id, pocs_[i].a.person_name};
  }

  void build(std::size_t i, Lead& lead, Opportunity& opp, std::vector<Activity>& acts) {
    const OppPlan& o = opps_[i];
    Rng rng(i * 0x9E3779B97F4A7C15ULL + 17);  // per-row: build() is independent of order
    const Timestamp created = at_ms(o.created_ms);
    const std::string nat = national(o.number);
    const std::string first = any_of(rng, kFirst);
    const std::string last = any_of(rng, kLast);

    lead.id = ctx_.ids.next(created);
    lead.name = first + " " + last;
    lead.number = "+91" + nat;
    static const char* kRaw[] = {"", "+91 ", "0", "91"};
    lead.raw_number = kRaw[i % 4] + nat;
    if (chance(rng, 0.55))
      lead.email =
          slugify(first) + "." + slugify(last) + std::to_string(o.number % 1000) + "@gmail.com";
    if (chance(rng, 0.7)) lead.pax = static_cast<double>(1 + rng() % 6);
    lead.lead_source.platform = o.platform;
    if (o.platform == Platform::kPaidAds) {
      lead.lead_source.primary_source = chance(rng, 0.6) ? "facebook" : "google";
      lead.attribution = {{"utmSource", *lead.lead_source.primary_source},
                          {"utmMedium", "cpc"},
                          {"utmCampaign", "campaign-" + std::to_string(rng() % 300)},
                          {"adid", std::to_string(120000000000 + rng() % 1000000)},
                          {"campaignName", "Always on " + std::to_string(rng() % 40)}};
      if (*lead.lead_source.primary_source == "google")
        lead.attribution["gclid"] = "Cj0K" + std::to_string(rng());
      else
        lead.attribution["fbc"] = "fb.1." + std::to_string(rng());
    } else if (o.platform == Platform::kWebsite) {
      lead.source_meta.form_name = "enquiry-form";
      lead.attribution = {{"utmSource", "organic"}};
    } else if (o.platform == Platform::kWhatsappBot || o.platform == Platform::kInstagram) {
      lead.source_meta.sub_source = "bot";
    }
    if (o.url >= 0) lead.page = urls_[o.url].w.url;
    if (o.dest >= 0 && o.explicit_dest) lead.destination_input = dests_[o.dest].dest.name;
    if (chance(rng, 0.2)) lead.remarks = "Looking for a trip in " + std::to_string(1 + rng() % 12);
    lead.created_at = lead.modified_at = created;

    opp.id = ctx_.ids.next(created);
    opp_ids_.push_back(opp.id);
    opp.lead_id = lead.id;
    opp.trace_id = lead.id;
    opp.name = lead.name;
    opp.number = lead.number;
    opp.raw_number = lead.raw_number;
    opp.email = lead.email;
    if (lead.pax) opp.pax = std::to_string(static_cast<int>(*lead.pax));
    opp.lead_source = lead.lead_source;
    opp.source_meta = lead.source_meta;
    opp.page = lead.page;
    opp.attribution = lead.attribution;
    opp.remarks = lead.remarks;
    if (o.dest >= 0) opp.destination = NamedRef{dests_[o.dest].dest.id, dests_[o.dest].dest.name};
    if (chance(rng, 0.5)) opp.travel_date = "2025-" + std::to_string(1 + rng() % 12);
    opp.created_at = created;
    opp.version = 1;

    if (o.dup_of >= 0) {
      opp.status = OpportunityStatus::kDormant;
      opp.is_duplicate = true;
      opp.duplicate_of = opp_ids_[o.dup_of];
      opp.filteration_process = states_[o.dup_of].process;
    } else {
      restore(states_[i], opp);
      opp.re_inquiries = o.re_inquiries;
      if (o.psv >= 0) opp.assigned_psv = poc_ref(o.psv);
      if (o.west >= 0) {
        const auto& d = dests_[o.dest];
        opp.assigned_west =
            AssignedWest{pocs_[o.west].a.person_id, pocs_[o.west].a.person_name, d.waba, d.sheet};
      }
      if (o.owner >= 0) opp.opportunity_owner = pocs_[o.owner].a.person_id;
      const bool waiting_filter = o.psv < 0 && o.west < 0 && !opp.crm_stage_meta && !is_closed(opp);
      if (waiting_filter)
        opp.awaiting_pool = opp.filteration_process == FiltrationProcess::kWest
                                ? AvailabilityProcess::kWest
                                : AvailabilityProcess::kPsv;
      if (opp.crm_stage_meta && o.owner < 0 && !is_closed(opp))
        opp.awaiting_pool = AvailabilityProcess::kSales;
      opp.opportunity_score = 10.0 + static_cast<double>(o.re_inquiries) * 5;
      // The deal value asked for on the move to won (migration 13): most in rupees, some abroad
      // in dollars, so the revenue report sums per currency.
      if (opp.status == OpportunityStatus::kWon)
        opp.deal_value =
            chance(rng, 0.1)
                ? DealValue{static_cast<std::int64_t>(1000 + rng() % 9000) * 100, "USD"}
                : DealValue{static_cast<std::int64_t>(50'000 + rng() % 450'000) * 100, "INR"};
    }

    // The story: the capture, then steps up to the final state, then notes-like updates.
    const ActivityPhase phase = phase_of(opp);
    std::int64_t t = o.created_ms;
    const std::int64_t horizon =
        std::max<std::int64_t>(t + 1000, std::min(end_ms_, t + 60 * kDayMs));
    Activity capture;
    capture.id = ctx_.ids.next(created);
    capture.opp_id = opp.id;
    capture.activity_phase = phase;
    capture.description = o.dup_of >= 0 ? "lead captured as a duplicate of " + *opp.duplicate_of
                                        : "lead captured and routed";
    capture.changes = {{"status", "null", "\"" + std::string(to_string(opp.status)) + "\""}};
    capture.created_at = created;
    acts.push_back(std::move(capture));
    const int n_more = o.activities - 1 + (o.dup_of < 0 ? o.re_inquiries : 0);
    for (int k = 0; k < n_more; ++k) {
      t += std::max<std::int64_t>(1000, (horizon - t) / (n_more - k + 1));
      Activity a;
      a.id = ctx_.ids.next(at_ms(t));
      a.opp_id = opp.id;
      a.activity_phase = phase;
      a.created_at = at_ms(t);
      a.activity_by = o.owner >= 0 ? std::optional<Id>(pocs_[o.owner].a.person_id)
                      : o.psv >= 0 ? std::optional<Id>(pocs_[o.psv].a.person_id)
                                   : std::nullopt;
      switch (k % 3) {
        case 0:
          a.description = "stage changed";
          a.changes = {{"filtrationStatus.stage", "\"PSVFreshLead\"", "\"PSVFollowUp1\""}};
          break;
        case 1:
          a.description = "follow-up done";
          a.changes = {{"crmStageMeta.followupCount", std::to_string(k), std::to_string(k + 1)}};
          break;
        default:
          a.description = "remarks updated";
          a.changes = {{"agentNotes", "null", "\"called, asked to call back in the evening\""}};
      }
      acts.push_back(std::move(a));
    }
    opp.updated_at = acts.back().created_at;
  }

  // The stays of the opportunity in its statuses and stages (migration 21), through the product's
  // record_stage_period: its first stage when captured, the CRM's fresh lead when it entered the
  // CRM after a filtration, and its final state at its last activity (each only when it differs
  // from the one before, as the product records them).
  Status write_stays(WriteTx& tx, std::size_t i, const Opportunity& opp) const {
    const OppPlan& o = opps_[i];
    Opportunity first = opp;
    first.deal_value.reset();
    std::optional<Opportunity> crm_entry;
    if (o.dup_of < 0) {
      const State& st = states_[i];
      const bool filtered = st.process && (*st.process == FiltrationProcess::kPsv ||
                                           *st.process == FiltrationProcess::kWest);
      const bool crm = st.crm_stage.has_value();
      if (filtered || (crm && st.process && *st.process != FiltrationProcess::kNoFilter) ||
          st.stage >= 0) {
        first.crm_stage_meta.reset();
        first.opportunity_owner.reset();
        first.next_follow_up_date.reset();
      }
      if (filtered) {
        const bool psv = *st.process == FiltrationProcess::kPsv;
        first.status = psv ? OpportunityStatus::kInPsv : OpportunityStatus::kInWest;
        first.filtration_status =
            FiltrationStatus{psv ? "PSVFreshLead" : "WestFreshLead", *st.process, {}};
      } else if (st.process == FiltrationProcess::kUnknown) {
        first.status = OpportunityStatus::kResolvingUnknown;
      } else if (st.process == FiltrationProcess::kUpcoming) {
        first.status = OpportunityStatus::kUpcomingFreshLead;
      }
      if (crm) {
        Opportunity entry = opp;
        entry.deal_value.reset();
        entry.status = OpportunityStatus::kOpen;
        entry.crm_stage_meta->stage = CrmStage::kFreshLead;
        if (st.process != FiltrationProcess::kNoFilter)
          crm_entry = std::move(entry);
        else
          first = std::move(entry);
      }
    }
    std::int64_t at = o.created_ms;
    if (auto s = record_stage_period(tx, std::nullopt, first, at_ms(at)); !s) return s;
    const Opportunity* before = &first;
    if (crm_entry) {
      at = std::max(at + 1000, states_[i].crm_entry_ms);
      if (auto s = record_stage_period(tx, *before, *crm_entry, at_ms(at)); !s) return s;
      before = &*crm_entry;
    }
    at = std::max(at + 1000, ms_of(opp.updated_at));
    return record_stage_period(tx, *before, opp, at_ms(at));
  }

  // The opportunity's follow-ups (CRM phase: completed ones for the follow-ups done, kept with
  // probability keep_history_, and the active one when a next follow-up is due) and notes.
  void build_workflow(std::size_t i, const Opportunity& opp, std::vector<FollowUp>& fus,
                      std::vector<Note>& ns) {
    const OppPlan& o = opps_[i];
    Rng rng(i * 0xD1B54A32D192ED03ULL + 99);
    const std::optional<Id> owner = opp.opportunity_owner;
    if (o.dup_of < 0 && opp.crm_stage_meta) {
      const std::int64_t entry = ms_of(*opp.crm_stage_meta->crm_entry_at);
      const int done = opp.crm_stage_meta->followup_count;
      for (int k = 0; k < done; ++k) {
        if (!chance(rng, keep_history_)) continue;
        const std::int64_t due = entry + (k == 0 ? kDayMs : (2 + 3 * k) * kDayMs);
        FollowUp f;
        f.id = ctx_.ids.next(at_ms(entry + k * kDayMs));
        f.opp_id = opp.id;
        f.stage = k == 0 ? CrmStage::kFreshLead : CrmStage::kFollowup;
        f.sub_stage = sub_stage_after(k);
        f.count = k + 1;
        f.reminder_date = at_ms(due);
        f.status = FollowUpStatus::kCompleted;
        f.completed_at = at_ms(due - static_cast<std::int64_t>(rng() % (20 * 3600 * 1000)));
        f.outcome = k + 1 < done
                        ? FollowUpOutcome::kConnected
                        : (opp.status == OpportunityStatus::kLost ? FollowUpOutcome::kNotInterested
                                                                  : FollowUpOutcome::kConnected);
        f.note = "spoke to the client about dates and budget";
        f.owner = owner;
        f.created_by = owner;
        f.modified_by = owner;
        f.created_at = at_ms(entry + k * kDayMs);
        f.updated_at = *f.completed_at;
        fus.push_back(std::move(f));
      }
      if (opp.next_follow_up_date && !is_closed(opp)) {
        FollowUp f;
        f.id = ctx_.ids.next(at_ms(entry));
        f.opp_id = opp.id;
        f.stage = opp.crm_stage_meta->stage;
        f.sub_stage = sub_stage_after(done);
        f.count = done + 1;
        f.reminder_date = opp.next_follow_up_date;
        f.status = FollowUpStatus::kActive;
        f.owner = owner;
        f.created_at = f.updated_at = at_ms(entry);
        fus.push_back(std::move(f));
      }
    }
    static const char* kNotes[] = {"Client prefers a call after 6 pm.",
                                   "Shared three hotel options on WhatsApp; waiting for a reply.",
                                   "Budget is around 60k for two, flexible on dates.",
                                   "Asked for a quote with flights from Mumbai.",
                                   "Travelling with parents; needs ground-floor rooms."};
    for (int k = 0; k < o.notes; ++k) {
      Note n;
      const std::int64_t t =
          o.created_ms +
          static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(
                                                std::max<std::int64_t>(1, end_ms_ - o.created_ms)));
      n.id = ctx_.ids.next(at_ms(t));
      n.opp_id = opp.id;
      n.note = kNotes[rng() % 5];
      n.created_by =
          owner ? owner
                : (opp.assigned_psv ? std::optional<Id>(opp.assigned_psv->id) : std::nullopt);
      n.created_at = n.updated_at = at_ms(t);
      ns.push_back(std::move(n));
    }
  }

  Store& store_;
  AppContext& ctx_;
  Timestamp& clock_;
  Rng rng_;
  double scale_;
  std::int64_t end_ms_;
  std::int64_t start_ms_;
  std::size_t n_;
  Counts counts_;
  std::vector<DestPlan> dests_;
  std::vector<User> users_;
  std::vector<PocPlan> pocs_;
  std::vector<std::size_t> pool_[4];
  std::vector<UrlPlan> urls_;
  std::vector<OppPlan> opps_;
  std::vector<State> states_;
  std::vector<std::string> strings_;
  std::vector<Id> opp_ids_;
  std::size_t activities_written_ = 0;
  std::size_t followups_written_ = 0;
  std::size_t notes_written_ = 0;
  double keep_history_ = 1.0;
};

// Applied to every connection this process opens (sqlite3_auto_extension), so also to the
// store's writer, whose pragmas are otherwise the product's: a large page cache and rare
// checkpoints make the bulk load several times faster. The product settings (WAL, synchronous)
// are untouched; the pragmas last only as long as this process's connections.
int bulk_load_pragmas(sqlite3* db, const char** /*err*/, const void* /*api*/) {
  sqlite3_exec(db,
               "PRAGMA cache_size = -1048576; PRAGMA wal_autocheckpoint = 262144; "
               "PRAGMA temp_store = MEMORY",
               nullptr, nullptr, nullptr);
  return SQLITE_OK;
}

// Opens and migrates the store `--db` (a new SQLite file) or `--database-url` (a PostgreSQL
// database that must hold no opportunities yet) names.
std::unique_ptr<Store> open_target(const std::string& path, const std::string& url, bool force) {
  if (!url.empty()) {
    auto store = must(postgres::open_pg_store(url), "open " + url);
    must(store->migrate(), "migrate");
    bool empty = true;
    must(store->read([&](ReadTx& tx) -> Status {
      OpportunityFilter any;
      auto some = tx.list_opportunities(any, Page{std::nullopt, 1});
      if (!some) return some.error();
      empty = some->empty();
      return ok_status();
    }),
         "check that the database is empty");
    if (!empty)
      throw std::runtime_error("the database already holds opportunities (use a new one)");
    return store;
  }
  if (std::filesystem::exists(path)) {
    if (!force) throw std::runtime_error(path + " exists (use --force to replace it)");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(&bulk_load_pragmas));
  sqlite::SqliteOptions opts;
  opts.synchronous_full = false;  // a fixture: NORMAL is enough and much faster
  opts.readers = 1;
  auto store = must(sqlite::SqliteStore::open(path, opts), "open " + path);
  must(store->migrate(), "migrate");
  return store;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadproc-gen: fill a SQLite or PostgreSQL database with scale data"};
  std::string path;
  std::string url;
  double scale = 1.0;
  std::uint64_t seed = 42;
  // Small transactions: each is one write() of the store, one SAVEPOINT, and the store's writer
  // keeps its sub-journal in memory (temp_store=MEMORY), where SQLite's in-memory journal walks
  // its chunk list from the start on a write below its end. With 2,000 opportunities per
  // transaction that walk was 87 % of the generator's CPU and the rate fell from ~1,500 to ~100
  // opportunities/s by 0.2M (the 1M fixture took hours); with 25 it is ~12 % and the rate holds
  // (docs/benchmarks.md section 30).
  std::size_t batch = 25;
  bool force = false;
  auto* db_opt = app.add_option("--db", path, "SQLite file to create");
  auto* url_opt = app.add_option("--database-url", url,
                                 "postgresql:// URL of an empty database to fill instead");
  db_opt->excludes(url_opt);
  app.add_option("--scale", scale, "fraction of the spec's upper sizes (1.0 = 1M leads)")
      ->check(CLI::Range(0.0, 10.0));
  app.add_option("--seed", seed, "random seed");
  app.add_option("--batch", batch, "opportunities per transaction");
  app.add_flag("--force", force, "replace an existing SQLite file");
  CLI11_PARSE(app, argc, argv);
  if (path.empty() == url.empty()) {
    std::cerr << "leadproc-gen: give --db FILE or --database-url postgresql://...\n";
    return 2;
  }

  const auto start = Clock::now();
  std::unique_ptr<Store> store;
  try {
    store = open_target(path, url, force);
  } catch (const std::exception& e) {
    std::cerr << "leadproc-gen: " << e.what() << "\n";
    return 2;
  }

  PhoneNormalizer phones("IN");
  ObjectIdGenerator ids(0x5ca1eda7a, 0);
  Timestamp clock{};
  AppContext ctx{*store, phones, ids, [&clock] { return clock; }, AppConfig{}};
  const std::int64_t end_ms = ms_of(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  Generator gen(*store, ctx, clock, seed, scale, end_ms);
  try {
    gen.configure();
    std::cerr << "configuration: 200 destinations, 4 routing maps, 500 users, 490 POCs, "
              << gen.targets().urls << " web URLs (" << seconds_since(start) << " s)\n";
    gen.plan();
    std::cerr << "planned " << gen.opportunities() << " opportunities (" << seconds_since(start)
              << " s)\n";
    gen.emit(batch);
  } catch (const std::exception& e) {
    std::cerr << "leadproc-gen: " << e.what() << "\n";
    return 1;
  }
  store.reset();
  std::cout << "generated " << gen.opportunities() << " leads, " << gen.opportunities()
            << " opportunities, " << gen.activities_written() << " activities, "
            << gen.followups_written() << " follow-ups, " << gen.notes_written() << " notes, "
            << gen.targets().urls << " web URLs, 500 users, 200 destinations in "
            << static_cast<long>(seconds_since(start)) << " s";
  if (!path.empty()) {
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    std::cout << "; " << path << " is " << (ec ? 0 : bytes >> 20) << " MiB";
  }
  std::cout << "\n";
  return 0;
}
