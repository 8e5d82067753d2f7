// Login throttling with growing delays (docs/api-auth.md "Throttling"): the pure rules, given the
// stored state of one throttle and the time. The store keeps one throttle per (account, client
// address) pair and one per address; app/auth.cpp reserves an attempt on both, in one write
// transaction, before the password is checked.
//
// Why reserve before checking: an attempt is counted as a failure when it is admitted, before
// bcrypt runs, so that concurrent guesses cannot all pass the check while the first ones are
// still being verified (the limit would otherwise be "limit + whatever arrives in 220 ms"). A
// success gives its reservation back (refund_attempt) and resets the pair.
//
// Why delays rather than a lock: after `limit` failures, each further failure delays the next
// check by base_delay, then twice that, and so on up to max_delay, so a guesser gets ever fewer
// tries while the owner (from another address, or after the delay) is never locked out for long.
#pragma once

#include <chrono>
#include <string>

#include "domain/model.h"

namespace leadproc {

struct ThrottlePolicy {
  int limit = 5;  // failures admitted without delay
  std::chrono::milliseconds base_delay = std::chrono::minutes(1);  // after the limit-th failure
  std::chrono::milliseconds max_delay = std::chrono::hours(1);     // delays double up to this
  // A throttle with no failure for this long (and no delay running) starts afresh.
  std::chrono::milliseconds forget_after = std::chrono::hours(24);
};

// The state of one throttle. `email` is the lower-case login email of a pair, "" for an address's
// own throttle.
struct LoginThrottle {
  std::string email;
  std::string address;
  int failures = 0;             // attempts counted (reserved) and not given back
  Timestamp last_failure_at{};  // when the latest was reserved
  Timestamp blocked_until{};    // no attempt is admitted before this instant
};

// What reserve_attempt decided.
struct ThrottleDecision {
  bool admitted = false;
  LoginThrottle next;                  // the state to store when admitted
  Timestamp previous_blocked_until{};  // blocked_until before this reservation (for a refund)
  int retry_after_seconds = 0;         // when refused: whole seconds until blocked_until (>= 1)
};

// The delay that follows the n-th counted failure: none below the limit, then base_delay doubling
// with each failure past it, capped at max_delay.
std::chrono::milliseconds delay_after(int failures, const ThrottlePolicy& p);

// Admits one attempt (counted as a failure at once, delay started if it reaches the limit) unless
// a delay is running at `now`; a state idle for forget_after is treated as fresh.
ThrottleDecision reserve_attempt(const LoginThrottle& current, const ThrottlePolicy& p,
                                 Timestamp now);

// Gives back an admitted reservation whose password turned out right: one failure fewer, and the
// delay this reservation started (if it is still the stored one) undone.
LoginThrottle refund_attempt(const LoginThrottle& current, const ThrottleDecision& reserved);

}  // namespace leadproc
