// Saved views: a person's named filters of the opportunities list (docs/api.md "Saved views").
// Each person sees and changes only their own; another person's view answers as if it did not
// exist (kNotFound). The query is stored as given: the HTTP layer checks it is the list's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace leadproc {

// The person's views, by name.
Result<std::vector<SavedView>> list_saved_views(AppContext& ctx, const Id& owner);

// A new view. kValidation: a blank name or one longer than kMaxSavedViewName characters;
// kConflict: the person has a view of that name, or kMaxSavedViewsPerPerson views already.
Result<SavedView> create_saved_view(AppContext& ctx, const Id& owner, const std::string& name,
                                    const std::string& query);

// Renames the view and/or replaces its query (nullopt: unchanged); the same errors as create,
// and kNotFound when it is not the person's.
Result<SavedView> update_saved_view(AppContext& ctx, const Id& owner, const Id& id,
                                    const std::optional<std::string>& name,
                                    const std::optional<std::string>& query);

// kNotFound when it is not the person's.
Status delete_saved_view(AppContext& ctx, const Id& owner, const Id& id);

}  // namespace leadproc
