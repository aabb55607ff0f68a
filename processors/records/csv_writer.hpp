// CsvWriter: one header line (optional), then a line per record; a cell is quoted only when it must be
// (it holds the delimiter, the quote, a line break, or is an empty string, which would otherwise read back as
// null). Null is an empty unquoted cell.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "buffered_output.hpp"
#include "csv_reader.hpp"
#include "field_map.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

struct CsvWriterOptions {
  CsvFormat format;
  bool header = true;
  std::string line_end = "\n";
  std::string null_string;  // written for null
};

class CsvWriter final : public RecordWriter {
 public:
  CsvWriter(OutputStream& out, DataTypePtr schema, CsvWriterOptions options);

  void write(const Record& record) override;
  void finish() override;
  [[nodiscard]] std::uint64_t count() const override { return count_; }

 private:
  void write_cell(std::string_view text, bool force_quotes);
  void write_value(const Value& value);

  BufferedOutput out_;
  DataTypePtr schema_;
  CsvWriterOptions options_;
  FieldMap fields_;
  std::string scratch_;
  std::uint64_t count_ = 0;
};

}  // namespace sluice::records
