#include "domain/login_throttle.h"

#include <algorithm>

namespace leadproc {

std::chrono::milliseconds delay_after(int failures, const ThrottlePolicy& p) {
  if (failures < p.limit) return std::chrono::milliseconds(0);
  auto delay = p.base_delay;
  for (int past = failures - p.limit; past > 0 && delay < p.max_delay; --past) delay *= 2;
  return std::min(delay, p.max_delay);
}

ThrottleDecision reserve_attempt(const LoginThrottle& current, const ThrottlePolicy& p,
                                 Timestamp now) {
  ThrottleDecision d;
  d.next = current;
  d.previous_blocked_until = current.blocked_until;
  if (current.blocked_until > now) {
    auto ms = (current.blocked_until - now).count();
    d.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
    return d;
  }
  if (now - current.last_failure_at >= p.forget_after) d.next.failures = 0;
  d.admitted = true;
  d.next.failures += 1;
  d.next.last_failure_at = now;
  if (auto delay = delay_after(d.next.failures, p); delay.count() > 0)
    d.next.blocked_until = now + delay;
  return d;
}

LoginThrottle refund_attempt(const LoginThrottle& current, const ThrottleDecision& reserved) {
  LoginThrottle out = current;
  out.failures = std::max(0, current.failures - 1);
  if (reserved.next.blocked_until != reserved.previous_blocked_until &&
      current.blocked_until == reserved.next.blocked_until)
    out.blocked_until = reserved.previous_blocked_until;
  return out;
}

}  // namespace leadproc
