// The provenance store's reading side, safe to use from another process while the engine writes: a snapshot
// of the partitions present when it was opened. A damaged partition is skipped with a warning; the rest
// stays readable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "provenance/posting_index.hpp"
#include "provenance/store_format.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

class PartitionReader {
 public:
  // Null, with `warning` saying why, when the partition is unreadable.
  static std::unique_ptr<PartitionReader> open(const std::filesystem::path& dir, std::string& warning);

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::uint64_t first_id() const { return first_id_; }
  [[nodiscard]] std::uint64_t last_id() const { return last_id_; }  // first_id - 1 when empty
  [[nodiscard]] std::int64_t min_time() const { return min_time_; }
  [[nodiscard]] std::int64_t max_time() const { return max_time_; }
  [[nodiscard]] bool closed() const { return closed_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }
  [[nodiscard]] const std::vector<BlockInfo>& blocks() const { return blocks_; }
  // The events its index files cover; those after were indexed by scanning their blocks at open.
  [[nodiscard]] std::uint64_t covered_through() const { return covered_through_; }
  [[nodiscard]] bool indexes_attribute(std::string_view name) const;

  // The checked payload of a block; false (and `error`) when it is damaged. The last block of a partition
  // still being written may be incomplete: that is reported as `torn`, not as damage.
  bool read_block(std::size_t index, std::string& payload, std::string& error, bool& torn) const;
  // The index of the block holding `id`, or blocks().size().
  [[nodiscard]] std::size_t block_of(std::uint64_t id) const;
  // Event ids posted under `key` (absolute, ascending, deduplicated): candidates a caller checks.
  void lookup(std::uint64_t key, std::vector<std::uint64_t>& ids) const;

 private:
  PartitionReader() = default;
  void scan_uncovered();

  std::filesystem::path dir_;
  UniqueFd fd_;
  std::uint64_t first_id_ = 0;
  std::uint64_t last_id_ = 0;
  std::int64_t min_time_ = INT64_MAX;
  std::int64_t max_time_ = INT64_MIN;
  std::uint64_t events_ = 0;
  bool closed_ = false;
  std::vector<std::string> indexed_attributes_;
  std::vector<BlockInfo> blocks_;
  std::vector<std::unique_ptr<IndexFile>> indexes_;  // contiguous, from the first event
  std::uint64_t covered_through_ = 0;                // the indexes cover events up to here
  std::vector<Posting> uncovered_;                   // postings of the blocks after that, sorted
};

class StoreReader {
 public:
  // Reads the partitions under `dir` (none if it does not exist). Damaged ones become warnings.
  explicit StoreReader(const std::filesystem::path& dir);

  [[nodiscard]] const std::vector<std::unique_ptr<PartitionReader>>& partitions() const {
    return partitions_;
  }
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
  // Records a problem met later (a damaged block found by a scan); each distinct one once.
  void warn(std::string message) const;
  [[nodiscard]] const PartitionReader* partition_of(std::uint64_t event_id) const;
  [[nodiscard]] std::uint64_t event_count() const;
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::unique_ptr<PartitionReader>> partitions_;  // by first id
  mutable std::vector<std::string> warnings_;
};

}  // namespace sluice::internal::provenance
