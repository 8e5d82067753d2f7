// What every use case needs from the outside world, passed in explicitly (no singletons): the
// store, the clock, the id generator and the configuration. Tests build one with a fixed clock.
#pragma once

#include <functional>
#include <string>

#include "app/store.h"
#include "domain/model.h"
#include "domain/object_id.h"
#include "phone/phone_normalizer.h"

namespace leadproc {

struct AppConfig {
  std::string default_region = "IN";
  std::string timezone = "Asia/Kolkata";
};

struct AppContext {
  Store& store;
  const PhoneNormalizer& phones;
  ObjectIdGenerator& ids;
  std::function<Timestamp()> now;
  AppConfig config;

  Id new_id() { return ids.next(now()); }
};

}  // namespace leadproc
