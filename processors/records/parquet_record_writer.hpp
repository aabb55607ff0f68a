// A RecordWriter that writes one Parquet file into an OutputStream: each write() appends a row, finish()
// writes the last row group and the footer. Memory stays within about one row group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "field_map.hpp"
#include "parquet/writer.hpp"
#include "parquet_mapping.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

struct ParquetWriterConfig {
  parquet::WriterOptions encoder;
  ParquetMappingOptions mapping;
};

// Hands the encoder's page headers and pages to an OutputStream, gathering the small writes.
class OutputStreamSink final : public parquet::ByteSink {
 public:
  explicit OutputStreamSink(OutputStream& out) : out_(out) {}
  void write(std::string_view bytes) override;
  void flush();

 private:
  static constexpr std::size_t kGather = std::size_t{64} * 1024;
  OutputStream& out_;
  std::string pending_;
};

class ParquetRecordWriter final : public RecordWriter {
 public:
  // The file's columns come from `schema`; records of another schema are written by field name. Throws
  // RecordWriteError when the schema has a field Parquet cannot hold yet.
  ParquetRecordWriter(OutputStream& out, const DataTypePtr& schema, const ParquetWriterConfig& config);

  // Throws RecordWriteError naming the field when a value does not fit its column; the row is dropped.
  void write(const Record& record) override;
  void finish() override;
  [[nodiscard]] std::uint64_t count() const override { return count_; }

 private:
  [[noreturn]] void reject(std::size_t field, std::string_view reason);

  OutputStreamSink sink_;
  DataTypePtr schema_;
  ParquetLayout layout_;
  std::optional<parquet::Writer> writer_;
  RecordArena scratch_;
  std::string bytes_;
  std::string reason_;
  FieldMap fields_;
  std::uint64_t count_ = 0;
};

}  // namespace sluice::records
