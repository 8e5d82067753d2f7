// Follow-ups and notes (docs/api-workflow.md).
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/ports/opportunities.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// A place in a due list, ordered by (reminder time, id): the follow-up's id, or the
// opportunity's for a PSV/WEST agent's nextFollowUpDate.
struct DueCursor {
  Timestamp reminder{};
  Id id;
};

// A window of follow-up reminders: reminder in [from, to) (an absent end is open), of one owner
// (everyone's when absent), at most `limit` rows.
struct DueWindow {
  std::optional<Timestamp> from;  // inclusive
  std::optional<Timestamp> to;    // exclusive
  std::optional<Id> owner;
  int limit = 200;
  std::optional<DueCursor> after;  // only the entries after this one (paging an export)
};

class FollowUpReads {
 public:
  virtual Result<std::optional<FollowUp>> get_followup(const Id& id) = 0;
  // Every follow-up of the opportunity (any status), newest first.
  virtual Result<std::vector<FollowUp>> list_followups(const Id& opp_id) = 0;
  // Active follow-ups whose reminderDate is in the window (and whose owner is w.owner, when
  // given), earliest reminder first, then by id.
  virtual Result<std::vector<FollowUp>> list_due_followups(const DueWindow& w) = 0;
  // The PSV/WEST agents' follow-ups: opportunities with status InPSV or InWEST whose
  // nextFollowUpDate is in the window (and whose assignedPsv or assignedWest is w.owner, when
  // given), earliest first, then by id.
  virtual Result<std::vector<Opportunity>> list_filtration_due(const DueWindow& w) = 0;
  // Newest first.
  virtual Result<std::vector<Note>> list_notes(const Id& opp_id, const Page& page) = 0;

 protected:
  ~FollowUpReads() = default;
};

class FollowUpWrites {
 public:
  // A follow-up does not need its opportunity row to exist yet: CRM entry inserts the
  // first-contact follow-up in the transaction that inserts (or updates) the opportunity, in
  // either order. Adapters therefore put no foreign key from follow-ups to opportunities.
  virtual Status insert_followup(const FollowUp& f) = 0;
  // Writes every field but id, opp_id and created_at, only if the stored version equals
  // `expected_version`, and stores expected_version + 1 (whatever f.version says). Otherwise
  // kPreconditionFailed and nothing is written; kNotFound when no follow-up has the id.
  virtual Status update_followup(const FollowUp& f, std::int64_t expected_version) = 0;
  // Notes are append-only: there is no update or delete.
  virtual Status insert_note(const Note& n) = 0;

 protected:
  ~FollowUpWrites() = default;
};

}  // namespace leadproc
