#include "cli/jobs_command.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "cli/app_runtime.h"
#include "domain/time_format.h"
#include "jobs/jobs.h"

namespace leadproc::cli {
namespace json = boost::json;

int run_job_command(const Settings& settings, const std::string& name) {
  const auto all = jobs::default_jobs();
  const jobs::Job* job = jobs::find_job(all, name);
  if (!job) {
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
  AppContext& ctx = (*runtime)->context();
  auto run = jobs::run_job(ctx, *job, ctx.now(), jobs::instance_name());
  if (!run) {
    std::cerr << "leadproc: job " << name << ": " << run.error().detail << "\n";
    return 1;
  }
  if (!*run) {
    std::cerr << "leadproc: job " << name << ": this slot is already being run\n";
    return 3;
  }
  const JobRun& r = **run;
  boost::system::error_code ec;
  json::value counts = json::parse(r.counts_json, ec);
  if (ec) counts = json::object{};
  std::cout << json::serialize(
                   json::object{{"job", r.job},
                                {"slot", format_iso8601(r.slot)},
                                {"outcome", r.outcome},
                                {"counts", std::move(counts)},
                                {"error", r.error ? json::value(*r.error) : json::value(nullptr)}})
            << "\n";
  return r.outcome == "ok" ? 0 : 1;
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
