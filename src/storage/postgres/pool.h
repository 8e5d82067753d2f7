// A bounded pool of PostgreSQL connections, opened on demand. acquire() hands one connection to
// one thread; the Lease gives it back when destroyed, or closes it if it broke (so that the next
// acquire() opens a fresh one and service resumes by itself once the server is back).
//
// Bounds: at most `max_size` connections exist; a caller finding none free waits up to
// `acquire_timeout`, then gets kUnavailable (Retry-After 1) rather than queueing forever. After a
// failed connect, further connects are refused for `reconnect_backoff` with the same error, so a
// server that is down (or a black-holed host, whose connect would block for connect_timeout)
// costs each request microseconds, not seconds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/result.h"
#include "storage/postgres/connection.h"
#include "storage/sql/handles.h"

namespace leadproc::postgres {

struct PoolSettings {
  int max_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds reconnect_backoff{250};
};

class ConnectionPool {
 public:
  using Lease = sql::Lease<ConnectionPool, Connection>;

  ConnectionPool(ConnectSettings connect, PoolSettings settings);

  // A free connection (most recently used first), else a new one if fewer than max_size exist,
  // else the first one freed within acquire_timeout.
  Result<Lease> acquire();

  // Closes every idle connection: after one connection was found broken the others, opened to
  // the same server, most likely are too (a restart), and reopening costs one round trip.
  void drop_idle();

 private:
  friend Lease;
  void release(std::unique_ptr<Connection> conn);

  const ConnectSettings connect_;
  const PoolSettings settings_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int open_ = 0;                                   // guarded by mutex_: idle + leased + opening
  std::chrono::steady_clock::time_point refuse_until_{};  // guarded by mutex_
  std::optional<Error> last_connect_error_;               // guarded by mutex_
};

}  // namespace leadproc::postgres
