// A write buffer in front of an OutputStream: writers format records into it and it goes out in large
// writes, so the content repository sees a few calls per FlowFile instead of several per record.
#pragma once

#include <cstddef>
#include <string>

#include "sluice/stream.hpp"

namespace sluice::records {

class BufferedOutput {
 public:
  static constexpr std::size_t kFlushAt = std::size_t{256} * 1024;

  explicit BufferedOutput(OutputStream& out) : out_(out) {}
  BufferedOutput(const BufferedOutput&) = delete;
  BufferedOutput& operator=(const BufferedOutput&) = delete;
  ~BufferedOutput() = default;

  // Append here, then call maybe_flush() once per record.
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= kFlushAt) flush();
  }
  void flush() {
    if (!buffer_.empty()) out_.write(buffer_);
    buffer_.clear();
  }

 private:
  OutputStream& out_;
  std::string buffer_;
};

}  // namespace sluice::records
