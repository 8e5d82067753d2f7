// Destinations and the process maps that route them (PSV, WEST, direct), with their split counters.
// One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a use case
// asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// One routing entry of a destination: which process map lists it, and its split state.
struct RoutingEntry {
  Id map_id;
  FiltrationProcess process = FiltrationProcess::kPsv;
  ProcessMapEntry entry;
};

class DestinationReads {
 public:
  virtual Result<std::optional<Destination>> get_destination(const Id& id) = 0;
  // Case-insensitive, non-deleted only.
  virtual Result<std::optional<Destination>> find_destination_by_name(const std::string& name) = 0;
  // Non-deleted destinations having any of the (lower-case) slugs, each with the slug matched.
  virtual Result<std::vector<std::pair<std::string, Destination>>> find_destinations_by_slugs(
      const std::vector<std::string>& slugs) = 0;
  virtual Result<std::vector<Destination>> list_destinations(bool include_deleted) = 0;
  virtual Result<std::optional<ProcessDestinationMap>> get_process_map(const Id& id) = 0;
  // The non-deleted map of a process.
  virtual Result<std::optional<ProcessDestinationMap>> find_process_map(FiltrationProcess p) = 0;
  virtual Result<std::vector<ProcessDestinationMap>> list_process_maps(bool include_deleted) = 0;

 protected:
  ~DestinationReads() = default;
};

class DestinationWrites {
 public:
  virtual Status insert_destination(const Destination& d) = 0;
  virtual Status update_destination(const Destination& d) = 0;
  virtual Status insert_process_map(const ProcessDestinationMap& m) = 0;
  virtual Status update_process_map(const ProcessDestinationMap& m) = 0;
  // The active entries for a destination across the non-deleted process maps, ordered by
  // process; locked when there are several (a loadShare split, whose counters the caller
  // writes with save_routing_counter), unlocked when there is one (nothing is written).
  virtual Result<std::vector<RoutingEntry>> routing_entries_for_update(
      const Id& destination_id) = 0;
  virtual Status save_routing_counter(const Id& map_id, const Id& destination_id,
                                      std::int64_t counter) = 0;

 protected:
  ~DestinationWrites() = default;
};

}  // namespace leadproc
