// File primitives with the durability steps spelled out: a file's data is durable after sync_file, its
// name (creation, rename, unlink) only after sync_directory of the directory holding it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include <sys/types.h>

namespace sluice::internal {

// Throws std::system_error naming the operation, the file and the OS error.
[[noreturn]] void throw_os_error(std::string_view operation, const std::filesystem::path& path, int error);

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

UniqueFd open_file(const std::filesystem::path& path, int flags, mode_t mode = 0644);
// Like open_file but returns an empty fd when the file does not exist.
UniqueFd open_if_exists(const std::filesystem::path& path, int flags);

// fdatasync: data plus the metadata needed to read it back (size), not timestamps.
void sync_file(int fd, const std::filesystem::path& path);
void sync_directory(const std::filesystem::path& directory);
// Renames and makes the new name durable (syncs the destination directory and, if different, the source's).
void rename_durable(const std::filesystem::path& from, const std::filesystem::path& to);
// Creates the directory (and parents) if missing; syncs the parent when it had to create it.
void create_directory_durable(const std::filesystem::path& directory);

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path);
void pwrite_all(int fd, std::string_view bytes, std::uint64_t offset, const std::filesystem::path& path);
// Reads exactly `size` bytes at `offset` unless the file ends first; returns the count read.
std::size_t pread_full(int fd, char* buf, std::size_t size, std::uint64_t offset,
                       const std::filesystem::path& path);

// Copies `length` bytes in the kernel (copy_file_range; read/write when the file systems refuse).
// Returns the bytes copied, fewer only when the source ends early.
std::uint64_t copy_file_bytes(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                              std::uint64_t length, const std::filesystem::path& source,
                              const std::filesystem::path& destination);

std::uint64_t file_size(int fd, const std::filesystem::path& path);

// Writes `bytes` to `path` through a temporary file (path + ".tmp") and a rename; `sync` makes both durable.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, bool sync);
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace sluice::internal
