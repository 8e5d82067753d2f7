// Saved views: a person's named filters of the work list.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <optional>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

class SavedViewReads {
 public:
  // The person's views, by name.
  virtual Result<std::vector<SavedView>> list_saved_views(const Id& owner) = 0;
  virtual Result<std::optional<SavedView>> get_saved_view(const Id& id) = 0;

 protected:
  ~SavedViewReads() = default;
};

class SavedViewWrites {
 public:
  // insert and update: kConflict when the owner has another view of that name; update and
  // delete: kNotFound when no row has the id.
  virtual Status insert_saved_view(const SavedView& v) = 0;
  virtual Status update_saved_view(const SavedView& v) = 0;
  virtual Status delete_saved_view(const Id& id) = 0;

 protected:
  ~SavedViewWrites() = default;
};

}  // namespace leadproc
