// sluice's Parquet writer: a standalone encoder of Parquet files (format version 1 data pages) over any
// ByteSink, written from the Parquet format specification. It depends on no part of the engine.
//
// What it writes
//   - Flat schemas of REQUIRED and OPTIONAL columns of the physical types BOOLEAN, INT32, INT64, FLOAT,
//     DOUBLE, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, annotated with the logical types STRING, JSON, ENUM, UUID,
//     DATE, TIME, TIMESTAMP (millis/micros/nanos, UTC-adjusted or local), DECIMAL (INT32, INT64, FIXED) and
//     INT(8/16/32/64, signed or not); the legacy ConvertedType is written alongside for old readers.
//     Nested groups and repeated fields (LIST, MAP) are not supported yet: they need repetition levels.
//   - Per column chunk: a dictionary page and RLE_DICTIONARY data pages while the dictionary stays under
//     WriterOptions::dictionary_page_size_limit, PLAIN data pages after that (or throughout with the
//     dictionary off); definition levels RLE/bit-packed; SNAPPY, GZIP, ZSTD or no compression; statistics
//     (null count, min/max in the column's order, NaN count) and column orders in the footer.
//   - created_by "sluice version <version>".
//
// How it works
//   Values are appended row by row: one append_* per column, then end_row(). Each column encodes its value
//   at once into its open page; a page closes at a row boundary once it reaches data_page_size bytes or
//   max_rows_per_page rows, and is compressed and kept with its row group. A column whose dictionary stops
//   paying for itself (dictionary plus indices no smaller than PLAIN, judged after 10,000 values) or passes
//   its size limit goes PLAIN for the rest of the file. When the row group's buffered
//   bytes reach row_group_size, every column chunk is written to the sink in column order. So memory is
//   bounded by about one row group plus one open page per column, and nothing else of the file is held.
//
// Errors
//   A value the column cannot hold (wrong type, null in a required column, out of the logical type's
//   range, wrong fixed length, invalid UTF-8 in a string) throws ParquetError naming the column and the row,
//   and leaves the writer as it was: append another value for that column (a null, say) or cancel_row() to
//   drop the row's other values, then go on. end_row() with a column left out throws the same way. A sink
//   or codec failure makes the writer unusable (every later call throws); the file is then incomplete.
//   The destructor never writes: a file whose writer was not close()d has no footer, on purpose, so that a
//   failed run cannot publish a file that looks complete. JSON columns are checked as UTF-8 only; their text
//   must be valid JSON (DuckDB refuses a file where it is not).
//
// A Writer belongs to one thread at a time; separate writers share nothing.
//
// Example
//   using namespace sluice::parquet;
//   FileSink sink("meters.parquet");
//   Writer writer(sink,
//                 {{.name = "meter", .type = PhysicalType::kByteArray, .logical = LogicalType::string(),
//                   .repetition = Repetition::kRequired},
//                  {.name = "at", .type = PhysicalType::kInt64,
//                   .logical = LogicalType::timestamp(TimeUnit::kMicros, true)},
//                  {.name = "kwh", .type = PhysicalType::kDouble}},
//                 {.codec = Codec::kZstd});
//   for (const Reading& r : readings) {
//     writer.append_bytes(0, r.meter);
//     writer.append_int64(1, r.at_micros);
//     r.kwh ? writer.append_double(2, *r.kwh) : writer.append_null(2);
//     writer.end_row();
//   }
//   writer.close();  // the last row group, then the footer
//   sink.finish();   // flush, fsync, close
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "byte_sink.hpp"
#include "types.hpp"

namespace sluice::parquet {

class Writer {
 public:
  // Checks the schema and the options (throws ParquetError). Writes nothing until the first row group.
  Writer(ByteSink& sink, const std::vector<Column>& columns, WriterOptions options = {});
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  Writer(Writer&&) = delete;
  Writer& operator=(Writer&&) = delete;

  [[nodiscard]] std::size_t column_count() const;
  [[nodiscard]] const Column& column(std::size_t index) const;
  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;

  // The value of `column` in the current row.
  void append_null(std::size_t column);
  void append_bool(std::size_t column, bool value);
  // Integers for INT32 and INT64 columns, checked against the logical type's range: INT(8, true) takes
  // -128..127, INT(32, false) 0..2^32-1 (stored as its bit pattern), DECIMAL(p) the unscaled values of p
  // digits, TIME 0..one day in its unit, DATE days as INT32, TIMESTAMP its unit since the epoch.
  void append_int32(std::size_t column, std::int32_t value) { append_int64(column, value); }
  void append_int64(std::size_t column, std::int64_t value);
  void append_float(std::size_t column, float value);
  void append_double(std::size_t column, double value);
  // BYTE_ARRAY values, or FIXED_LEN_BYTE_ARRAY values of exactly the column's length (a UUID's 16 bytes
  // big-endian; a fixed DECIMAL in big-endian two's complement).
  void append_bytes(std::size_t column, std::string_view value);
  // A DECIMAL column's unscaled value, for any of its physical types (sign-extended into a fixed length).
  void append_decimal(std::size_t column, std::int64_t unscaled);

  // Completes the row; throws if a column has no value in it.
  void end_row();
  // Drops the values appended to the current row.
  void cancel_row();
  // Writes the buffered rows as a row group now (at a row boundary); does nothing without rows.
  void flush_row_group();
  // Writes the last row group and the footer. The writer takes no more rows after it.
  void close();

  [[nodiscard]] std::uint64_t rows_written() const;  // completed rows
  [[nodiscard]] std::uint64_t row_groups_written() const;
  [[nodiscard]] std::uint64_t bytes_written() const;  // handed to the sink so far
  [[nodiscard]] std::size_t buffered_bytes() const;   // held for the open row group

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::parquet
