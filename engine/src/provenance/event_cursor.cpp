#include "provenance/event_cursor.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/byte_codec.hpp"

namespace sluice::internal::provenance {

EventCursor::EventCursor(const StoreReader& store, ScanFilter filter)
    : store_(store), filter_(std::move(filter)) {}

bool EventCursor::next() {
  if (positioned_) ++item_;
  positioned_ = true;
  while (item_ >= items_.size()) {
    if (!load_next()) return false;
  }
  return true;
}

bool EventCursor::next_partition() {
  if (filter_.empty_range()) return false;
  const auto& parts = store_.partitions();
  while (partition_index_ < parts.size()) {
    const std::size_t i = filter_.descending ? parts.size() - 1 - partition_index_ : partition_index_;
    ++partition_index_;
    const PartitionReader& p = *parts[i];
    if (p.last_id() < filter_.min_id || p.first_id() > filter_.max_id || p.max_time() < filter_.min_time ||
        p.min_time() > filter_.max_time) {
      continue;
    }
    partition_ = &p;
    block_ = 0;
    if (filter_.key) {
      candidates_.clear();
      p.lookup(*filter_.key, candidates_);
      std::erase_if(candidates_,
                    [&](std::uint64_t id) { return id < filter_.min_id || id > filter_.max_id; });
      if (filter_.descending) std::reverse(candidates_.begin(), candidates_.end());
      candidate_ = 0;
    } else {
      const auto& blocks = p.blocks();
      block_lo_ = static_cast<std::size_t>(
          std::lower_bound(blocks.begin(), blocks.end(), filter_.min_id,
                           [](const BlockInfo& b, std::uint64_t v) { return b.last_id < v; }) -
          blocks.begin());
      block_hi_ = static_cast<std::size_t>(
          std::upper_bound(blocks.begin(), blocks.end(), filter_.max_id,
                           [](std::uint64_t v, const BlockInfo& b) { return v < b.first_id; }) -
          blocks.begin());
    }
    return true;
  }
  return false;
}

bool EventCursor::block_matches(const BlockInfo& b) const {
  return b.max_time >= filter_.min_time && b.min_time <= filter_.max_time;
}

bool EventCursor::load_next() {
  items_.clear();
  item_ = 0;
  sections_used_ = 0;
  for (;;) {
    if (partition_ == nullptr && !next_partition()) return false;
    const auto& blocks = partition_->blocks();
    if (filter_.key) {
      if (candidate_ >= candidates_.size()) {
        partition_ = nullptr;
        continue;
      }
      const std::size_t b = partition_->block_of(candidates_[candidate_]);
      wanted_.clear();
      while (candidate_ < candidates_.size() && b < blocks.size() &&
             candidates_[candidate_] >= blocks[b].first_id && candidates_[candidate_] <= blocks[b].last_id) {
        wanted_.push_back(candidates_[candidate_++]);
      }
      if (b >= blocks.size()) {
        ++candidate_;
        continue;
      }
      std::sort(wanted_.begin(), wanted_.end());
      decode_block(b, &wanted_);
    } else {
      if (block_lo_ + block_ >= block_hi_) {
        partition_ = nullptr;
        continue;
      }
      const std::size_t b = filter_.descending ? block_hi_ - 1 - block_ : block_lo_ + block_;
      ++block_;
      if (!block_matches(blocks[b])) continue;
      decode_block(b, nullptr);
    }
    if (!items_.empty()) {
      if (filter_.descending) std::reverse(items_.begin(), items_.end());
      return true;
    }
  }
}

void EventCursor::decode_block(std::size_t b, const std::vector<std::uint64_t>* wanted) {
  std::string error;
  bool torn = false;
  if (!partition_->read_block(b, payload_, error, torn)) {
    if (!torn) {
      store_.warn(fmt::format("provenance partition {}: {}; its later events are skipped",
                              partition_->dir().string(), error));
    }
    partition_ = nullptr;
    return;
  }
  try {
    for_each_section(payload_, [&](std::uint64_t first, std::string_view body) {
      const SectionHeader header = read_section_header(body);
      const std::uint64_t last = first + header.count - 1;
      if (header.count == 0 || last < filter_.min_id || first > filter_.max_id) return;
      if ((header.type_mask & filter_.types) == 0) return;
      if (filter_.component_id && header.component_id != *filter_.component_id) return;
      if (wanted != nullptr) {
        auto it = std::lower_bound(wanted->begin(), wanted->end(), first);
        if (it == wanted->end() || *it > last) return;
      }
      if (sections_used_ == sections_.size()) sections_.emplace_back();
      const auto index = static_cast<std::uint32_t>(sections_used_);
      SectionReader& section = sections_[sections_used_++];
      section.reset(body);
      bool any = false;
      EventView v;
      while (section.next(v, first)) {
        if (v.id < filter_.min_id || v.id > filter_.max_id || v.time_ms < filter_.min_time ||
            v.time_ms > filter_.max_time || (filter_.types & (1U << static_cast<unsigned>(v.type))) == 0) {
          continue;
        }
        if (wanted != nullptr && !std::binary_search(wanted->begin(), wanted->end(), v.id)) continue;
        items_.push_back({index, v});
        any = true;
      }
      if (!any) --sections_used_;
    });
  } catch (const DecodeError& e) {
    store_.warn(
        fmt::format("provenance partition {}: block at byte {} does not decode ({}); its later events "
                    "are skipped",
                    partition_->dir().string(), partition_->blocks()[b].offset, e.what()));
    items_.clear();
    partition_ = nullptr;
  }
}

}  // namespace sluice::internal::provenance
