// A write buffer in front of an OutputStream: writers format records into it and it goes out in large
// writes, so the content repository sees a few calls per FlowFile instead of several per record. In front
// of a StringOutput (several outputs open at once, held in memory) a full buffer is handed over whole
// instead of copied: the bytes are formatted once and then not moved again until they reach the session.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "sluice/stream.hpp"
#include "string_output.hpp"

namespace sluice::records {

class BufferedOutput {
 public:
  static constexpr std::size_t kFlushAt = std::size_t{256} * 1024;

  explicit BufferedOutput(OutputStream& out) : out_(out), memory_(dynamic_cast<StringOutput*>(&out)) {
    if (memory_ != nullptr) buffer_.reserve(kBlockCapacity);
  }
  BufferedOutput(const BufferedOutput&) = delete;
  BufferedOutput& operator=(const BufferedOutput&) = delete;
  ~BufferedOutput() = default;

  // Append here, then call maybe_flush() once per record.
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= kFlushAt) flush();
  }
  void flush() {
    if (buffer_.empty()) return;
    if (memory_ != nullptr && buffer_.size() >= kFlushAt) {
      memory_->adopt(std::move(buffer_));
      buffer_ = std::string();
      buffer_.reserve(kBlockCapacity);
      return;
    }
    out_.write(buffer_);
    buffer_.clear();
  }

 private:
  // Room for kFlushAt and the record that crosses it, so that a handed-over buffer's successor does not
  // grow (and copy itself) on the way.
  static constexpr std::size_t kBlockCapacity = kFlushAt + kFlushAt / 4;

  OutputStream& out_;
  StringOutput* memory_;  // out_, when it is memory
  std::string buffer_;
};

}  // namespace sluice::records
