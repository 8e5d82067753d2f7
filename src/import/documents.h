// The spec's MongoDB collections as `leadproc import` reads them: which collections there are,
// in which order they must be imported (a record after the records it references), and the
// decoding of one document (already in the plain shape of extended_json.h) into the entity
// leadproc stores, with every bad field named. Pure: no I/O.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "domain/scoring.h"

namespace leadproc::import {

// Declared in import order: users and destinations first (everything names them), then what
// references them; leads before opportunities (leadId), opportunities before their activities,
// notes and follow-ups.
enum class Collection {
  kUsers,
  kDestinations,
  kScoreConfigs,
  kProcessMaps,
  kAvailabilities,
  kWebUrls,
  kLeads,
  kOpportunities,
  kActivities,
  kNotes,
  kFollowUps,
};

struct CollectionInfo {
  Collection collection;
  std::string_view name;  // the spec's collection name, used in reports
  // Every file stem that holds it: the spec's name and the names Mongoose gives the models
  // (pluralised, or the short names an admin may have exported under).
  std::vector<std::string_view> file_names;
};

// Every collection, in import order.
std::span<const CollectionInfo> collections();
const CollectionInfo& info(Collection c);

// The collection a mongodump/mongoexport file holds, from its name ("leads.bson",
// "rawopportunities.json", "opportunityactivities.json"); nullopt for any other file
// ("leads.metadata.json", "sessions.bson", "prelude.json").
std::optional<Collection> collection_of_file(std::string_view file_name);

using Record = std::variant<User, Destination, ScoreConfig, ProcessDestinationMap, Availability,
                            WebUrl, Lead, Opportunity, Activity, Note, FollowUp>;

const Id& record_id(const Record& r);

// A decoded document, with what was changed or dropped on the way (not errors: the record is
// imported; the report lists them).
struct Decoded {
  Record record;
  std::vector<std::string> warnings;
};

// Decodes one plain document of `c`. kValidation naming every bad field (`_id`,
// `destinations[2].loadShare`, ...) when the document cannot be imported as it is.
// Contracts shared by every collection:
// - `_id` is required and must be an ObjectId; it becomes the record's id unchanged (lower case);
// - references (`oppId`, `personId`, `destination._id`, `duplicateOf`, ...) must be ObjectIds
//   and are kept as they are, whether or not the record they name exists;
// - enum fields take the spec's values verbatim (platforms also as their upper-case enum keys,
//   "PAID_ADS");
// - a missing `createdAt` is the time the `_id` holds (MongoDB's creation time), a missing
//   `updatedAt` is `createdAt`;
// - fields leadproc does not keep (`__v`, obsolete `leadSquareId`, ...) are ignored.
// Users: a bcrypt `credentials` hash ($2a$/$2b$/$2y$) is kept; any other value is dropped with a
// warning (the user must have a password set: `leadproc user set-password`).
Result<Decoded> decode(Collection c, const boost::json::object& plain);

}  // namespace leadproc::import
