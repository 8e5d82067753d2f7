#include "cli/app_runtime.h"

#include <chrono>
#include <random>

#include "cli/store_factory.h"

namespace leadproc::cli {

Result<std::unique_ptr<AppRuntime>> AppRuntime::open(const Settings& settings) {
  if (!PhoneNormalizer::is_known_region(settings.default_region))
    return Error::validation({{"default-region", "is not a region code libphonenumber knows"}},
                             "bad LEADPROC_DEFAULT_REGION: " + settings.default_region);
  auto store = open_store(settings.database_url);
  if (!store) return store.error();
  auto version = (*store)->migrate();
  if (!version) return version.error();

  auto rt = std::make_unique<AppRuntime>();
  rt->store_ = std::move(*store);
  rt->phones_ = std::make_unique<PhoneNormalizer>(settings.default_region);
  std::random_device rd;
  std::uint64_t random5 = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  rt->ids_ = std::make_unique<ObjectIdGenerator>(random5, rd());
  AppConfig config{settings.default_region, settings.timezone};
  rt->context_ = std::make_unique<AppContext>(
      *rt->store_, *rt->phones_, *rt->ids_,
      [] {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now());
      },
      config);
  return rt;
}

}  // namespace leadproc::cli
