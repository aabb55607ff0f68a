// The provenance store's writing side: one open partition taking events, closed partitions behind it,
// rolled over by time, size or count, and dropped whole by age and by total size.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "provenance/partition_writer.hpp"

namespace sluice::internal::provenance {

struct StoreSettings {
  std::filesystem::path directory;  // <data-dir>/provenance
  std::chrono::milliseconds max_age = std::chrono::hours(24);
  std::uint64_t max_size = std::uint64_t{4} << 30;
  std::vector<std::string> indexed_attributes;
  bool sync = true;  // fsync what a flush writes (durability fsync and batch)
  // When a partition closes: the first of these limits reached. Zero: derived from max_age and max_size.
  std::chrono::milliseconds partition_span{0};
  std::uint64_t partition_bytes = 0;
  std::uint64_t partition_events = std::uint64_t{1} << 24;
};

struct StoreStats {
  std::size_t partitions = 0;
  std::uint64_t bytes = 0;
  std::uint64_t first_id = 0;
  std::uint64_t last_id = 0;
};

class StoreWriter {
 public:
  // Opens the store directory (creating it), reopening the partition a crash or stop left open.
  StoreWriter(StoreSettings settings, std::int64_t now_ms);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // The highest event id stored, and the highest made durable.
  [[nodiscard]] std::uint64_t last_id() const;
  [[nodiscard]] std::uint64_t durable_through() const;

  void append(std::uint64_t first_id, std::uint32_t count, std::string_view body, std::int64_t now_ms);
  void flush();
  // Closes the open partition when its time is up (also checked on append) and drops expired partitions.
  void maintain(std::int64_t now_ms);
  void close();
  [[nodiscard]] StoreStats stats() const;

 private:
  struct Closed {
    std::filesystem::path dir;
    std::uint64_t first_id = 0;
    std::uint64_t last_id = 0;
    std::int64_t max_time = 0;
    std::uint64_t bytes = 0;
  };
  void roll_over();
  void drop(const Closed& partition, const char* why);
  [[nodiscard]] bool due_to_close(std::int64_t now_ms) const;

  StoreSettings settings_;
  std::vector<Closed> closed_;  // oldest first
  std::unique_ptr<PartitionWriter> open_;
  std::uint64_t last_id_ = 0;
  std::uint64_t durable_through_ = 0;
};

}  // namespace sluice::internal::provenance
