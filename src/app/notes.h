// Notes on an opportunity (spec "Opportunity Notes Collection"; PRODUCT.md: up to 2000
// characters, author and time, on the timeline). Append-only: there is no edit or delete.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/opportunity_change.h"

namespace leadproc {

// Adds a note to the opportunity `opp_id` (any state) with an activity, in one transaction. 422
// when the note is missing, blank or longer than kMaxNoteLength characters; 404 for an unknown
// opportunity. A note does not change the opportunity (no new version; opts.expected_version is
// not checked).
Result<Note> add_note(AppContext& ctx, const Id& opp_id, const std::optional<std::string>& text,
                      const WriteOptions& opts);

// Inserts a note with `text` (already validated) on `opp_id` in the caller's transaction, by
// `actor` at `now`. Used by add_note and by a move whose comment is kept as a note; the caller
// records note_added(note) in its activity.
Result<Note> insert_note(AppContext& ctx, WriteTx& tx, const Id& opp_id, const std::string& text,
                         const std::optional<Id>& actor, Timestamp now);

// The activity change that records a new note: "notes.<id>.note", null -> the text.
FieldChange note_added(const Note& note);

// Newest first, paged; kNotFound when the opportunity does not exist.
Result<std::vector<Note>> query_notes(AppContext& ctx, const Id& opp_id, const Page& page);

}  // namespace leadproc
