#include "app/saved_views.h"

#include "domain/followup.h"
#include "domain/object_id.h"

namespace leadproc {
namespace {

Status check_name(const std::string& name) {
  if (name.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error::validation({{"name", "is required and must not be blank"}}, "invalid view");
  if (text_length(name) > kMaxSavedViewName)
    return Error::validation(
        {{"name", "must be at most " + std::to_string(kMaxSavedViewName) + " characters"}},
        "invalid view");
  return ok_status();
}

// The view `id` if it is the owner's, else kNotFound (another person's does not exist for them).
Result<SavedView> owned_view(ReadTx& tx, const Id& owner, const Id& id) {
  if (!is_object_id(id)) return Error::not_found("saved view not found");
  auto found = tx.get_saved_view(id);
  if (!found) return found.error();
  if (!*found || (*found)->owner != owner) return Error::not_found("saved view not found");
  return std::move(**found);
}

Status name_taken(const std::string& name) {
  return Error::conflict("you already have a view named \"" + name + "\"");
}

}  // namespace

Result<std::vector<SavedView>> list_saved_views(AppContext& ctx, const Id& owner) {
  std::vector<SavedView> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.list_saved_views(owner);
    if (!r) return r.error();
    out = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<SavedView> create_saved_view(AppContext& ctx, const Id& owner, const std::string& name,
                                    const std::string& query) {
  if (auto s = check_name(name); !s) return s.error();
  const Timestamp now = ctx.now();
  SavedView view{ctx.new_id(), owner, name, query, now, now};
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto mine = tx.list_saved_views(owner);
    if (!mine) return mine.error();
    for (const auto& v : *mine)
      if (v.name == name) return name_taken(name);
    if (static_cast<int>(mine->size()) >= kMaxSavedViewsPerPerson)
      return Error::conflict("you have " + std::to_string(kMaxSavedViewsPerPerson) +
                             " views, the most a person may keep: delete one first");
    return tx.insert_saved_view(view);
  });
  if (!s) return s.error();
  return view;
}

Result<SavedView> update_saved_view(AppContext& ctx, const Id& owner, const Id& id,
                                    const std::optional<std::string>& name,
                                    const std::optional<std::string>& query) {
  if (name) {
    if (auto s = check_name(*name); !s) return s.error();
  }
  SavedView view;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = owned_view(tx, owner, id);
    if (!found) return found.error();
    view = std::move(*found);
    if (name && *name != view.name) {
      auto mine = tx.list_saved_views(owner);
      if (!mine) return mine.error();
      for (const auto& v : *mine)
        if (v.name == *name) return name_taken(*name);
      view.name = *name;
    }
    if (query) view.query = *query;
    view.updated_at = ctx.now();
    return tx.update_saved_view(view);
  });
  if (!s) return s.error();
  return view;
}

Status delete_saved_view(AppContext& ctx, const Id& owner, const Id& id) {
  return ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = owned_view(tx, owner, id);
    if (!found) return found.error();
    return tx.delete_saved_view(id);
  });
}

}  // namespace leadproc
