// An OutputStream into a string: for outputs that cannot stream straight into a FlowFile because several
// are open at once (one per partition, one per query).
#pragma once

#include <string>
#include <string_view>

#include "sluice/stream.hpp"

namespace sluice::records {

class StringOutput final : public OutputStream {
 public:
  void write(std::string_view bytes) override { data_.append(bytes); }
  [[nodiscard]] std::uint64_t written() const override { return data_.size(); }
  [[nodiscard]] const std::string& data() const { return data_; }

 private:
  std::string data_;
};

}  // namespace sluice::records
