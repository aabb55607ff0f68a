// The byte format of FlowFile changes, shared by log records and checkpoint chunks.
//
// A change: [flags u8][varint id] then for an upsert: uuid(16) | svarint entry_ms | svarint lineage-entry |
// [svarint penalty] | varint queue index [+ string when first seen] | [varint resource, offset, length] |
// [varint n, (string key, string value)*n unless the attributes are the previous change's].
// Queue names and "same attributes as before" are scoped to one record (or chunk): each decodes alone.
//
// A log record is [varint n][change]*n followed by optional sections, each [u8 tag][body], until its end:
//   kStateSection: [varint n] then n of [string component][u8 remove][string key][string value unless remove]
//   kProvenance: the events' section body (provenance/event_codec.hpp) then [u64 first event id]; always
//   the last section, so that the id can be filled in as the record is queued for the log.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/flowfile_record.hpp"
#include "repository/flowfile_repository.hpp"
#include "util/byte_codec.hpp"

namespace sluice::internal {

enum class RecordSection : std::uint8_t {
  kState = 1,
  kProvenance = 2,
};

void encode_state_section(ByteWriter& w, std::span<const StateChange> state);

inline constexpr std::size_t kEventIdBytes = 8;
// Appends the kProvenance section with `first_id` as its trailer (0 when it is filled in later).
void encode_provenance_section(ByteWriter& w, const ProvenanceEvents& events, std::uint64_t first_id = 0);
struct LoggedEvents {
  std::uint64_t first_id = 0;
  std::uint32_t count = 0;
  std::string_view body;
  [[nodiscard]] std::uint64_t last_id() const { return first_id + count - 1; }
};
// Decodes the body of a kProvenance section (after its tag): the rest of the record.
LoggedEvents decode_provenance_section(ByteReader& r);
// Decodes the body of a kState section (after its tag), calling fn for each change in order.
void decode_state_section(ByteReader& r, const StateSink& fn);

class FlowFileEncoder {
 public:
  void reset();  // at the start of each record / chunk
  void upsert(ByteWriter& w, const FlowFileRecord& record, std::string_view queue);
  void remove(ByteWriter& w, std::uint64_t id);

 private:
  std::uint32_t queue_index(std::string_view queue, bool& is_new);

  std::vector<std::string_view> queues_;
  std::unordered_map<std::string_view, std::uint32_t> queue_map_;  // only once there are many queues
  Attributes previous_attributes_;
  bool have_previous_ = false;
};

struct DecodedChange {
  bool remove = false;
  std::uint64_t id = 0;
  FlowFileRecord record;  // content.resource is left empty: resolved by the caller
  bool has_claim = false;
  std::uint64_t resource_id = 0;
  std::uint32_t queue = 0;  // index into FlowFileDecoder::queues()
};

class FlowFileDecoder {
 public:
  void reset();
  // Decodes one change into `out`; throws DecodeError on malformed bytes.
  void next(ByteReader& r, DecodedChange& out);
  [[nodiscard]] const std::string& queue(std::uint32_t index) const { return queues_[index]; }

 private:
  std::vector<std::string> queues_;
  Attributes previous_attributes_;
  bool have_previous_ = false;
};

}  // namespace sluice::internal
