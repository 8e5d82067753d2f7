// The objects every subcommand shares, built once from Settings: store, phone normaliser, id
// generator, clock, and the AppContext over them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
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

  // The use cases' clock is the system clock plus an offset that starts at zero and that only
  // tests move (LEADPROC_TEST_CLOCK, POST /api/v1/_test/clock), so that a test of "24 hours
  // later" neither waits nor depends on timing. Moves it forward by `by` (> 0) and answers the
  // new now. Thread-safe.
  Timestamp advance_clock(std::chrono::milliseconds by);

 private:
  std::shared_ptr<std::atomic<std::int64_t>> clock_offset_ms_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store> replica_;  // LEADPROC_READ_DATABASE_URL; never migrated (read-only)
  std::unique_ptr<PhoneNormalizer> phones_;
  std::unique_ptr<ObjectIdGenerator> ids_;
  std::unique_ptr<AppContext> context_;
};

}  // namespace leadproc::cli
