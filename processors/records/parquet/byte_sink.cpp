#include "byte_sink.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "types.hpp"

namespace sluice::parquet {

namespace {
constexpr std::size_t kGatherLimit = std::size_t{64} * 1024;
}

FileSink::FileSink(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw ParquetError("parquet: cannot create " + path + ": " + std::strerror(errno));
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ParquetError("parquet: cannot write " + path_ + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void FileSink::flush() {
  if (pending_.empty()) return;
  write_all(pending_.view());
  pending_.clear();
}

void FileSink::write(std::string_view bytes) {
  if (fd_ < 0) throw ParquetError("parquet: write to finished file " + path_);
  written_ += bytes.size();
  if (bytes.size() < kGatherLimit) {
    pending_.append(bytes);
    if (pending_.size() >= kGatherLimit) flush();
    return;
  }
  flush();
  write_all(bytes);
}

void FileSink::finish(bool sync) {
  if (fd_ < 0) return;
  flush();
  if (sync && ::fsync(fd_) != 0)
    throw ParquetError("parquet: cannot sync " + path_ + ": " + std::strerror(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw ParquetError("parquet: cannot close " + path_ + ": " + std::strerror(errno));
}

}  // namespace sluice::parquet
