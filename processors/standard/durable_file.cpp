#include "durable_file.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <ranges>
#include <unistd.h>
#include <vector>

namespace sluice::standard {

namespace fs = std::filesystem;

namespace {
std::error_code last_error() {
  return {errno, std::generic_category()};
}

std::error_code sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return last_error();
  std::error_code ec;
  if (::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  return ec;
}
}  // namespace

std::error_code sync_file(const fs::path& file) {
  return sync_path(file, O_RDONLY);
}
std::error_code sync_directory(const fs::path& dir) {
  return sync_path(dir, O_RDONLY | O_DIRECTORY);
}

std::error_code rename_file(const fs::path& from, const fs::path& to, bool replace) {
  if (replace) return ::rename(from.c_str(), to.c_str()) == 0 ? std::error_code() : last_error();

  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return {};
  if (errno != EINVAL && errno != ENOSYS) return last_error();
  // The file system does not support RENAME_NOREPLACE: link() refuses an existing target just as well.
  if (::link(from.c_str(), to.c_str()) != 0) return last_error();
  ::unlink(from.c_str());  // a leftover hidden temp name is harmless; the published file is complete
  return {};
}

std::error_code create_directories_durably(const fs::path& dir) {
  std::vector<fs::path> created;  // deepest first
  std::error_code ec;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    created.push_back(p);
    if (p == p.parent_path()) break;
  }
  fs::create_directories(dir, ec);
  if (ec) return ec;
  for (const fs::path& made : std::views::reverse(created)) {
    const fs::path parent = made.parent_path().empty() ? fs::path(".") : made.parent_path();
    if (auto sync_ec = sync_directory(parent)) return sync_ec;
  }
  return {};
}

}  // namespace sluice::standard
