// One read of the store on another thread, beside the caller's own: for a report whose reads
// each wait mostly on the database server (docs/architecture.md "A report's two longest reads
// run side by side"). The read takes a connection and gives it back by itself, so a caller that
// waits for it while holding none cannot deadlock the pool; callers wait only outside their own
// reads.
#pragma once

#include <future>
#include <optional>
#include <utility>

#include "app/store.h"

namespace leadproc {

// Runs `read` (Result<T>(ReadTx&)) in a read of `store` on another thread; the future's value
// is its result, or the read's error. Whatever `read` refers to must outlive the future (whose
// destructor waits for it).
template <typename T, typename Read>
std::future<Result<T>> read_beside(Store& store, Read read) {
  return std::async(std::launch::async, [&store, read = std::move(read)]() -> Result<T> {
    std::optional<T> out;
    auto s = store.read([&](ReadTx& tx) -> Status {
      auto r = read(tx);
      if (!r) return r.error();
      out.emplace(std::move(*r));
      return ok_status();
    });
    if (!s) return s.error();
    return std::move(*out);
  });
}

}  // namespace leadproc
