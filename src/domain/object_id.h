// ObjectId-format ids (PRODUCT.md "Compatibility"): 4-byte big-endian seconds, 5 random bytes
// fixed per generator, 3-byte counter; 24 lower-case hex digits. Ids made by one generator sort
// by creation second, and never repeat within one process.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/model.h"

namespace leadproc {

class ObjectIdGenerator {
 public:
  // `random5` is the per-process random part (the caller draws it; the domain does no I/O).
  ObjectIdGenerator(std::uint64_t random5, std::uint32_t counter_start);

  // Thread-safe.
  Id next(Timestamp now);

 private:
  std::uint64_t random5_;
  std::atomic<std::uint32_t> counter_;
};

// True iff `s` is 24 hex digits (either case).
bool is_object_id(std::string_view s);

// The creation time encoded in an id's first 4 bytes (valid ids only).
Timestamp object_id_time(std::string_view id);

}  // namespace leadproc
