// Test-side model of a Parquet case: the schema and options, the rows appended through the real Writer,
// and a JSON record of exactly what was appended, which the JavaScript readers compare every value with.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "parquet/writer.hpp"

namespace sluice::parquet::fixtures {

struct DecimalValue {
  std::int64_t unscaled;
};

// monostate is null; std::string holds bytes (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
using Value = std::variant<std::monostate, bool, std::int64_t, float, double, std::string, DecimalValue>;
using Row = std::vector<Value>;

struct Case {
  std::string name;
  std::vector<Column> columns;
  WriterOptions options;
};

// Writes DIR/NAME.parquet with the real writer and DIR/NAME.json with the schema, the options and the rows
// as the readers should see them.
class CaseWriter {
 public:
  CaseWriter(const std::string& dir, Case c);
  CaseWriter(const CaseWriter&) = delete;
  CaseWriter& operator=(const CaseWriter&) = delete;
  CaseWriter(CaseWriter&&) = delete;
  CaseWriter& operator=(CaseWriter&&) = delete;
  ~CaseWriter();

  void row(const Row& values);
  // Appends the first `count` values of `values`, then cancels the row: none of it may appear in the file.
  void cancelled_row(const Row& values, std::size_t count);
  // Appends `bad` to `column` (which must throw ParquetError; anything else is a test failure), then the row.
  void row_after_rejected_value(const Row& values, std::size_t column, const Value& bad);
  void flush_row_group();
  void finish();

  Writer& writer() { return *writer_; }
  [[nodiscard]] const Case& spec() const { return case_; }

 private:
  void append(std::size_t column, const Value& value);
  void record(const Row& values);  // the expected row, as JSON

  Case case_;
  std::unique_ptr<FileSink> sink_;
  std::unique_ptr<Writer> writer_;
  std::ofstream json_;
  std::uint64_t rows_ = 0;
};

}  // namespace sluice::parquet::fixtures
