// What every storage contract suite shares: ContractTest, the fixture that gives each case a
// fresh, migrated database of one backend (backends.h) and runs lambdas in its transactions, and
// the small builders of timestamps and ids the cases are written with.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "app/store.h"
#include "backends.h"

#define ASSERT_OK(expr)                                         \
  do {                                                          \
    const auto& r_ = (expr);                                    \
    ASSERT_TRUE(r_.ok()) << #expr << ": " << r_.error().detail; \
  } while (0)
#define EXPECT_OK(expr)                                         \
  do {                                                          \
    const auto& r_ = (expr);                                    \
    EXPECT_TRUE(r_.ok()) << #expr << ": " << r_.error().detail; \
  } while (0)

namespace leadproc::storage_test {

inline Timestamp at(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

// An ObjectId-format id (24 hex digits): the creation second, as ObjectIds hold it, then n, so
// that the ids of one second sort in the order of n.
inline Id object_id(std::uint64_t second, unsigned n) {
  char buf[25];
  std::snprintf(buf, sizeof buf, "%08llx%016x", static_cast<unsigned long long>(second), n);
  return buf;
}

// An id of the second of `t_ms` (rounded down), the n-th of that second.
inline Id oid_at(std::int64_t t_ms, unsigned n) {
  return object_id(static_cast<std::uint64_t>(t_ms / 1000), n);
}

// The n-th id of a fixed second (0x65b1b2c3, in January 2024), for the suites whose cases do not
// depend on the second an id holds. A suite whose cases do (created windows) defines its own
// oid() over object_id() or oid_at() instead of this one.
inline Id oid(unsigned n) {
  return object_id(0x65b1b2c3, n);
}

// A value-parameterised suite over the backends: each case gets a new, empty database, opened
// and migrated. Derive a suite of its own from it (`class XContract : public ContractTest {};`)
// and instantiate it with ::testing::ValuesIn(contract_backends("x")).
class ContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    factory_ = GetParam().fresh_database();
    reopen();
    ASSERT_NE(store_, nullptr);
    auto v = store_->migrate();
    ASSERT_TRUE(v.ok()) << v.error().detail;
    version_ = *v;
  }
  void TearDown() override {
    store_.reset();
    factory_ = nullptr;
  }
  // Closes the Store and opens another on the same database.
  void reopen() {
    store_.reset();
    store_ = factory_();
  }

  // Runs `f` (a Result<T>(ReadTx&)) in a read transaction and returns its result.
  template <typename F>
  std::invoke_result_t<F, ReadTx&> read(F f) {
    std::optional<std::invoke_result_t<F, ReadTx&>> out;
    Status s = store_->read([&](ReadTx& tx) -> Status {
      out.emplace(f(tx));
      return ok_status();
    });
    if (!s) return s.error();
    return std::move(*out);
  }

  // Runs `f` (a Result<T>(WriteTx&)) in a write transaction, committed iff it succeeds.
  template <typename F>
  std::invoke_result_t<F, WriteTx&> write(F f) {
    std::optional<std::invoke_result_t<F, WriteTx&>> out;
    Status s = store_->write([&](WriteTx& tx) -> Status {
      out.emplace(f(tx));
      if (!out->ok()) return out->error();
      return ok_status();
    });
    if (!s) return s.error();
    return std::move(*out);
  }

  StoreFactory factory_;
  std::unique_ptr<Store> store_;
  int version_ = 0;  // what migrate() returned in SetUp
};

}  // namespace leadproc::storage_test
