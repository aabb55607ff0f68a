// CsvReader: RFC 4180 CSV (quoted fields, doubled quotes, embedded delimiters and line breaks, CRLF or LF,
// a UTF-8 BOM) with a custom delimiter, quote and escape character, a header line or explicit column names,
// null strings and trimming. Records come out typed by a given schema, all-strings, or a schema inferred from
// the first rows. One pass over the content; a cell is a view into it unless it had quotes to undo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record.hpp"

namespace sluice::records {

enum class SchemaMode : std::uint8_t { kInfer, kStrings, kGiven };

struct CsvFormat {
  char delimiter = ',';
  char quote = '"';
  char escape = '\0';  // none: quotes are escaped by doubling
  bool trim = false;   // strip spaces and tabs around unquoted cells
};

struct CsvReaderOptions {
  CsvFormat format;
  bool header = true;                     // the first line names the columns
  std::vector<std::string> columns;       // names when there is no header (or to replace it)
  std::vector<std::string> null_strings;  // unquoted cells that mean null; an unquoted empty cell always does
  SchemaMode schema_mode = SchemaMode::kInfer;
  DataTypePtr schema;             // for kGiven
  std::size_t infer_rows = 1000;  // rows sampled for kInfer
  InferenceOptions inference;
};

class CsvReader final : public RecordReader {
 public:
  // Reads the header and, for kInfer, samples rows. Throws RecordFormatError (no header, a column the given
  // schema does not have) or SchemaError.
  CsvReader(std::string_view content, const CsvReaderOptions& options);

  [[nodiscard]] const DataTypePtr& schema() const override { return schema_; }
  ReadStatus next(Record& record) override;
  [[nodiscard]] const RecordIssue& issue() const override { return issue_; }
  [[nodiscard]] RecordPosition position() const override { return position_; }
  [[nodiscard]] std::string_view raw() const override { return raw_; }
  [[nodiscard]] std::string_view raw_header() const override { return raw_header_; }

 private:
  struct Cell {
    const char* begin;
    const char* end;
    bool quoted;
    bool escaped;  // holds doubled quotes or escape characters to undo
  };
  enum class RowStatus : std::uint8_t { kRow, kError, kEnd };

  RowStatus parse_row();
  bool parse_quoted(const char*& p, Cell& cell);
  void recover_after_error(const char* error_at);
  std::string_view cell_text(const Cell& cell, RecordArena& arena) const;
  [[nodiscard]] bool is_null(const Cell& cell) const;
  void build_schema(const CsvReaderOptions& options, const std::vector<std::string>& names);
  void fail(std::string reason, const char* at);
  [[nodiscard]] std::uint64_t column_of(const char* p) const;

  std::string_view content_;
  const char* pos_;
  const char* end_;
  CsvFormat format_;
  std::vector<std::string> null_strings_;
  DataTypePtr schema_;
  std::vector<int> column_field_;             // column → field index, -1 when the column is not read
  std::vector<const DataType*> field_types_;  // field → its type; nullptr for (nullable) strings
  std::vector<Cell> cells_;
  std::uint64_t line_ = 1;  // line of pos_
  std::uint64_t records_ = 0;
  const char* row_start_ = nullptr;
  const char* row_end_ = nullptr;  // end of the row's text, without the line end
  std::uint64_t error_line_ = 0;
  std::uint64_t error_column_ = 0;
  const char* line_start_ = nullptr;  // start of the line the error is on
  std::uint64_t row_line_ = 0;
  std::string_view raw_;
  std::string_view raw_header_;
  RecordPosition position_;
  RecordIssue issue_;
  std::string reason_;
};

}  // namespace sluice::records
