// Iterates stored events in id order (or reverse), one block in memory at a time: by index candidates when a
// posting key narrows the search, otherwise by scanning the blocks whose id and time ranges overlap the
// filter, skipping whole sections by component and event type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "provenance/event_codec.hpp"
#include "provenance/store_reader.hpp"

namespace sluice::internal::provenance {

struct ScanFilter {
  std::uint64_t min_id = 0;
  std::uint64_t max_id = UINT64_MAX;
  std::int64_t min_time = INT64_MIN;
  std::int64_t max_time = INT64_MAX;
  std::optional<std::string> component_id;
  std::uint16_t types = 0xFFFF;  // bit per EventType
  // Only events posted under this key (a uuid, attribute or URI key): the caller checks what it matched.
  std::optional<std::uint64_t> key;
  bool descending = false;

  [[nodiscard]] bool empty_range() const { return min_id > max_id || min_time > max_time; }
};

class EventCursor {
 public:
  EventCursor(const StoreReader& store, ScanFilter filter);

  // Moves to the next matching event; false at the end.
  bool next();
  [[nodiscard]] const EventView& event() const { return items_[item_].view; }
  [[nodiscard]] const SectionReader& section() const { return sections_[items_[item_].section]; }

 private:
  struct Item {
    std::uint32_t section;
    EventView view;
  };
  bool load_next();
  bool next_partition();
  void decode_block(std::size_t block, const std::vector<std::uint64_t>* wanted);
  [[nodiscard]] bool block_matches(const BlockInfo& b) const;

  const StoreReader& store_;
  ScanFilter filter_;
  const PartitionReader* partition_ = nullptr;
  std::size_t partition_index_ = 0;  // the next partition to open, counted in scan order
  std::size_t block_ = 0;  // the next block, counted in scan order from block_lo_ (or down from block_hi_)
  std::size_t block_lo_ = 0;
  std::size_t block_hi_ = 0;
  std::vector<std::uint64_t> candidates_;  // key mode: this partition's ids, in scan order
  std::size_t candidate_ = 0;
  std::vector<std::uint64_t> wanted_;  // key mode: the candidates of the block being decoded
  std::string payload_;
  std::vector<SectionReader> sections_;
  std::size_t sections_used_ = 0;
  std::vector<Item> items_;
  std::size_t item_ = 0;
  bool positioned_ = false;
};

}  // namespace sluice::internal::provenance
