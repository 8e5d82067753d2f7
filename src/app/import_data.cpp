#include "app/import_data.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

#include "domain/object_id.h"
#include "import/extended_json.h"

namespace leadproc {
using import::Collection;
using import::Record;

ImportCounts& ImportCounts::operator+=(const ImportCounts& o) {
  read += o.read;
  imported += o.imported;
  skipped += o.skipped;
  rejected += o.rejected;
  refused += o.refused;
  warnings += o.warnings;
  return *this;
}

namespace {

RecordKind kind_of(Collection c) {
  switch (c) {
    case Collection::kUsers:
      return RecordKind::kUser;
    case Collection::kDestinations:
      return RecordKind::kDestination;
    case Collection::kScoreConfigs:
      return RecordKind::kScoreConfig;
    case Collection::kProcessMaps:
      return RecordKind::kProcessMap;
    case Collection::kAvailabilities:
      return RecordKind::kAvailability;
    case Collection::kWebUrls:
      return RecordKind::kWebUrl;
    case Collection::kLeads:
      return RecordKind::kLead;
    case Collection::kOpportunities:
      return RecordKind::kOpportunity;
    case Collection::kActivities:
      return RecordKind::kActivity;
    case Collection::kNotes:
      return RecordKind::kNote;
    case Collection::kFollowUps:
      return RecordKind::kFollowUp;
  }
  return RecordKind::kUser;  // unreachable: every collection is listed
}

struct Pending {
  std::string location;
  Record record;
  std::vector<std::string> warnings;
};

// A reference a record holds: the field, the kind of record it names, the id.
struct Reference {
  std::string field;
  RecordKind kind;
  Id id;
};

std::vector<Reference> references(const Record& record) {
  std::vector<Reference> out;
  auto add = [&](std::string field, RecordKind kind, const std::optional<Id>& id) {
    if (id && !id->empty()) out.push_back({std::move(field), kind, *id});
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Availability>) {
          add("personId", RecordKind::kUser, x.person_id);
          for (std::size_t i = 0; i < x.destinations.size(); ++i)
            add("destinations[" + std::to_string(i) + "]._id", RecordKind::kDestination,
                x.destinations[i].id);
        } else if constexpr (std::is_same_v<T, ProcessDestinationMap>) {
          for (std::size_t i = 0; i < x.destinations.size(); ++i)
            add("destinations[" + std::to_string(i) + "]._id", RecordKind::kDestination,
                x.destinations[i].destination_id);
        } else if constexpr (std::is_same_v<T, WebUrl>) {
          if (x.destination) add("destination._id", RecordKind::kDestination, x.destination->id);
        } else if constexpr (std::is_same_v<T, Opportunity>) {
          add("leadId", RecordKind::kLead, x.lead_id);
          add("duplicateOf", RecordKind::kOpportunity, x.duplicate_of);
          if (x.destination) add("destination._id", RecordKind::kDestination, x.destination->id);
          add("opportunityOwner", RecordKind::kUser, x.opportunity_owner);
        } else if constexpr (std::is_same_v<T, Activity> || std::is_same_v<T, Note> ||
                             std::is_same_v<T, FollowUp>) {
          add("oppId", RecordKind::kOpportunity, x.opp_id);
        }
      },
      record);
  return out;
}

// E.164 for the numbers libphonenumber reads (the text received stays in rawNumber).
void normalize_number(const PhoneNormalizer& phones, Pending& p) {
  auto fix = [&](std::string& number, auto& raw) {
    if (number.empty()) return;
    if (auto e164 = phones.to_e164(number)) {
      if (raw.empty()) raw = number;
      number = *e164;
    } else {
      p.warnings.push_back("number '" + number +
                           "' is not a phone number libphonenumber reads; stored as given");
    }
  };
  if (auto* l = std::get_if<Lead>(&p.record)) {
    fix(l->number, l->raw_number);
  } else if (auto* o = std::get_if<Opportunity>(&p.record)) {
    std::string raw = o->raw_number.value_or("");
    fix(o->number, raw);
    if (!raw.empty()) o->raw_number = raw;
    if (object_id_time(o->id) - o->created_at >= kCreatedIdSkew ||
        o->created_at - object_id_time(o->id) >= kCreatedIdSkew)
      p.warnings.push_back(
          "createdAt is more than an hour from the time of its _id: lists by "
          "creation date may leave it out");
  }
}

// What the stored record needs from other records: the POC's name (assignment references carry
// it), the follow-up's owner (the opportunity's owner, whose due lists show it).
Status complete(WriteTx& tx, Pending& p) {
  if (auto* a = std::get_if<Availability>(&p.record); a && a->person_name.empty()) {
    auto user = tx.get_user(a->person_id);
    if (!user) return user.error();
    if (*user) a->person_name = (*user)->display_name();
  } else if (auto* f = std::get_if<FollowUp>(&p.record); f && !f->owner) {
    auto opp = tx.get_opportunity(f->opp_id);
    if (!opp) return opp.error();
    f->owner = *opp ? (*opp)->opportunity_owner : f->created_by;
    if (!f->owner) f->owner = f->created_by;
  }
  return ok_status();
}

Status insert(WriteTx& tx, const Record& record) {
  return std::visit(
      [&](const auto& x) -> Status {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, User>) return tx.insert_user(x);
        if constexpr (std::is_same_v<T, Destination>) return tx.insert_destination(x);
        if constexpr (std::is_same_v<T, ScoreConfig>) return tx.insert_score_config(x);
        if constexpr (std::is_same_v<T, ProcessDestinationMap>) return tx.insert_process_map(x);
        if constexpr (std::is_same_v<T, Availability>) return tx.insert_availability(x);
        if constexpr (std::is_same_v<T, WebUrl>) return tx.insert_weburl(x);
        if constexpr (std::is_same_v<T, Lead>) return tx.insert_lead(x);
        if constexpr (std::is_same_v<T, Opportunity>) return tx.insert_opportunity(x);
        if constexpr (std::is_same_v<T, Activity>) return tx.insert_activity(x);
        if constexpr (std::is_same_v<T, Note>) return tx.insert_note(x);
        if constexpr (std::is_same_v<T, FollowUp>) return tx.insert_followup(x);
      },
      record);
}

bool store_failed(const Error& e) {
  return e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal;
}

// Why the store refused `record`, in the words of the unique rule it breaks: the driver's message
// names an index or a table, which tells an admin nothing. The ids were checked before the insert,
// so a conflict is the record's other unique rule (src/storage/*/migrations.cpp).
std::string refusal(const Record& record, const Error& e) {
  std::string rule;
  if (e.code == ErrorCode::kConflict) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, User>) {
            rule = "another user has the email " + x.email +
                   " (emails are unique, ignoring case, among users not deleted)";
          } else if constexpr (std::is_same_v<T, Destination>) {
            rule = "another destination is named " + x.name +
                   " (names are unique, ignoring case, among destinations not deleted)";
          } else if constexpr (std::is_same_v<T, ProcessDestinationMap>) {
            rule = "another process map of process " + std::string(to_string(x.process)) +
                   " is stored (one per process, besides deleted ones)";
          } else if constexpr (std::is_same_v<T, WebUrl>) {
            rule = "another web URL record has the url " + x.url;
          } else if constexpr (std::is_same_v<T, ScoreConfig>) {
            rule = "another score configuration is active (one may be)";
          } else if constexpr (std::is_same_v<T, Opportunity>) {
            rule = "another open original opportunity has the number " + x.number +
                   " and the destination " + (x.destination ? x.destination->id : "(none)") +
                   " (one may be open per number and destination: the others are duplicates, "
                   "isDuplicate, or closed)";
          }
        },
        record);
  }
  return "refused by the store: " + (rule.empty() ? e.detail : rule);
}

class Importer {
 public:
  // With `tx`, every batch is written in it (the caller's transaction), see import_data.h.
  Importer(AppContext& ctx, Collection c, const ImportOptions& o, const ImportSink& sink,
           WriteTx* tx = nullptr)
      : ctx_(ctx), kind_(kind_of(c)), options_(o), sink_(sink), tx_(tx) {}

  void reject(std::string location, const Error& e) {
    ++counts_.rejected;
    sink_.rejected(ImportProblem{std::move(location), e.detail, e.fields});
  }

  // `p` with its number normalised (decode_document).
  void add(Pending p) { batch_.push_back(std::move(p)); }

  bool full() const { return static_cast<int>(batch_.size()) >= std::max(1, options_.batch_size); }

  // True once the store refused a document in the caller's transaction: nothing more may be
  // written in it.
  bool stopped() const { return stopped_; }

  // Writes the batch (see the file comment of import_data.h).
  Status flush() {
    if (batch_.empty()) return ok_status();
    std::vector<Pending> batch = std::move(batch_);
    batch_.clear();
    if (tx_) {
      Outcome out;
      Status s = write(*tx_, batch, out);
      if (s) return apply(batch, out);
      if (store_failed(s.error())) return s;
      refuse(batch[out.failed], s.error());
      stopped_ = true;
      return ok_status();
    }
    if (options_.dry_run) return check_only(batch);
    Outcome out;
    Status s = ctx_.store.write([&](WriteTx& tx) { return write(tx, batch, out); });
    if (s) return apply(batch, out);
    if (store_failed(s.error())) return s;
    // One document per transaction: only the offending ones are rejected.
    for (auto& p : batch) {
      std::vector<Pending> one{p};
      Outcome single;
      Status s1 = ctx_.store.write([&](WriteTx& tx) { return write(tx, one, single); });
      if (s1) {
        if (auto s2 = apply(one, single); !s2) return s2;
      } else if (store_failed(s1.error())) {
        return s1;
      } else {
        refuse(p, s1.error());
      }
    }
    return ok_status();
  }

  ImportCounts& counts() { return counts_; }
  void report_progress(std::optional<double> fraction) { sink_.progress(counts_, fraction); }

 private:
  struct Outcome {
    std::vector<bool> written;                       // per document of the batch
    std::vector<std::vector<std::string>> warnings;  // per document
    std::size_t failed = 0;                          // the document the store refused
  };

  void refuse(const Pending& p, const Error& e) {
    ++counts_.refused;
    Error plain = e;
    plain.detail = refusal(p.record, e);
    plain.fields.clear();
    reject(p.location, plain);
  }

  // The write transaction of a batch. It may run more than once (an adapter retries
  // serialization failures), so it fills `out` afresh and leaves `batch` unchanged.
  Status write(WriteTx& tx, const std::vector<Pending>& batch, Outcome& out) {
    out.written.assign(batch.size(), false);
    out.warnings.assign(batch.size(), {});
    std::vector<Id> ids;
    for (const auto& p : batch) ids.push_back(import::record_id(p.record));
    auto existing = tx.existing_ids(kind_, ids);
    if (!existing) return existing.error();
    std::unordered_set<Id> taken(existing->begin(), existing->end());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!taken.insert(ids[i]).second) continue;  // stored already, or earlier in the batch
      Pending p = batch[i];
      if (auto s = complete(tx, p); !s) return s;
      if (auto s = insert(tx, p.record); !s) {
        out.failed = i;
        return s;
      }
      out.written[i] = true;
      out.warnings[i] = std::move(p.warnings);
    }
    // References to records that are not stored (after the batch, so that a record may name one
    // written in the same batch): kept as they are, reported.
    std::map<RecordKind, std::set<Id>> wanted;
    std::vector<std::vector<Reference>> refs(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!out.written[i]) continue;
      refs[i] = references(batch[i].record);
      for (const auto& r : refs[i]) wanted[r.kind].insert(r.id);
    }
    std::map<RecordKind, std::set<Id>> found;
    for (const auto& [kind, set] : wanted) {
      auto have = tx.existing_ids(kind, std::vector<Id>(set.begin(), set.end()));
      if (!have) return have.error();
      found[kind].insert(have->begin(), have->end());
    }
    for (std::size_t i = 0; i < batch.size(); ++i)
      for (const auto& r : refs[i])
        if (!found[r.kind].count(r.id))
          out.warnings[i].push_back(r.field + " " + r.id + " names no stored record (kept)");
    return ok_status();
  }

  Status apply(const std::vector<Pending>& batch, const Outcome& out) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!out.written[i]) {
        ++counts_.skipped;
        continue;
      }
      ++counts_.imported;
      for (const auto& w : out.warnings[i]) warn(batch[i].location, w);
    }
    return ok_status();
  }

  Status check_only(const std::vector<Pending>& batch) {
    std::vector<Id> ids;
    for (const auto& p : batch) ids.push_back(import::record_id(p.record));
    std::vector<Id> existing;
    Status s = ctx_.store.read([&](ReadTx& tx) -> Status {
      auto e = tx.existing_ids(kind_, ids);
      if (!e) return e.error();
      existing = std::move(*e);
      return ok_status();
    });
    if (!s) return s;
    // Ids met in earlier batches are remembered too, so that the counts do not depend on
    // --batch-size (a real import finds them stored).
    std::unordered_set<Id> taken(existing.begin(), existing.end());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (taken.count(ids[i]) || !seen_.insert(ids[i]).second) {
        ++counts_.skipped;
        continue;
      }
      ++counts_.imported;
      for (const auto& w : batch[i].warnings) warn(batch[i].location, w);
    }
    return ok_status();
  }

  void warn(const std::string& location, const std::string& detail) {
    ++counts_.warnings;
    sink_.warning(ImportProblem{location, detail, {}});
  }

  AppContext& ctx_;
  RecordKind kind_;
  const ImportOptions& options_;
  const ImportSink& sink_;
  WriteTx* tx_;
  std::vector<Pending> batch_;
  std::unordered_set<Id> seen_;  // dry run: the ids of the documents counted as imported
  bool stopped_ = false;
  ImportCounts counts_;
};

}  // namespace

namespace {

// One document as the reading thread hands it to the writing one: rejected (with why), or
// decoded and ready to write; and how much of the source was read once it was.
struct Decoded {
  std::optional<Pending> pending;
  std::string location;        // of a rejected document
  std::optional<Error> error;  // why it is rejected
  std::optional<double> fraction;
};

Decoded decode_document(Collection collection, const PhoneNormalizer& phones,
                        import::SourceDocument doc) {
  Decoded out;
  if (!doc.document) {
    out.location = std::move(doc.location);
    out.error = std::move(doc.document.error());
    return out;
  }
  std::vector<FieldError> errors;
  std::vector<FieldError> notes;
  auto plain = import::plain_value(*doc.document, "", errors, notes);
  if (!errors.empty()) {
    // The decoder names the fields the wrappers did not already.
    if (plain.is_object())
      if (auto d = import::decode(collection, plain.get_object()); !d)
        for (auto& f : d.error().fields)
          if (std::none_of(errors.begin(), errors.end(),
                           [&](const FieldError& e) { return e.field == f.field; }))
            errors.push_back(std::move(f));
    out.location = std::move(doc.location);
    out.error = Error::validation(std::move(errors), "document not imported");
    return out;
  }
  auto decoded = import::decode(collection, plain.get_object());
  if (!decoded) {
    out.location = std::move(doc.location);
    out.error = std::move(decoded.error());
    return out;
  }
  std::vector<std::string> warnings;
  for (const auto& n : notes) warnings.push_back(n.field + ": " + n.reason);
  for (auto& w : decoded->warnings) warnings.push_back(std::move(w));
  Pending p{std::move(doc.location), std::move(decoded->record), std::move(warnings)};
  normalize_number(phones, p);
  out.pending = std::move(p);
  return out;
}

// Reading and decoding (a little over half of an import's CPU) run on their own thread, a few
// chunks ahead of the writes, so that an import uses two cores. Everything the caller sees
// (counts, reports, progress) stays on the writing thread, in the order of the source.
class ReadAhead {
 public:
  static constexpr std::size_t kChunk = 256;  // documents handed over at once
  static constexpr std::size_t kChunks = 8;   // chunks read ahead at most

  ReadAhead(Collection c, const PhoneNormalizer& phones, import::DocumentSource& source)
      : thread_([this, c, &phones, &source] { read(c, phones, source); }) {}

  ~ReadAhead() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // The next chunk; empty at the end of the source. Rethrows what the reading thread threw.
  std::vector<Decoded> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !chunks_.empty() || done_; });
    if (chunks_.empty()) {
      if (thrown_) std::rethrow_exception(thrown_);
      return {};
    }
    std::vector<Decoded> chunk = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return chunk;
  }

 private:
  void read(Collection c, const PhoneNormalizer& phones, import::DocumentSource& source) {
    try {
      for (bool end = false; !end;) {
        std::vector<Decoded> chunk;
        while (chunk.size() < kChunk) {
          auto doc = source.next();
          if (!doc) {
            end = true;
            break;
          }
          chunk.push_back(decode_document(c, phones, std::move(*doc)));
          chunk.back().fraction = source.fraction_read();
        }
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return chunks_.size() < kChunks || stop_; });
        if (stop_) return;
        if (!chunk.empty()) chunks_.push_back(std::move(chunk));
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      thrown_ = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    done_ = true;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Decoded>> chunks_;  // guarded by mutex_
  bool done_ = false;                        // guarded by mutex_
  bool stop_ = false;                        // guarded by mutex_
  std::exception_ptr thrown_;                // guarded by mutex_
  std::thread thread_;                       // last: started once the members above exist
};

Result<ImportCounts> run_import(Importer& importer, AppContext& ctx, Collection collection,
                                import::DocumentSource& source) {
  std::optional<double> fraction = source.fraction_read();
  {
    ReadAhead ahead(collection, ctx.phones, source);  // the source is its own until it ends
    for (auto chunk = ahead.next(); !chunk.empty() && !importer.stopped(); chunk = ahead.next()) {
      for (auto& d : chunk) {
        if (importer.stopped()) break;
        ++importer.counts().read;
        fraction = d.fraction;
        if (d.error) {
          importer.reject(std::move(d.location), *d.error);
          continue;
        }
        importer.add(std::move(*d.pending));
        if (importer.full()) {
          if (auto s = importer.flush(); !s) return s.error();
          importer.report_progress(fraction);
        }
      }
    }
  }
  if (auto s = importer.flush(); !s) return s.error();
  importer.report_progress(fraction);
  return importer.counts();
}

}  // namespace

Result<ImportCounts> import_documents(AppContext& ctx, Collection collection,
                                      import::DocumentSource& source, const ImportOptions& options,
                                      const ImportSink& sink) {
  Importer importer(ctx, collection, options, sink);
  if (collection != Collection::kOpportunities || options.dry_run)
    return run_import(importer, ctx, collection, source);
  int deferred = 0;
  Status dropped = ctx.store.write([&](WriteTx& tx) -> Status {
    auto n = tx.defer_indexes(RecordKind::kOpportunity);
    if (!n) return n.error();
    deferred = *n;
    return ok_status();
  });
  if (!dropped) return dropped.error();
  auto counts = run_import(importer, ctx, collection, source);
  if (deferred == 0) return counts;
  sink.step("building " + std::to_string(deferred) + " indexes");
  Status built = ctx.store.write([](WriteTx& tx) -> Status {
    auto n = tx.restore_indexes();
    if (!n) return n.error();
    return ok_status();
  });
  if (!built && counts) return built.error();
  return counts;
}

Result<ImportCounts> import_documents(WriteTx& tx, AppContext& ctx, Collection collection,
                                      import::DocumentSource& source, const ImportOptions& options,
                                      const ImportSink& sink) {
  Importer importer(ctx, collection, options, sink, &tx);
  return run_import(importer, ctx, collection, source);
}

}  // namespace leadproc
