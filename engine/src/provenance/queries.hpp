// The provenance query API, used in process by the CLI (and later the REST API and web UI): find events,
// fetch one, follow a FlowFile's lineage, read the content an event saw. It reads a snapshot of the store,
// safely while an engine writes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "provenance/event.hpp"
#include "provenance/store_reader.hpp"

namespace sluice::internal::provenance {

struct EventQuery {
  std::optional<std::string> flowfile_uuid;  // the FlowFile in any role: itself, a parent or a child
  std::optional<std::string> component_id;
  std::optional<EventType> type;
  std::optional<std::int64_t> since_ms;  // inclusive
  std::optional<std::int64_t> until_ms;  // inclusive
  // name=value: the attribute had this value after the event (or before it, when the event changed it).
  std::vector<std::pair<std::string, std::string>> attributes;
  std::optional<std::string> uri_contains;
  std::size_t limit = 100;
  bool oldest_first = false;  // newest first by default
};

// A FlowFile's family: every FlowFile reachable through FORK, JOIN, CLONE and REPLAY events going up to its
// ancestors and down to its descendants (not sideways to siblings' descendants), with all their events.
struct Lineage {
  std::string root;
  std::vector<std::string> flowfiles;   // the root first, then in discovery order
  std::vector<ProvenanceEvent> events;  // by id
  bool truncated = false;               // stopped at the size limit
};

enum class ContentSide : std::uint8_t { kInput, kOutput };

struct ContentStatus {
  bool exists = false;     // the event has this side at all
  bool available = false;  // its bytes are still in the content repository (live or archive)
  // Delivered by PutFile's hard link: read_content checks the bytes against the seal made at delivery
  // (repository/content_seal.hpp) and refuses them if the delivered file was changed since.
  bool handed_over = false;
  std::uint64_t size = 0;
  std::string reason;  // why it is not available
};

class Queries {
 public:
  // `data_dir` is the engine's data directory (provenance/ and content/ inside).
  explicit Queries(const std::filesystem::path& data_dir);

  [[nodiscard]] std::vector<ProvenanceEvent> query(const EventQuery& q) const;
  [[nodiscard]] std::optional<ProvenanceEvent> event(std::uint64_t id) const;
  [[nodiscard]] Lineage lineage(std::string_view uuid, std::size_t max_flowfiles = 10'000) const;

  [[nodiscard]] ContentStatus content_status(const ProvenanceEvent& e, ContentSide side) const;
  // Streams the content in chunks; throws std::runtime_error with the reason when it is not available.
  void read_content(const ProvenanceEvent& e, ContentSide side,
                    const std::function<void(std::string_view)>& chunk) const;
  void read_content(const ProvenanceEvent& e, ContentSide side, std::ostream& out) const;
  void read_content(const ProvenanceEvent& e, ContentSide side, std::string& out) const;

  [[nodiscard]] const StoreReader& store() const { return store_; }
  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  // Every event mentioning `uuid` in any role, by id.
  [[nodiscard]] std::vector<ProvenanceEvent> events_of(const std::string& uuid) const;

  std::filesystem::path data_dir_;
  StoreReader store_;
};

}  // namespace sluice::internal::provenance
