// Where a Parquet file goes: anything that takes bytes in order. The writer calls write() with page headers
// and whole pages, and at close() with the footer; a sink that cannot take them throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "byte_buffer.hpp"

namespace sluice::parquet {

class ByteSink {
 public:
  ByteSink() = default;
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;
  ByteSink(ByteSink&&) = delete;
  ByteSink& operator=(ByteSink&&) = delete;
  virtual ~ByteSink() = default;
  virtual void write(std::string_view bytes) = 0;
};

// Collects the file in memory (tests, small files).
class StringSink final : public ByteSink {
 public:
  void write(std::string_view bytes) override { data_.append(bytes); }
  [[nodiscard]] const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Writes a file through a file descriptor, gathering small writes (page headers) into larger ones.
// finish() flushes, fsyncs and closes; the destructor only closes (an unfinished file is not durable).
class FileSink final : public ByteSink {
 public:
  explicit FileSink(const std::string& path);
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  FileSink(FileSink&&) = delete;
  FileSink& operator=(FileSink&&) = delete;
  ~FileSink() override;

  void write(std::string_view bytes) override;
  void finish(bool sync = true);
  [[nodiscard]] std::uint64_t written() const { return written_; }

 private:
  void flush();
  void write_all(std::string_view bytes);

  std::string path_;
  int fd_ = -1;
  ByteBuffer pending_;
  std::uint64_t written_ = 0;
};

}  // namespace sluice::parquet
