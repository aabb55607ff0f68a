// FlowFile records parked on disk while a queue is over its swap threshold. Swap files are a memory
// relief, not a durable store (the FlowFile repository is): they are deleted when swapped back in, when
// the last checkpoint reading them lets go, and at startup.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/flowfile_record.hpp"

namespace sluice::internal {

class SwapFile {
 public:
  // Writes the records (their content claims stay in memory: one pointer each keeps the resource alive).
  static std::shared_ptr<SwapFile> write(const std::filesystem::path& path,
                                         std::vector<FlowFileRecord>&& records);
  ~SwapFile();
  SwapFile(const SwapFile&) = delete;
  SwapFile& operator=(const SwapFile&) = delete;

  [[nodiscard]] std::vector<FlowFileRecord> read() const;
  [[nodiscard]] std::size_t count() const { return claims_.size(); }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

 private:
  SwapFile(std::filesystem::path path, std::vector<ContentClaim> claims, std::uint64_t bytes)
      : path_(std::move(path)), claims_(std::move(claims)), bytes_(bytes) {}
  std::filesystem::path path_;
  std::vector<ContentClaim> claims_;
  std::uint64_t bytes_ = 0;
};

}  // namespace sluice::internal
