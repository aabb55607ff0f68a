#include "repository/data_dir_lock.hpp"

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include <fmt/format.h>
#include <sys/file.h>

namespace sluice::internal {

DataDirLock::DataDirLock(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = data_dir / "lock";
  fd_ = open_file(path, O_RDWR | O_CREAT);
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string holder(32, '\0');
    holder.resize(pread_full(fd_.get(), holder.data(), holder.size(), 0, path));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    if (error == EWOULDBLOCK) {
      throw std::runtime_error(fmt::format(
          "data directory {} is in use by another sluice process{}: one engine per data directory",
          data_dir.string(), holder.empty() ? "" : " (pid " + holder + ")"));
    }
    throw_os_error("lock", path, error);
  }
  // Who holds it, for the message above; the lock itself is the flock, not this content.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_.get(), 0) == 0) pwrite_all(fd_.get(), pid, 0, path);
}

}  // namespace sluice::internal
