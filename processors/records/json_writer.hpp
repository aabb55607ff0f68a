// JsonWriter: records as JSON objects, either one per line (JSON Lines), as one array, or as a single object
// (one record: an API answer); compact or pretty.
// Field names are escaped once per schema; values stream into a buffer that goes out in large writes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "buffered_output.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

enum class JsonFormat : std::uint8_t { kLines, kArray, kObject };

struct JsonWriterOptions {
  JsonFormat format = JsonFormat::kArray;
  bool pretty = false;
  bool omit_nulls = false;
};

class JsonWriter final : public RecordWriter {
 public:
  JsonWriter(OutputStream& out, JsonWriterOptions options);

  void write(const Record& record) override;
  void finish() override;
  [[nodiscard]] std::uint64_t count() const override { return count_; }

 private:
  void bind(const DataType& schema);
  void append_pretty(const Value& value, const DataType* type, int depth);

  BufferedOutput out_;
  JsonWriterOptions options_;
  const DataType* bound_ = nullptr;
  std::vector<std::string> keys_;  // `"name":` per field of bound_
  std::uint64_t count_ = 0;
  std::string scratch_;
};

}  // namespace sluice::records
