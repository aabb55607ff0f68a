#include "util/fs_sync.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

#include <sys/stat.h>

namespace sluice::internal {

namespace fs = std::filesystem;

void throw_os_error(std::string_view operation, const fs::path& path, int error) {
  throw std::system_error(error, std::generic_category(), std::string(operation) + " " + path.string());
}

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);  // close errors are not actionable here: durability comes from sync_file
  fd_ = -1;
}

UniqueFd open_file(const fs::path& path, int flags, mode_t mode) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw_os_error("open", path, errno);
  return UniqueFd(fd);
}

UniqueFd open_if_exists(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    throw_os_error("open", path, errno);
  }
  return UniqueFd(fd);
}

void sync_file(int fd, const fs::path& path) {
  if (::fdatasync(fd) != 0) throw_os_error("fdatasync", path, errno);
}

void sync_directory(const fs::path& directory) {
  UniqueFd fd = open_file(directory, O_RDONLY | O_DIRECTORY);
  if (::fsync(fd.get()) != 0) throw_os_error("fsync directory", directory, errno);
}

void rename_durable(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) throw_os_error("rename to " + to.string() + ":", from, errno);
  sync_directory(to.parent_path());
  if (from.parent_path() != to.parent_path()) sync_directory(from.parent_path());
}

void create_directory_durable(const fs::path& directory) {
  std::error_code ec;
  if (fs::is_directory(directory, ec)) return;
  if (directory.has_parent_path()) create_directory_durable(directory.parent_path());
  if (::mkdir(directory.c_str(), 0755) != 0 && errno != EEXIST) throw_os_error("mkdir", directory, errno);
  if (directory.has_parent_path()) sync_directory(directory.parent_path());
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_os_error("write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void pwrite_all(int fd, std::string_view bytes, std::uint64_t offset, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_os_error("pwrite", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

std::size_t pread_full(int fd, char* buf, std::size_t size, std::uint64_t offset, const fs::path& path) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buf + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_os_error("pread", path, errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::uint64_t copy_file_bytes(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                              std::uint64_t length, const fs::path& source, const fs::path& destination) {
  std::uint64_t copied = 0;
  auto in_off = static_cast<off_t>(in_offset);
  auto out_off = static_cast<off_t>(out_offset);
  while (copied < length) {
    const std::uint64_t want = std::min<std::uint64_t>(length - copied, 1ULL << 30);
    const ssize_t n = ::copy_file_range(in_fd, &in_off, out_fd, &out_off, want, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) break;
      throw_os_error("copy_file_range to " + destination.string() + " from", source, errno);
    }
    if (n == 0) return copied;  // the source ended early
    copied += static_cast<std::uint64_t>(n);
  }
  // Fallback for file systems (or kernels) that refuse copy_file_range.
  std::vector<char> buf(1 << 20);
  while (copied < length) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length - copied, buf.size()));
    const std::size_t got = pread_full(in_fd, buf.data(), want, in_offset + copied, source);
    if (got == 0) break;
    pwrite_all(out_fd, std::string_view(buf.data(), got), out_offset + copied, destination);
    copied += got;
  }
  return copied;
}

std::uint64_t file_size(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_os_error("fstat", path, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

void write_file_atomically(const fs::path& path, std::string_view bytes, bool sync) {
  fs::path temp = path;
  temp += ".tmp";
  {
    UniqueFd fd = open_file(temp, O_WRONLY | O_CREAT | O_TRUNC);
    write_all(fd.get(), bytes, temp);
    if (sync) sync_file(fd.get(), temp);
  }
  if (sync) {
    rename_durable(temp, path);
  } else if (::rename(temp.c_str(), path.c_str()) != 0) {
    throw_os_error("rename", temp, errno);
  }
}

std::string read_whole_file(const fs::path& path) {
  UniqueFd fd = open_file(path, O_RDONLY);
  const std::uint64_t size = file_size(fd.get(), path);
  std::string out(static_cast<std::size_t>(size), '\0');
  out.resize(pread_full(fd.get(), out.data(), out.size(), 0, path));
  return out;
}

}  // namespace sluice::internal
