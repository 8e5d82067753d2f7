// Escalation policies (domain/sla_policy.h; migration 26) and the steps they took.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "domain/sla_policy.h"

namespace leadproc {

// How many (policy, step) rows were written in [from, to), per policy id and step name.
struct SlaStepCount {
  std::string policy_id;
  std::string step;
  int count = 0;
};

class SlaPolicyReads {
 public:
  // Every policy, by creation (id).
  virtual Result<std::vector<SlaPolicy>> list_sla_policies() = 0;
  // Locked for the rest of a write transaction (PostgreSQL).
  virtual Result<std::optional<SlaPolicy>> get_sla_policy(const std::string& id) = 0;
  // The opportunities `p` watches that entered its stage in [from, to] and that it has not acted
  // on yet (no "act" row): still in the stage (PSV/WEST: status InPSV/InWEST not moved on from
  // the fresh-lead stage; CRM: status Open at fresh_lead) and held by someone; the earliest
  // entry first, at most `limit`.
  virtual Result<std::vector<Opportunity>> sla_candidates(const SlaPolicy& p, Timestamp from,
                                                          Timestamp to, int limit) = 0;
  virtual Result<std::vector<SlaStepCount>> count_sla_steps(Timestamp from, Timestamp to) = 0;

 protected:
  ~SlaPolicyReads() = default;
};

class SlaPolicyWrites {
 public:
  virtual Status insert_sla_policy(const SlaPolicy& p) = 0;
  virtual Status update_sla_policy(const SlaPolicy& p) = 0;  // kNotFound when it does not exist
  // Deletes the policy and the record of its steps. kNotFound when it does not exist.
  virtual Status delete_sla_policy(const std::string& id) = 0;
  // Claims `step` of policy `policy_id` on the opportunity: true when this transaction wrote the
  // row, false when it exists (another run, on this or another instance, took the step). On
  // PostgreSQL a second claimer waits for the first's transaction and answers false if it
  // committed, so a step is taken once with its action.
  virtual Result<bool> claim_sla_step(const std::string& policy_id, const Id& opp_id, SlaStep step,
                                      Timestamp at) = 0;

 protected:
  ~SlaPolicyWrites() = default;
};

}  // namespace leadproc
