// On-disk framing of the FlowFile repository: log segments `log.<N>` and the `checkpoint` file.
//
// Both start with a header (8-byte magic, u32 version, u32 reserved, u64 number) followed by frames
// [u32 payload length][u32 crc32c(payload)][payload]. A frame with length 0, running past the end of the
// file or failing its checksum ends the valid part of the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::internal {

constexpr std::string_view kSegmentMagic = "SLUICEWL";
constexpr std::string_view kCheckpointMagic = "SLUICECK";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kFileHeaderSize = 24;
constexpr std::size_t kFrameHeaderSize = 8;

std::string segment_file_name(std::uint64_t segment);
// Segment numbers present in `directory`, ascending.
std::vector<std::uint64_t> list_segments(const std::filesystem::path& directory);

std::string file_header(std::string_view magic, std::uint64_t number);
// Checks the header; returns false (torn or foreign file) rather than throwing.
bool parse_file_header(std::string_view bytes, std::string_view magic, std::uint64_t& number);

// Appends a placeholder frame header to `buf`; finish_frame() fills it once the payload follows it.
std::size_t begin_frame(std::string& buf);
void finish_frame(std::string& buf, std::size_t frame_start);

// Calls `fn` with each valid frame's payload from `offset` on; returns the offset where valid frames end.
std::size_t scan_frames(std::string_view bytes, std::size_t offset,
                        const std::function<void(std::string_view payload)>& fn);

// A read-only mapping of a whole file (empty for an empty file).
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  [[nodiscard]] std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace sluice::internal
