// The byte format of a session's provenance events: one section per commit, written into the FlowFile log
// record of that commit (atomicity) and stored verbatim in the provenance store (no re-encoding).
//
// Section body:
//   u16 type mask (bit per EventType present) | u32 count | string component_id | string component_type |
//   svarint base_time_ms | event * count
// Event:
//   u8 type | u8 flags | svarint time - base | uuid(16) | svarint time - entry | svarint time - lineage_start
//   | [varint n, uuid*n parents] | [varint n, uuid*n children] | [ref relationship] | [ref source queue] |
//   [string transit uri] | [string details] | [varint resource, offset, length: content in] | [... out] |
//   varint attribute set (index into the section's sets; == number of sets so far: a new set follows as
//   varint n, (string name, string value)*n) | varint n, (string name, u8 had, [string before])*n changes
// A ref is a varint index into the section's strings; == number of strings so far: a new string follows.
// The log record carries the first event's id after the body (ids are assigned in log order).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/attributes.hpp"
#include "core/content_claim.hpp"
#include "core/flowfile_record.hpp"
#include "provenance/event.hpp"

namespace sluice::internal::provenance {

// What the session knows of one event; views and pointers stay valid until add() returns.
struct EventInput {
  EventType type = EventType::kCreate;
  std::int64_t time_ms = 0;
  const Uuid* uuid = nullptr;
  std::span<const Uuid> parents;
  std::span<const Uuid> children;
  std::string_view relationship;
  std::string_view source_queue;
  std::string_view transit_uri;
  std::string_view details;
  std::int64_t entry_ms = 0;
  std::int64_t lineage_start_ms = 0;
  const ContentClaim* content_in = nullptr;  // null: none (a FlowFile created in the session)
  const ContentClaim* content_out = nullptr;
  const Attributes* attributes = nullptr;  // after the event
  const Attributes* before = nullptr;      // null: nothing before (created); changes are encoded from it
};

// Encodes one section. Reused across commits (thread-local in the session): no allocation once warm.
class SectionEncoder {
 public:
  void begin(std::string_view component_id, std::string_view component_type, std::int64_t base_time_ms);
  void add(const EventInput& event);
  // The encoded body (valid until the next begin()); the type mask is filled in.
  [[nodiscard]] std::string_view body();
  [[nodiscard]] std::uint32_t count() const { return count_; }

 private:
  void ref(std::string_view s);
  void attribute_set(const Attributes* attributes);
  void changes(const Attributes* before, const Attributes* after);
  void claim(const ContentClaim& c);

  std::string out_;
  std::int64_t base_time_ = 0;
  std::uint32_t count_ = 0;
  std::uint16_t mask_ = 0;
  std::vector<std::string_view> strings_;
  // AttributeSet identity -> index in this section (sessions of thousands of FlowFiles stay linear).
  struct SetSlot {
    const void* key = nullptr;
    std::uint32_t index = 0;
    std::uint32_t generation = 0;  // the section it belongs to
  };
  std::vector<SetSlot> sets_;
  std::uint32_t set_count_ = 0;
  std::uint32_t generation_ = 0;
};

// An event decoded in place: views into the section body, valid while the body is.
struct EventView {
  std::uint64_t id = 0;  // set by the caller that knows the section's first id
  EventType type = EventType::kCreate;
  std::int64_t time_ms = 0;
  std::string_view uuid;      // 16 raw bytes
  std::string_view parents;   // 16 raw bytes each
  std::string_view children;  // 16 raw bytes each
  std::string_view relationship;
  std::string_view source_queue;
  std::string_view transit_uri;
  std::string_view details;
  std::int64_t entry_ms = 0;
  std::int64_t lineage_start_ms = 0;
  std::optional<ContentRef> content_in;
  std::optional<ContentRef> content_out;
  std::uint32_t attribute_set = 0;
  std::string_view changes;  // encoded changes: varint n, (string name, u8 had, [string before])*n

  [[nodiscard]] std::size_t parent_count() const { return parents.size() / 16; }
  [[nodiscard]] std::size_t child_count() const { return children.size() / 16; }
  [[nodiscard]] std::string_view parent(std::size_t i) const { return parents.substr(i * 16, 16); }
  [[nodiscard]] std::string_view child(std::size_t i) const { return children.substr(i * 16, 16); }
};

struct SectionHeader {
  std::uint16_t type_mask = 0;
  std::uint32_t count = 0;
  std::string_view component_id;
  std::string_view component_type;
  std::int64_t base_time_ms = 0;
  std::size_t events_offset = 0;  // where the first event starts
};

// Reads the header only (cheap: lets scans skip whole sections by component or type).
SectionHeader read_section_header(std::string_view body);

// Decodes a section's events in order. Throws DecodeError on malformed bytes.
class SectionReader {
 public:
  SectionReader() = default;
  explicit SectionReader(std::string_view body);
  // Starts over on another body, keeping the capacity of its tables (scans reuse readers).
  void reset(std::string_view body);
  [[nodiscard]] const SectionHeader& header() const { return header_; }
  // The next event, or false at the end. `first_id` is the id of the section's first event.
  bool next(EventView& event, std::uint64_t first_id);
  // The stored attributes of a set seen so far, in name order.
  void for_each_attribute(std::uint32_t set,
                          const std::function<void(std::string_view, std::string_view)>& fn) const;
  [[nodiscard]] std::optional<std::string_view> find_attribute(std::uint32_t set,
                                                               std::string_view name) const;

 private:
  std::string_view ref();

  std::string_view body_;
  std::size_t pos_ = 0;  // offset of the next event
  std::uint32_t index_ = 0;
  SectionHeader header_;
  std::vector<std::string_view> strings_;
  std::vector<std::string_view> sets_;  // each: the encoded entries of one set (varint n, pairs)
};

// Calls fn for each encoded change: the name and its value before the event (nullopt: it did not exist).
void for_each_change(std::string_view changes,
                     const std::function<void(std::string_view, std::optional<std::string_view>)>& fn);

// The full event, owning its data.
ProvenanceEvent to_event(const EventView& view, const SectionReader& section);

std::string uuid_text(std::string_view raw16);
// Parses a textual UUID into 16 raw bytes; false when it is not one.
bool uuid_bytes(std::string_view text, UuidBytes& out);

}  // namespace sluice::internal::provenance
