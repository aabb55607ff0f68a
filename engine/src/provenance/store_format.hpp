// The provenance store's files. A store is a directory of partitions, each a directory named after its
// first event id (p00000000000000000001), covering a time window:
//
//   events     header, then blocks of events as the sessions encoded them (event_codec.hpp):
//              header: magic SLUICEPE | u32 version | u32 header length | u64 first id | i64 created ms |
//                      varint n, string * n indexed attribute names | u32 crc32c of the header fields
//              block:  u32 payload length | u32 crc32c(payload) | payload
//              payload: u64 first id | u32 events | i64 min time | i64 max time | u32 sections | u32 0 |
//                      (varint first id - block first id | varint body length | body) * sections
//   run-F-L    sorted postings for events F..L, written as the partition fills (derived data: a missing or
//              damaged run only means those events are found by scanning their blocks)
//   index      at close: every run merged
//   blocks     at close: the block directory (u64 first id | u64 offset | i64 min | i64 max | u32 events)
//   closed     at close, last: the summary; its presence means the partition is complete
//
// Index files (run and index): magic SLUICEPI | u32 version | u32 reserved | u64 first id | u64 last id |
// u64 n | u32 crc32c(keys) | u32 crc32c(ids) | u32 crc32c(the header before it) | u32 0 | u64 keys[n] |
// u32 ids[n] (relative to the partition's first id), sorted by key then id. A posting key is a 64-bit hash of
// what an event is found by: a FlowFile uuid in any role, an indexed attribute's name and value, a transit
// URI.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::internal::provenance {

inline constexpr std::string_view kEventsMagic = "SLUICEPE";
inline constexpr std::string_view kIndexMagic = "SLUICEPI";
inline constexpr std::string_view kBlocksMagic = "SLUICEPB";
inline constexpr std::string_view kSummaryMagic = "SLUICEPS";
inline constexpr std::uint32_t kStoreVersion = 1;
inline constexpr std::size_t kBlockHeaderSize = 8;          // u32 length, u32 crc
inline constexpr std::size_t kBlockPayloadHeaderSize = 36;  // first id, events, min, max, sections
inline constexpr std::size_t kIndexHeaderSize = 56;
inline constexpr std::size_t kBlockEntrySize = 36;

inline constexpr std::string_view kEventsFile = "events";
inline constexpr std::string_view kIndexFile = "index";
inline constexpr std::string_view kBlocksFile = "blocks";
inline constexpr std::string_view kSummaryFile = "closed";

// The provenance store directory of a data directory.
std::filesystem::path store_directory(const std::filesystem::path& data_dir);

std::string partition_name(std::uint64_t first_id);
// The first id a partition directory name stands for, or nullopt for anything else.
std::optional<std::uint64_t> parse_partition_name(std::string_view name);
std::string run_name(std::uint64_t first_id, std::uint64_t last_id);
bool parse_run_name(std::string_view name, std::uint64_t& first_id, std::uint64_t& last_id);

// Posting keys.
std::uint64_t uuid_key(std::string_view raw16);
std::uint64_t attribute_key(std::string_view name, std::string_view value);
std::uint64_t uri_key(std::string_view uri);

struct EventsHeader {
  std::uint64_t first_id = 0;
  std::int64_t created_ms = 0;
  std::vector<std::string> indexed_attributes;
};
std::string encode_events_header(const EventsHeader& header);
// Parses the header at the start of `bytes`; sets `size` to its length. False when torn or foreign.
bool decode_events_header(std::string_view bytes, EventsHeader& header, std::size_t& size);

struct BlockInfo {
  std::uint64_t first_id = 0;
  std::uint64_t last_id = 0;
  std::uint64_t offset = 0;  // of the block header in the events file
  std::uint32_t length = 0;  // payload bytes
  std::int64_t min_time = 0;
  std::int64_t max_time = 0;
  std::uint32_t events = 0;
};
// Reads the payload header of a block (after its 8-byte frame header).
bool decode_block_info(std::string_view payload, BlockInfo& info);
// Calls fn(first event id, section body) for each section of a block payload; throws DecodeError when the
// payload is malformed.
void for_each_section(std::string_view payload,
                      const std::function<void(std::uint64_t, std::string_view)>& fn);

struct PartitionSummary {
  std::uint64_t first_id = 0;
  std::uint64_t last_id = 0;
  std::int64_t min_time = 0;
  std::int64_t max_time = 0;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};
std::string encode_summary(const PartitionSummary& summary);
bool decode_summary(std::string_view bytes, PartitionSummary& summary);

std::string encode_block_directory(const std::vector<BlockInfo>& blocks);
bool decode_block_directory(std::string_view bytes, std::vector<BlockInfo>& blocks);

}  // namespace sluice::internal::provenance
