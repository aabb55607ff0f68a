// One engine per data directory: two would interleave their write-ahead logs and reclaim each other's
// content. An advisory lock (flock) on <data-dir>/lock, held for the engine's life and released by the
// kernel however the process ends, so a crash never leaves a stale lock behind. Read-only tools
// (provenance queries) do not take it.
#pragma once

#include <filesystem>

#include "util/fs_sync.hpp"

namespace sluice::internal {

class DataDirLock {
 public:
  // Throws std::runtime_error naming the directory and the holder's pid when another process holds it.
  explicit DataDirLock(const std::filesystem::path& data_dir);

 private:
  UniqueFd fd_;
};

}  // namespace sluice::internal
