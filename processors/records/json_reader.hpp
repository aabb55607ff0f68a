// JsonReader: records from JSON Lines (one object per line) or from one array of objects, with nested
// objects and arrays, and numbers kept as their text until the schema says what they are, so big integers
// and decimals arrive without loss. Each record is parsed on its own (simdjson On Demand), so a syntax error
// costs that record only. The schema is given, or inferred from the first records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "csv_reader.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

enum class JsonInput : std::uint8_t { kAuto, kLines, kArray };

struct JsonReaderOptions {
  JsonInput format = JsonInput::kAuto;
  SchemaMode schema_mode = SchemaMode::kInfer;  // kStrings is treated as kInfer
  DataTypePtr schema;
  std::size_t infer_records = 1000;
  bool ignore_unknown_fields = false;  // otherwise a field the schema lacks makes the record invalid
};

class JsonReader final : public RecordReader {
 public:
  JsonReader(std::string_view content, const JsonReaderOptions& options);
  ~JsonReader() override;
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  [[nodiscard]] const DataTypePtr& schema() const override { return schema_; }
  ReadStatus next(Record& record) override;
  [[nodiscard]] const RecordIssue& issue() const override { return issue_; }
  [[nodiscard]] RecordPosition position() const override { return position_; }
  [[nodiscard]] std::string_view raw() const override { return raw_; }

  struct Parser;  // simdjson stays out of this header

 private:
  enum class SliceStatus : std::uint8_t { kSlice, kError, kEnd };
  SliceStatus next_slice();
  void advance_lines_to(const char* p);

  std::string_view content_;
  const char* pos_;
  const char* end_;
  JsonInput format_;
  bool array_open_ = false;
  bool ignore_unknown_;
  DataTypePtr schema_;
  std::unique_ptr<Parser> parser_;
  std::uint64_t records_ = 0;
  std::uint64_t line_ = 1;
  const char* line_pos_;    // lines are counted up to here
  const char* line_start_;  // start of the line holding line_pos_
  std::string_view raw_;
  RecordPosition position_;
  RecordIssue issue_;
  std::string reason_;
};

}  // namespace sluice::records
