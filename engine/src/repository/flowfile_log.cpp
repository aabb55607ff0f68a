#include "repository/flowfile_log.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>

#include <sys/mman.h>

#include "util/byte_codec.hpp"
#include "util/crc32c.hpp"
#include "util/fs_sync.hpp"

namespace sluice::internal {

namespace fs = std::filesystem;

std::string segment_file_name(std::uint64_t segment) {
  return "log." + std::to_string(segment);
}

std::vector<std::uint64_t> list_segments(const fs::path& directory) {
  std::vector<std::uint64_t> segments;
  for (const auto& e : fs::directory_iterator(directory)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("log.")) continue;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(name.data() + 4, name.data() + name.size(), n);
    if (ec == std::errc() && end == name.data() + name.size()) segments.push_back(n);
  }
  std::sort(segments.begin(), segments.end());
  return segments;
}

std::string file_header(std::string_view magic, std::uint64_t number) {
  std::string out;
  ByteWriter w(out);
  w.raw(magic);
  w.u32(kFormatVersion);
  w.u32(0);
  w.u64(number);
  return out;
}

bool parse_file_header(std::string_view bytes, std::string_view magic, std::uint64_t& number) {
  if (bytes.size() < kFileHeaderSize || bytes.substr(0, magic.size()) != magic) return false;
  if (load_u32(bytes.data() + 8) != kFormatVersion) return false;
  number = load_u64(bytes.data() + 16);
  return true;
}

std::size_t begin_frame(std::string& buf) {
  const std::size_t start = buf.size();
  buf.append(kFrameHeaderSize, '\0');
  return start;
}

void finish_frame(std::string& buf, std::size_t frame_start) {
  const std::size_t payload = buf.size() - frame_start - kFrameHeaderSize;
  if (payload > UINT32_MAX) throw std::length_error("flowfile repository frame larger than 4 GiB");
  store_u32(buf.data() + frame_start, static_cast<std::uint32_t>(payload));
  store_u32(buf.data() + frame_start + 4,
            crc32c_extend(0, buf.data() + frame_start + kFrameHeaderSize, payload));
}

std::size_t scan_frames(std::string_view bytes, std::size_t offset,
                        const std::function<void(std::string_view payload)>& fn) {
  while (bytes.size() - offset >= kFrameHeaderSize) {
    const std::uint32_t length = load_u32(bytes.data() + offset);
    const std::uint32_t crc = load_u32(bytes.data() + offset + 4);
    if (length == 0 || length > bytes.size() - offset - kFrameHeaderSize) break;
    const std::string_view payload = bytes.substr(offset + kFrameHeaderSize, length);
    if (crc32c(payload) != crc) break;
    fn(payload);
    offset += kFrameHeaderSize + length;
  }
  return offset;
}

MappedFile::MappedFile(const fs::path& path) {
  UniqueFd fd = open_file(path, O_RDONLY);
  size_ = static_cast<std::size_t>(file_size(fd.get(), path));
  if (size_ == 0) return;
  data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data_ == MAP_FAILED) {
    data_ = nullptr;
    throw_os_error("mmap", path, errno);
  }
  ::madvise(data_, size_, MADV_SEQUENTIAL);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace sluice::internal
