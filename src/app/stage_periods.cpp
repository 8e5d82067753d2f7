#include "app/stage_periods.h"

#include <string>

#include "app/change_facts.h"
#include "domain/enums.h"
#include "domain/funnel.h"

namespace leadproc {

Status record_stage_period(WriteTx& tx, const std::optional<Opportunity>& before,
                           const Opportunity& after, Timestamp at) {
  const std::string stage = stage_of(after).value_or("");
  const FunnelStep step = funnel_position(after).step;
  if (before && before->status == after.status && stage_of(*before).value_or("") == stage)
    return ok_status();
  return tx.enter_stage(after.id, std::string(to_string(after.status)), stage, step,
                        holder_of(after), at,
                        before ? EarlierStay::kMayBeOpen : EarlierStay::kNone);
}

}  // namespace leadproc
