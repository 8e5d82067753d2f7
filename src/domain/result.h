// Expected failures as values: every use case returns Result<T>; the HTTP layer maps
// Error::code to a status and a problem+json body in one table (src/http/problem.cpp).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace leadproc {

enum class ErrorCode {
  kValidation,          // 422: the input is wrong; `fields` names every bad field
  kNotFound,            // 404
  kConflict,            // 409: the request clashes with current state (unique name, illegal move)
  kPreconditionFailed,  // 412: optimistic concurrency, the version moved on
  kUnauthorized,        // 401
  kForbidden,           // 403
  kTooManyRequests,     // 429
  kPayloadTooLarge,     // 413
  kUnavailable,         // 503: the store is down or overloaded; retry later
  kInternal,            // 500: a bug
};

struct FieldError {
  std::string field;   // JSON path of the bad field, e.g. "destinations[2].loadShare"
  std::string reason;  // human-readable
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string detail;
  std::vector<FieldError> fields;    // for kValidation
  std::vector<std::string> allowed;  // for an illegal move: the moves that are allowed
  int retry_after_seconds = 0;       // for kUnavailable / kTooManyRequests

  static Error validation(std::vector<FieldError> fields, std::string detail = "invalid input") {
    return Error{ErrorCode::kValidation, std::move(detail), std::move(fields), {}, 0};
  }
  static Error not_found(std::string detail) {
    return Error{ErrorCode::kNotFound, std::move(detail), {}, {}, 0};
  }
  static Error conflict(std::string detail, std::vector<std::string> allowed = {}) {
    return Error{ErrorCode::kConflict, std::move(detail), {}, std::move(allowed), 0};
  }
  static Error unavailable(std::string detail, int retry_after = 1) {
    return Error{ErrorCode::kUnavailable, std::move(detail), {}, {}, retry_after};
  }
  static Error internal(std::string detail) {
    return Error{ErrorCode::kInternal, std::move(detail), {}, {}, 0};
  }
};

// A value or an Error. Small on purpose: std::expected is not in g++ 12's C++20.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

}  // namespace leadproc
