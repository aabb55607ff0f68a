// Writes one partition of the provenance store (see store_format.hpp): events appended as blocks of the
// sections the sessions encoded, postings collected as they come and written as sorted runs on each flush,
// everything merged into one index when the partition closes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "provenance/posting_index.hpp"
#include "provenance/store_format.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal::provenance {

struct PartitionOptions {
  std::vector<std::string> indexed_attributes;
  bool sync = true;  // fsync blocks on flush (durability fsync/batch); runs are derived and never synced
};

class PartitionWriter {
 public:
  // A new partition directory under `store_dir` whose first event is `first_id`.
  static std::unique_ptr<PartitionWriter> create(const std::filesystem::path& store_dir,
                                                 std::uint64_t first_id, std::int64_t now_ms,
                                                 PartitionOptions options);
  // An unclosed partition after a restart: keeps its valid blocks (a torn tail is cut off), drops runs that
  // are damaged or cover lost events, and indexes again the blocks no run covers. Null when its events file
  // is unreadable (`error` says why).
  static std::unique_ptr<PartitionWriter> reopen(const std::filesystem::path& dir, PartitionOptions options,
                                                 std::string& error);
  ~PartitionWriter();
  PartitionWriter(const PartitionWriter&) = delete;
  PartitionWriter& operator=(const PartitionWriter&) = delete;

  // Appends a section whose first event is `first_id` (ids ascending; one already stored is ignored).
  void append(std::uint64_t first_id, std::uint32_t count, std::string_view body);
  // Blocks to the file (synced if the options say so) and the postings since the last flush to a run.
  void flush();
  // Flushes, merges the runs into the index, writes the block directory and the summary. An empty
  // partition is removed instead.
  void close();

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::uint64_t first_id() const { return first_id_; }
  [[nodiscard]] std::uint64_t last_id() const { return last_id_; }  // first_id - 1 while empty
  [[nodiscard]] std::uint64_t durable_through() const { return durable_through_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }
  [[nodiscard]] std::uint64_t bytes() const;
  [[nodiscard]] std::int64_t created_ms() const { return created_ms_; }
  [[nodiscard]] std::int64_t min_time() const { return min_time_; }
  [[nodiscard]] std::int64_t max_time() const { return max_time_; }
  [[nodiscard]] const std::vector<std::string>& indexed_attributes() const {
    return options_.indexed_attributes;
  }
  [[nodiscard]] std::size_t run_count() const { return runs_.size(); }

 private:
  struct Run {
    std::uint64_t first_id;
    std::uint64_t last_id;
    std::uint64_t count;
    std::uint32_t level = 0;  // merges it went through
  };

  PartitionWriter(std::filesystem::path dir, PartitionOptions options);
  void seal_block();
  // Decodes a section for its postings (and, given `times`, widens its time range).
  void index_section(std::uint64_t first_id, std::string_view body, std::vector<Posting>& postings,
                     BlockInfo* times);
  // Postings of the stored events first..last, read back from the events file.
  void index_stored(std::uint64_t first, std::uint64_t last, std::vector<Posting>& postings);
  void write_run();
  void merge_runs(std::size_t from);
  [[nodiscard]] std::filesystem::path run_path(const Run& r) const {
    return dir_ / run_name(r.first_id, r.last_id);
  }

  std::filesystem::path dir_;
  PartitionOptions options_;
  UniqueFd fd_;
  std::uint64_t file_end_ = 0;
  std::uint64_t first_id_ = 0;
  std::uint64_t last_id_ = 0;
  std::uint64_t durable_through_ = 0;
  std::uint64_t events_ = 0;
  std::int64_t created_ms_ = 0;
  std::int64_t min_time_ = INT64_MAX;
  std::int64_t max_time_ = INT64_MIN;

  std::string block_;  // the block being filled, its frame and payload headers filled in when sealed
  BlockInfo current_;
  std::uint32_t block_sections_ = 0;
  bool unsynced_ = false;  // blocks written since the last fsync
  std::vector<BlockInfo> blocks_;

  std::vector<Posting> postings_;  // since the last run
  std::uint64_t run_from_ = 0;     // first event id the next run covers
  std::vector<Run> runs_;
};

}  // namespace sluice::internal::provenance
