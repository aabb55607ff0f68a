// An OutputStream into memory: for outputs that cannot stream straight into a FlowFile because several
// are open at once (one per partition, one per query). Bytes go into blocks that are never moved, so a
// growing output costs no reallocation and no copy of what it already holds (a single growing string
// spent more time copying and faulting in fresh pages than the writers spent formatting). A writer's
// BufferedOutput hands its full buffers over whole (adopt), so the bytes a writer formats are not copied
// again on their way into memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/stream.hpp"

namespace sluice::records {

class StringOutput final : public OutputStream {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  void write(std::string_view bytes) override {
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < bytes.size()) {
      blocks_.emplace_back().reserve(std::max(kBlock, bytes.size()));
    }
    blocks_.back().append(bytes);
    size_ += bytes.size();
  }
  [[nodiscard]] std::uint64_t written() const override { return size_; }

  // Takes `block` as the next bytes, without copying them.
  void adopt(std::string&& block) {
    size_ += block.size();
    blocks_.push_back(std::move(block));
  }

  // Everything written, in order, to `out`.
  void copy_to(OutputStream& out) const {
    for (const std::string& block : blocks_) out.write(block);
  }
  // Everything written, as one string (tests, small outputs).
  [[nodiscard]] std::string str() const {
    std::string s;
    s.reserve(size_);
    for (const std::string& block : blocks_) s += block;
    return s;
  }

 private:
  std::vector<std::string> blocks_;
  std::uint64_t size_ = 0;
};

}  // namespace sluice::records
