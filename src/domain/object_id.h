// ObjectId-format ids (PRODUCT.md "Compatibility"): 4-byte big-endian seconds, 5 random bytes
// fixed per generator, 3-byte counter; 24 lower-case hex digits. Ids made by one generator sort
// by creation second, and never repeat within one process.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
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

// The least lower-case id whose object_id_time is at or after `t`: a lower-case id compares
// (as a string) >= it iff its time is >= t. The all-zero id for any `t` up to the epoch; nullopt
// past the 4-byte range (2106-02-07T06:28:15Z), as no id is that late. Storage adapters turn
// time windows into id ranges with it.
std::optional<Id> object_id_lower_bound(Timestamp t);

}  // namespace leadproc
