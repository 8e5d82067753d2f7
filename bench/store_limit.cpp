// leadproc-store-limit: the storage limit of lead ingestion. The same leads the load generator
// sends (same fields, same destination names and pages) go straight through the use case
// (leadproc::ingest_lead over an AppContext with the SQLite store, rendering the same 201 body),
// with the same durability as the server (each commit synced), without HTTP, from 1..N threads.
// --group-commit N is the store's max_batch (SqliteOptions): up to N concurrent writes share one
// commit, as in the server; 0 or 1 commits each lead on its own.
//
//   leadproc-store-limit --db copy-of-scale.db --threads 1,4 --duration 10
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <iostream>
#include <random>
#include <thread>

#include "app/ingest_lead.h"
#include "bench_common.h"
#include "codec/json_codec.h"
#include "storage/sqlite/sqlite_store.h"

using namespace leadproc;
using bench::Clock;

namespace {

struct Shapes {
  std::vector<std::string> destinations;
  std::vector<std::string> pages;
};

Shapes load_shapes(Store& store) {
  Shapes s;
  (void)store.read([&](ReadTx& tx) -> Status {
    if (auto d = tx.list_destinations(false))
      for (const auto& x : *d) s.destinations.push_back(x.name);
    for (bool consumed : {true, false}) {
      WebUrlFilter f;
      f.consumed = consumed;
      f.limit = 200;
      if (auto w = tx.list_weburls(f))
        for (const auto& x : *w) s.pages.push_back(x.url);
    }
    return ok_status();
  });
  return s;
}

// The lead leadproc-load would send as request `n` (load_ingest.cpp RequestFactory::make).
LeadInput make_input(long long n, long long number_start, const Shapes& shapes,
                     std::mt19937_64& rng) {
  static const std::vector<Platform> kPlatforms = {Platform::kWebsite, Platform::kPaidAds,
                                                   Platform::kInstagram, Platform::kWhatsappBot,
                                                   Platform::kDc};
  LeadInput in;
  in.name = "Load Lead " + std::to_string(n);
  in.number = std::to_string(number_start + n);
  in.email = "lead" + std::to_string(n) + "@example.com";
  in.pax = static_cast<double>(1 + rng() % 5);
  in.platform = kPlatforms[rng() % kPlatforms.size()];
  in.primary_source = "bench";
  if (!shapes.destinations.empty() && rng() % 10 < 8)
    in.destination = shapes.destinations[rng() % shapes.destinations.size()];
  if (!shapes.pages.empty() && rng() % 3 == 0) in.page = shapes.pages[rng() % shapes.pages.size()];
  in.attribution = {{"utmSource", "google"}, {"utmMedium", "cpc"}, {"utmCampaign", "load-test"}};
  in.remarks = "Looking for a family trip in December";
  return in;
}

// The server's 201 body (routes_leads.cpp render_ingest).
std::string render(const Lead& lead, const Opportunity& opp, bool duplicate) {
  return boost::json::serialize(boost::json::object{{"lead", codec::to_json(lead)},
                                                    {"opportunity", codec::to_json(opp)},
                                                    {"duplicate", duplicate}});
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadproc-store-limit: ingestion straight through the Store"};
  std::string path;
  std::vector<int> thread_counts = {1, 4};
  double duration = 10;
  std::string sync = "full";
  std::size_t group = sqlite::SqliteOptions{}.max_batch;
  app.add_option("--db", path, "SQLite database (it is written to: use a copy)")->required();
  bool wal_buffer = sqlite::SqliteOptions{}.buffer_wal_writes;
  app.add_option("--wal-write-buffer", wal_buffer,
                 "one write per commit's WAL frames (the server's default) or SQLite's own");
  app.add_option("--threads", thread_counts, "thread counts to run, one run each")->delimiter(',');
  app.add_option("--duration", duration, "seconds per run");
  app.add_option("--sync", sync, "full (the server's setting) or normal")
      ->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--group-commit", group,
                 "up to N writes per commit (0 or 1: off; default: the server's)");
  int cache_mib = sqlite::SqliteOptions{}.writer_cache_mib;
  app.add_option("--cache-mib", cache_mib, "the writer's page cache (default: the server's)");
  int mmap_mib = sqlite::SqliteOptions{}.mmap_mib;
  app.add_option("--mmap-mib", mmap_mib, "memory-mapped reads (default: the server's; 0: off)");
  int checkpoint_frames = sqlite::SqliteOptions{}.checkpoint_frames;
  app.add_option("--checkpoint-frames", checkpoint_frames,
                 "WAL pages at which the writer checkpoints (default: the server's)");
  CLI11_PARSE(app, argc, argv);

  sqlite::SqliteOptions opts;
  opts.buffer_wal_writes = wal_buffer;
  opts.writer_cache_mib = cache_mib;
  opts.mmap_mib = mmap_mib;
  opts.checkpoint_frames = checkpoint_frames;
  opts.synchronous_full = sync == "full";
  if (group <= 1) group = 0;
  opts.max_batch = static_cast<int>(std::max<std::size_t>(group, 1));
  auto opened = sqlite::SqliteStore::open(path, opts);
  if (!opened) {
    std::cerr << "leadproc-store-limit: " << opened.error().detail << "\n";
    return 1;
  }
  std::unique_ptr<sqlite::SqliteStore> sqlite_store = std::move(*opened);
  if (auto v = sqlite_store->migrate(); !v) {
    std::cerr << "leadproc-store-limit: migrate: " << v.error().detail << "\n";
    return 1;
  }
  Store& store = *sqlite_store;

  PhoneNormalizer phones("IN");
  std::random_device rd;
  ObjectIdGenerator ids((std::uint64_t{rd()} << 32) ^ rd(), rd());
  AppContext ctx{store, phones, ids,
                 [] {
                   return std::chrono::time_point_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now());
                 },
                 AppConfig{}};
  const Shapes shapes = load_shapes(store);
  std::cerr << "leadproc-store-limit: " << shapes.destinations.size() << " destinations, "
            << shapes.pages.size() << " page URLs; synchronous=" << sync
            << (group ? ", group commit up to " + std::to_string(group) : std::string()) << "\n";

  // Numbers from a random start in a range neither the generator nor the load tool uses.
  const long long number_start =
      6100000000LL + static_cast<long long>(((std::uint64_t{rd()} << 32) ^ rd()) % 800000000ULL);
  std::atomic<long long> next{0};
  for (int threads : thread_counts) {
    std::vector<bench::Latencies> lat(static_cast<std::size_t>(threads));
    const sqlite::WriteStats before = sqlite_store->write_stats();
    std::atomic<long> failures{0};
    std::atomic<bool> stop{false};
    const double cpu_before = bench::read_cpu_seconds("self").value_or(0);
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::mt19937_64 rng(static_cast<std::uint64_t>(t) * 7919 + 1);
        while (!stop.load(std::memory_order_relaxed)) {
          const LeadInput in = make_input(next.fetch_add(1), number_start, shapes, rng);
          const auto t0 = Clock::now();
          auto r = ingest_lead(ctx, in, IdempotencyInput{}, render);
          lat[static_cast<std::size_t>(t)].add(
              std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
          if (!r || r->status != 201) failures++;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(duration));
    stop = true;
    for (auto& th : pool) th.join();
    const double elapsed = bench::seconds_since(start);
    bench::Latencies all;
    for (auto& l : lat) all.merge(l);
    const double rate = static_cast<double>(all.count()) / elapsed;
    // Every thread of the process: the callers, the store's writer and sync threads, the
    // checkpointer. The CPU one lead costs the store, whoever runs it.
    const bench::CpuUse cpu =
        bench::cpu_use(bench::read_cpu_seconds("self").value_or(0) - cpu_before, elapsed,
                       static_cast<double>(all.count()));
    std::printf("store limit, %d thread%s, synchronous=%s%s: %.0f leads/s, %s, failures %ld",
                threads, threads == 1 ? "" : "s", sync.c_str(),
                group ? (", group commit " + std::to_string(group)).c_str() : "", rate,
                bench::latency_summary(all).c_str(), failures.load());
    const sqlite::WriteStats after = sqlite_store->write_stats();
    if (after.commits > before.commits)
      std::printf(", %.1f writes per commit",
                  static_cast<double>(after.writes - before.writes) /
                      static_cast<double>(after.commits - before.commits));
    std::printf(
        "; checkpoints: %llu passes of the thread, %llu by the writer",
        static_cast<unsigned long long>(after.background_checkpoints -
                                        before.background_checkpoints),
        static_cast<unsigned long long>(after.writer_checkpoints - before.writer_checkpoints));
    std::printf("; CPU %.2f cores, %.0f us per lead", cpu.cores, cpu.micros_per_unit);
    std::printf(
        "\nRESULT label=store_limit threads=%d sync=%s group=%zu leads_per_s=%.1f "
        "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f failures=%ld cpu_cores=%.3f cpu_us_per_lead=%.1f\n",
        threads, sync.c_str(), group, rate, all.percentile(50) / 1000, all.percentile(99) / 1000,
        all.percentile(99.9) / 1000, failures.load(), cpu.cores, cpu.micros_per_unit);
  }
  return 0;
}
