#include "app/notes.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "app/activity_log.h"
#include "domain/object_id.h"

namespace leadproc {

Result<Note> insert_note(AppContext& ctx, WriteTx& tx, const Id& opp_id, const std::string& text,
                         const std::optional<Id>& actor, Timestamp now) {
  Note note{ctx.new_id(), opp_id, text, actor, now, now};
  if (auto w = tx.insert_note(note); !w) return w.error();
  return note;
}

FieldChange note_added(const Note& note) {
  return FieldChange{"notes." + note.id + ".note", "null",
                     boost::json::serialize(boost::json::value(note.note))};
}

Result<Note> add_note(AppContext& ctx, const Id& opp_id, const std::optional<std::string>& text,
                      const WriteOptions& opts) {
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos)
    return Error::validation({{"note", "is required and must not be blank"}}, "invalid note");
  if (text_length(*text) > kMaxNoteLength) {
    return Error::validation(
        {{"note", "must be at most " + std::to_string(kMaxNoteLength) + " characters"}},
        "invalid note");
  }
  Note note;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    WriteOptions unconditional = opts;  // a note does not change the opportunity
    unconditional.expected_version.reset();
    auto opp = load_for_change(tx, opp_id, unconditional);
    if (!opp) return opp.error();
    const Timestamp now = ctx.now();
    auto inserted = insert_note(ctx, tx, opp_id, *text, opts.actor, now);
    if (!inserted) return inserted.error();
    note = std::move(*inserted);
    // The activity records the note itself; the opportunity is unchanged.
    return record_activity(ctx, tx, *opp, *opp, opts.actor, "note added", {note_added(note)});
  });
  if (!s) return s.error();
  return note;
}

Result<std::vector<Note>> query_notes(AppContext& ctx, const Id& opp_id, const Page& page) {
  std::vector<Note> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (auto exists = require_opportunity(tx, opp_id); !exists) return exists;
    auto r = tx.list_notes(opp_id, page);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
