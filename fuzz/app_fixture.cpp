#include "app_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/app_runtime.h"
#include "cli/demo_data.h"
#include "cli/serve.h"
#include "jobs/jobs.h"

namespace leadproc::fuzz {
namespace {

struct Fixture {
  std::unique_ptr<cli::AppRuntime> runtime;
  http::Metrics metrics;
  http::Router router;
  std::vector<jobs::Job> job_list = jobs::default_jobs();
  LiveBus live;  // the event streams' bus (no store sink: the fuzzers read no streams)
};

Fixture* build() {
  char dir_template[] = "/tmp/leadproc-fuzz-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) {
    std::perror("leadproc-fuzz: mkdtemp");
    std::abort();
  }
  cli::Settings settings;
  settings.database_url = std::string("sqlite:") + dir + "/fuzz.db";
  settings.bcrypt_cost = 4;  // the cheapest: a fuzzed login must not cost 200 ms
  settings.sqlite_group_commit = 1;
  // demo-data prints the logins; keep the fuzzer's output readable.
  std::streambuf* out = std::cout.rdbuf(nullptr);
  const int loaded = cli::load_demo_data(settings);
  std::cout.rdbuf(out);
  if (loaded != 0) std::abort();
  auto runtime = cli::AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc-fuzz: " << runtime.error().detail << "\n";
    std::abort();
  }
  auto* f = new Fixture;  // lives as long as the process: the server's threads may use it
  f->runtime = std::move(*runtime);
  cli::register_api(f->router, f->runtime->context(), f->metrics, f->job_list, f->live,
                    cli::OptionalRoutes{});
  return f;
}

}  // namespace

App& app() {
  static Fixture* f = build();
  static App a{f->runtime->context(), f->router, f->metrics};
  return a;
}

}  // namespace leadproc::fuzz
