// The checkpoint: every live FlowFile at the start of log segment `valid_from`, in queue order, as
// checksummed chunks of changes. Data chunk: [u8 1][change]*; state chunk: [u8 3]([string component]
// [string key][string value])*; end chunk: [u8 2][varint count][varint max id].
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "repository/flowfile_codec.hpp"
#include "repository/flowfile_log.hpp"
#include "repository/flowfile_repository.hpp"

namespace sluice::internal {

constexpr std::string_view kCheckpointFile = "checkpoint";
constexpr std::string_view kCheckpointTempFile = "checkpoint.tmp";

// Writes checkpoint.tmp, syncs it and renames it over `checkpoint` (durably). `max_id` is read after the
// snapshot so it covers every id the snapshot holds.
void write_checkpoint_file(const std::filesystem::path& directory, std::uint64_t valid_from,
                           SnapshotSource& source, const std::function<std::uint64_t()>& max_id);

class CheckpointReader {
 public:
  // Maps and validates the whole file; a checkpoint is installed only once complete and synced, so any
  // damage is a disk fault and throws.
  explicit CheckpointReader(const std::filesystem::path& path);

  [[nodiscard]] std::uint64_t valid_from() const { return valid_from_; }
  [[nodiscard]] std::uint64_t max_id() const { return max_id_; }
  [[nodiscard]] std::uint64_t flowfiles() const { return flowfiles_; }

  // Streams the FlowFiles in the order they were written.
  void for_each(const std::function<void(DecodedChange& change, const FlowFileDecoder& decoder)>& fn);
  // Streams the component state entries.
  void for_each_state(const StateSink& fn);

 private:
  std::filesystem::path path_;
  MappedFile file_;
  std::uint64_t valid_from_ = 0;
  std::uint64_t max_id_ = 0;
  std::uint64_t flowfiles_ = 0;
};

}  // namespace sluice::internal
