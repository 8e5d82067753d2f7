#include "app/destinations.h"

#include <algorithm>
#include <cctype>

#include "domain/object_id.h"
#include "domain/text.h"

namespace leadproc {

std::optional<Id> canonical_id(std::string_view s) {
  if (!is_object_id(s)) return std::nullopt;
  return lower_ascii(s);
}

std::vector<std::string> normalize_slugs(const std::vector<std::string>& raw,
                                         std::vector<FieldError>& errors,
                                         const std::string& field) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string slug = lower_ascii(trim(raw[i]));
    const std::string path = field + "[" + std::to_string(i) + "]";
    if (slug.empty()) {
      errors.push_back({path, "must not be empty"});
    } else if (slug.find('/') != std::string::npos) {
      errors.push_back({path, "must be a single URL path segment (no '/')"});
    } else if (std::find(out.begin(), out.end(), slug) == out.end()) {
      out.push_back(std::move(slug));
    }
  }
  return out;
}

namespace {

// Looks a string up as an _id (non-deleted), then as a name.
Result<std::optional<Destination>> by_id_or_name(ReadTx& tx, const std::string& given) {
  if (auto id = canonical_id(given)) {
    auto d = tx.get_destination(*id);
    if (!d) return d.error();
    if (*d && !(*d)->deleted) return *d;
  }
  return tx.find_destination_by_name(std::string(trim(given)));
}

}  // namespace

Result<std::optional<Destination>> resolve_destination_ref(ReadTx& tx, const DestinationRef& ref,
                                                           const std::string& field,
                                                           std::vector<FieldError>& errors) {
  switch (ref.by) {
    case DestinationRef::By::kIdOrName: {
      auto d = by_id_or_name(tx, ref.value);
      if (!d) return d;
      if (!*d) errors.push_back({field, "no destination has the _id or name '" + ref.value + "'"});
      return d;
    }
    case DestinationRef::By::kId: {
      const std::string path = field + "._id";
      auto id = canonical_id(ref.value);
      if (!id) {
        errors.push_back({path, "must be 24 hex digits"});
        return std::optional<Destination>();
      }
      auto d = tx.get_destination(*id);
      if (!d) return d.error();
      if (!*d || (*d)->deleted) {
        errors.push_back({path, "no destination has this _id"});
        return std::optional<Destination>();
      }
      return *d;
    }
    case DestinationRef::By::kName: {
      auto d = tx.find_destination_by_name(std::string(trim(ref.value)));
      if (!d) return d;
      if (!*d) errors.push_back({field + ".name", "no destination has this name"});
      return d;
    }
  }
  return std::optional<Destination>();
}

namespace {

// The input with the rules of a destination applied (name trimmed, slugs normalised); every
// broken rule added to `errors`.
struct CheckedDestination {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> slugs;
  std::optional<double> preference;
};

CheckedDestination check(const DestinationInput& in, bool creating,
                         std::vector<FieldError>& errors) {
  CheckedDestination out;
  if (in.name) {
    out.name = trim(*in.name);
    if (out.name->empty())
      errors.push_back({"name", "must not be empty"});
    else if (out.name->size() > 200)
      errors.push_back({"name", "must be at most 200 characters"});
  }
  if (creating) require_field(errors, in.name.has_value(), "name");
  if (in.slugs) out.slugs = normalize_slugs(*in.slugs, errors);
  if (in.preference.value) {
    if (*in.preference.value < 0.1 || *in.preference.value > 1.0)
      errors.push_back({"preference", "must be between 0.1 and 1.0"});
    else
      out.preference = *in.preference.value;
  } else if (in.preference.given) {
    out.preference = 1.0;
  }
  return out;
}

// 409 if another non-deleted destination has this name (case-insensitively).
Status check_name_free(ReadTx& tx, const std::string& name, const Id& self) {
  auto other = tx.find_destination_by_name(name);
  if (!other) return other.error();
  if (*other && (*other)->id != self)
    return Error::conflict("a destination named '" + (*other)->name + "' already exists (_id " +
                           (*other)->id + ")");
  return ok_status();
}

Result<Destination> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no destination with _id '" + raw_id + "'");
  auto d = tx.get_destination(*id);
  if (!d) return d.error();
  if (!*d || (*d)->deleted) return Error::not_found("no destination with _id '" + raw_id + "'");
  return **d;
}

// Every consumed web URL (paged through; the number of marked URLs is modest).
Result<std::vector<WebUrl>> consumed_weburls(ReadTx& tx) {
  std::vector<WebUrl> all;
  WebUrlFilter f;
  f.consumed = true;
  f.limit = 1000;
  for (;;) {
    auto page = tx.list_weburls(f);
    if (!page) return page.error();
    all.insert(all.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < f.limit) break;
    f.offset += f.limit;
  }
  return all;
}

// Carries a rename into the denormalised {_id, name} copies.
Status propagate_rename(WriteTx& tx, const Destination& d, Timestamp now) {
  auto maps = tx.list_process_maps(false);
  if (!maps) return maps.error();
  for (auto m : *maps) {
    bool changed = false;
    for (auto& e : m.destinations)
      if (e.destination_id == d.id && e.name != d.name) {
        e.name = d.name;
        changed = true;
      }
    if (!changed) continue;
    m.updated_at = now;
    if (auto s = tx.update_process_map(m); !s) return s;
  }
  auto pocs = tx.list_availabilities(AvailabilityFilter{});
  if (!pocs) return pocs.error();
  for (auto a : *pocs) {
    bool changed = false;
    for (auto& ref : a.destinations)
      if (ref.id == d.id && ref.name != d.name) {
        ref.name = d.name;
        changed = true;
      }
    if (!changed) continue;
    a.updated_at = now;
    if (auto s = tx.update_availability(a); !s) return s;
  }
  auto urls = consumed_weburls(tx);
  if (!urls) return urls.error();
  for (auto w : *urls) {
    if (!w.destination || w.destination->id != d.id || w.destination->name == d.name) continue;
    w.destination->name = d.name;
    w.updated_at = now;
    if (auto s = tx.update_weburl(w); !s) return s;
  }
  return ok_status();
}

}  // namespace

Result<Destination> create_destination(AppContext& ctx, const DestinationInput& given) {
  std::vector<FieldError> errors = given.decode_errors;
  CheckedDestination in = check(given, true, errors);
  if (!errors.empty()) return Error::validation(std::move(errors), "the destination is invalid");
  Destination out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    if (auto free = check_name_free(tx, *in.name, ""); !free) return free;
    Destination d;
    d.id = ctx.new_id();
    d.name = *in.name;
    d.slugs = in.slugs.value_or(std::vector<std::string>{});
    d.preference = in.preference.value_or(1.0);
    d.created_at = d.updated_at = ctx.now();
    if (auto ins = tx.insert_destination(d); !ins) return ins;
    out = std::move(d);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<Destination>> list_destinations(AppContext& ctx) {
  std::vector<Destination> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_destinations(false);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<Destination> get_destination(AppContext& ctx, const Id& id) {
  Destination out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto d = load(tx, id);
    if (!d) return d.error();
    out = std::move(*d);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<Destination> update_destination(AppContext& ctx, const Id& id,
                                       const DestinationInput& given) {
  std::vector<FieldError> decode_errors = given.decode_errors;
  CheckedDestination in = check(given, false, decode_errors);
  Destination out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    if (!decode_errors.empty())
      return Error::validation(decode_errors, "the destination is invalid");
    Destination d = *found;
    const bool renamed = in.name && *in.name != d.name;
    if (in.name) {
      if (auto free = check_name_free(tx, *in.name, d.id); !free) return free;
      d.name = *in.name;
    }
    if (in.slugs) d.slugs = *in.slugs;
    if (in.preference) d.preference = *in.preference;
    d.updated_at = ctx.now();
    if (auto up = tx.update_destination(d); !up) return up;
    if (renamed)
      if (auto p = propagate_rename(tx, d, d.updated_at); !p) return p;
    out = std::move(d);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Status delete_destination(AppContext& ctx, const Id& id) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    Destination d = *found;
    auto maps = tx.list_process_maps(false);
    if (!maps) return maps.error();
    std::vector<std::string> listing;
    for (const auto& m : *maps)
      for (const auto& e : m.destinations)
        if (e.destination_id == d.id) listing.emplace_back(to_string(m.process));
    if (!listing.empty()) {
      std::string which;
      for (const auto& p : listing) which += (which.empty() ? "" : ", ") + p;
      return Error::conflict("destination '" + d.name + "' is still listed in the process map(s) " +
                             which + "; remove it from them first");
    }
    const Timestamp now = ctx.now();
    d.deleted = true;
    d.updated_at = now;
    if (auto up = tx.update_destination(d); !up) return up;
    auto urls = consumed_weburls(tx);
    if (!urls) return urls.error();
    for (auto w : *urls) {
      if (!w.destination || w.destination->id != d.id) continue;
      w.consumed = false;
      w.destination.reset();
      w.updated_at = now;
      if (auto up = tx.update_weburl(w); !up) return up;
    }
    return ok_status();
  });
}

}  // namespace leadproc
