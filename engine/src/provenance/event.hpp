// Provenance events: what happened to a FlowFile, where, when, and with which attributes and content.
// Event types follow NiFi's set; docs/provenance.md says which session operation produces which.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::internal::provenance {

enum class EventType : std::uint8_t {
  kCreate,
  kReceive,
  kFetch,
  kSend,
  kDownload,
  kDrop,
  kExpire,
  kFork,
  kJoin,
  kClone,
  kContentModified,
  kAttributesModified,
  kRoute,
  kAddInfo,
  kReplay,
};
inline constexpr std::size_t kEventTypeCount = 15;

// "CREATE", "CONTENT_MODIFIED", ...
std::string_view event_type_name(EventType type);
// Case-insensitive; accepts the names event_type_name gives.
std::optional<EventType> parse_event_type(std::string_view name);
// Every name, in enum order, for error messages.
std::string event_type_names();

using UuidBytes = std::array<std::uint8_t, 16>;

// Where content was: a byte range of a content repository resource.
struct ContentRef {
  std::uint64_t resource = 0;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// One attribute as the event saw it: the value after the event, and before it when it changed (the name was
// added: had_before false; removed: has_after false).
struct EventAttribute {
  std::string name;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

// A decoded event, owning its data: what the query API returns.
struct ProvenanceEvent {
  std::uint64_t id = 0;
  std::int64_t time_ms = 0;
  EventType type = EventType::kCreate;
  std::string flowfile_uuid;
  std::vector<std::string> parent_uuids;
  std::vector<std::string> child_uuids;
  std::string component_id;
  std::string component_type;
  std::string relationship;
  std::string source_queue;  // the connection an input FlowFile came from (replay goes back there)
  std::string transit_uri;
  std::string details;
  std::int64_t entry_ms = 0;
  std::int64_t lineage_start_ms = 0;
  std::optional<ContentRef> content_in;    // before the event (FlowFiles taken from a queue)
  std::optional<ContentRef> content_out;   // after the event
  std::vector<EventAttribute> attributes;  // by name; after-values of every stored attribute, plus changes

  [[nodiscard]] std::uint64_t size() const {
    return content_out ? content_out->length : content_in ? content_in->length : 0;
  }
  // The attribute set before the event (what replay restores).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> attributes_before() const;
};

}  // namespace sluice::internal::provenance
