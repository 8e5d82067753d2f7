#include "app/process_maps.h"

#include <algorithm>

#include "app/destinations.h"

namespace leadproc {
namespace {

enum class Mode { kCreate, kReplace, kPatch };

// Checks and resolves the entries; `stored` gives the counters to keep.
Result<std::vector<ProcessMapEntry>> resolve_entries(ReadTx& tx,
                                                     const std::vector<ProcessMapEntryInput>& items,
                                                     FiltrationProcess process,
                                                     const std::vector<ProcessMapEntry>& stored,
                                                     std::vector<FieldError>& errors) {
  std::vector<ProcessMapEntry> out;
  std::vector<std::size_t> positions;  // request index of each entry in `out`
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string field = "destinations[" + std::to_string(i) + "]";
    const ProcessMapEntryInput& item = items[i];
    Result<std::optional<Destination>> dest = std::optional<Destination>();
    if (item.destination) dest = resolve_destination_ref(tx, *item.destination, field, errors);
    if (!dest) return dest.error();
    ProcessMapEntry e;
    if (*dest) {  // keep the stored split credit unless a counter is given
      auto it = std::find_if(stored.begin(), stored.end(), [&](const ProcessMapEntry& s) {
        return s.destination_id == (*dest)->id;
      });
      if (it != stored.end()) e.counter = it->counter;
    }
    if (item.is_active) e.is_active = *item.is_active;
    if (auto share = item.load_share) {
      if (*share < 0 || *share > 100)
        errors.push_back({field + ".loadShare", "must be an integer from 0 to 100"});
      else
        e.load_share = static_cast<int>(*share);
    }
    if (item.counter) e.counter = *item.counter;
    if (process != FiltrationProcess::kWest) {
      if (item.sheet_name) errors.push_back({field + ".sheetName", "is only for the WEST process"});
      if (item.waba_number)
        errors.push_back({field + ".wabaNumber", "is only for the WEST process"});
    } else {
      e.sheet_name = item.sheet_name;
      e.waba_number = item.waba_number;
    }
    if (!*dest) continue;
    e.destination_id = (*dest)->id;
    e.name = (*dest)->name;
    auto seen = std::find_if(out.begin(), out.end(), [&](const ProcessMapEntry& x) {
      return x.destination_id == e.destination_id;
    });
    if (seen != out.end()) {
      errors.push_back({field, "lists destination '" + e.name + "' again (already destinations[" +
                                   std::to_string(positions[seen - out.begin()]) + "])"});
      continue;
    }
    out.push_back(std::move(e));
    positions.push_back(i);
  }
  return out;
}

Result<ProcessDestinationMap> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no process map with _id '" + raw_id + "'");
  auto m = tx.get_process_map(*id);
  if (!m) return m.error();
  if (!*m || (*m)->deleted) return Error::not_found("no process map with _id '" + raw_id + "'");
  return **m;
}

// 409 if another non-deleted map serves `process`.
Status check_process_free(ReadTx& tx, FiltrationProcess process, const Id& self) {
  auto other = tx.find_process_map(process);
  if (!other) return other.error();
  if (*other && (*other)->id != self)
    return Error::conflict("a " + std::string(to_string(process)) +
                           " process map already exists (_id " + (*other)->id +
                           "); change that one");
  return ok_status();
}

// Creates (no `id`) or changes the map, per `mode`.
Result<ProcessDestinationMap> save(AppContext& ctx, const std::optional<Id>& id,
                                   const ProcessMapInput& in, Mode mode) {
  std::vector<FieldError> decode_errors = in.decode_errors;
  if (mode != Mode::kPatch) {
    require_field(decode_errors, in.process.has_value(), "process");
    require_field(decode_errors, in.destinations.has_value(), "destinations");
  }
  ProcessDestinationMap out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    ProcessDestinationMap m;
    if (id) {
      auto found = load(tx, *id);
      if (!found) return found.error();
      m = *found;
    }
    std::vector<FieldError> errors = decode_errors;
    const FiltrationProcess process = in.process.value_or(m.process);
    std::vector<ProcessMapEntry> entries = m.destinations;
    if (in.destinations) {
      auto decoded = resolve_entries(tx, *in.destinations, process, m.destinations, errors);
      if (!decoded) return decoded.error();
      entries = std::move(*decoded);
    }
    if (!errors.empty()) return Error::validation(std::move(errors), "the process map is invalid");
    if (auto free = check_process_free(tx, process, m.id); !free) return free;
    if (process != FiltrationProcess::kWest) {
      for (auto& e : entries) {
        e.sheet_name.reset();
        e.waba_number.reset();
      }
    }
    const Timestamp now = ctx.now();
    m.process = process;
    m.destinations = std::move(entries);
    m.updated_at = now;
    if (!id) {
      m.id = ctx.new_id();
      m.created_at = now;
      if (auto ins = tx.insert_process_map(m); !ins) return ins;
    } else if (auto up = tx.update_process_map(m); !up) {
      return up;
    }
    out = std::move(m);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace

Result<ProcessDestinationMap> create_process_map(AppContext& ctx, const ProcessMapInput& in) {
  return save(ctx, std::nullopt, in, Mode::kCreate);
}

Result<std::vector<ProcessDestinationMap>> list_process_maps(AppContext& ctx) {
  std::vector<ProcessDestinationMap> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_process_maps(false);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ProcessDestinationMap> get_process_map(AppContext& ctx, const Id& id) {
  ProcessDestinationMap out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto m = load(tx, id);
    if (!m) return m.error();
    out = std::move(*m);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ProcessDestinationMap> replace_process_map(AppContext& ctx, const Id& id,
                                                  const ProcessMapInput& in) {
  return save(ctx, id, in, Mode::kReplace);
}

Result<ProcessDestinationMap> update_process_map(AppContext& ctx, const Id& id,
                                                 const ProcessMapInput& in) {
  return save(ctx, id, in, Mode::kPatch);
}

Status delete_process_map(AppContext& ctx, const Id& id) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    ProcessDestinationMap m = *found;
    m.deleted = true;
    m.updated_at = ctx.now();
    return tx.update_process_map(m);
  });
}

}  // namespace leadproc
