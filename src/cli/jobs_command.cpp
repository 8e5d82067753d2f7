#include "cli/jobs_command.h"

#include <boost/json/serialize.hpp>
#include <iostream>

#include "cli/app_runtime.h"
#include "jobs/jobs.h"

namespace leadproc::cli {
namespace json = boost::json;

int run_job_command(const Settings& settings, const std::string& name) {
  const auto all = jobs::default_jobs();
  if (!jobs::find_job(all, name)) {  // before opening the database: a typo needs no store
    std::cerr << "leadproc: unknown job " << name << "; jobs:";
    for (const auto& j : all) std::cerr << " " << j.name;
    std::cerr << "\n";
    return 2;
  }
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: cannot open the database: " << runtime.error().detail << "\n";
    return 1;
  }
  auto run = jobs::run_job_now((*runtime)->context(), all, name);
  if (!run) {
    std::cerr << "leadproc: job " << name << ": " << run.error().detail << "\n";
    return run.error().code == ErrorCode::kConflict ? 3 : 1;
  }
  std::cout << json::serialize(*run) << "\n";
  return run->at("outcome") == "ok" ? 0 : 1;
}

int list_jobs_command(const Settings& settings) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: cannot open the database: " << runtime.error().detail << "\n";
    return 1;
  }
  auto listing = jobs::describe_jobs((*runtime)->context(), jobs::default_jobs(), 10);
  if (!listing) {
    std::cerr << "leadproc: " << listing.error().detail << "\n";
    return 1;
  }
  std::cout << json::serialize(*listing) << "\n";
  return 0;
}

}  // namespace leadproc::cli
