// The objects every subcommand shares, built once from Settings: store, phone normaliser, id
// generator, clock, and the AppContext over them.
#pragma once

#include <memory>

#include "app/context.h"
#include "cli/settings.h"

namespace leadproc::cli {

class AppRuntime {
 public:
  // Opens the store and migrates it; returns an error to print on failure.
  static Result<std::unique_ptr<AppRuntime>> open(const Settings& settings);

  AppContext& context() { return *context_; }
  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<PhoneNormalizer> phones_;
  std::unique_ptr<ObjectIdGenerator> ids_;
  std::unique_ptr<AppContext> context_;
};

}  // namespace leadproc::cli
