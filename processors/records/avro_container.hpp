// The Avro object container file format (Avro 1.11 specification), written and read here rather than
// through avro-c: Debian's avro-c 1.11 has no logical types in its schema model, so a file it wrote would
// embed a schema without `decimal`, `date` or `timestamp-micros`, and a file it read would lose them. The
// codecs are zlib (deflate) and libsnappy (snappy); tests read our files back with avro-c, independently.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "buffered_output.hpp"
#include "field_map.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

enum class AvroCodec : std::uint8_t { kNull, kDeflate, kSnappy };

struct AvroWriterOptions {
  AvroCodec codec = AvroCodec::kNull;
  std::size_t block_records = 4096;                    // records per block at most
  std::size_t block_bytes = std::size_t{1024} * 1024;  // uncompressed bytes per block at most
};

class AvroWriter final : public RecordWriter {
 public:
  // The file's schema is `schema`; records of another schema are written by field name.
  AvroWriter(OutputStream& out, DataTypePtr schema, AvroWriterOptions options);

  void write(const Record& record) override;
  void finish() override;
  [[nodiscard]] std::uint64_t count() const override { return count_; }

 private:
  void flush_block();

  BufferedOutput out_;
  DataTypePtr schema_;
  AvroWriterOptions options_;
  std::array<char, 16> sync_{};
  std::string block_;
  std::string compressed_;
  std::size_t block_count_ = 0;
  std::uint64_t count_ = 0;
  RecordArena scratch_;
  FieldMap fields_;
};

class AvroReader final : public RecordReader {
 public:
  // Reads the header (schema, codec, sync marker). Throws RecordFormatError or SchemaError.
  explicit AvroReader(std::string_view content);

  [[nodiscard]] const DataTypePtr& schema() const override { return schema_; }
  ReadStatus next(Record& record) override;
  [[nodiscard]] const RecordIssue& issue() const override { return issue_; }
  [[nodiscard]] RecordPosition position() const override { return position_; }
  [[nodiscard]] std::string_view raw() const override { return raw_; }
  [[nodiscard]] const std::string& codec_name() const { return codec_name_; }

 private:
  bool load_block();

  std::string_view content_;
  std::size_t pos_ = 0;
  DataTypePtr schema_;
  AvroCodec codec_ = AvroCodec::kNull;
  std::string codec_name_;
  std::array<char, 16> sync_{};
  std::string block_storage_;  // decompressed block
  std::string_view block_;     // the block being read
  std::size_t block_pos_ = 0;
  std::int64_t block_remaining_ = 0;
  std::uint64_t block_offset_ = 0;
  std::uint64_t records_ = 0;
  bool broken_ = false;
  std::string_view raw_;
  RecordPosition position_;
  RecordIssue issue_;
};

}  // namespace sluice::records
